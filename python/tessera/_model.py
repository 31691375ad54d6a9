"""Turning the ``model`` argument (a torch module, a file path or numpy weights) into a file tessera reads."""

import logging
import os
import warnings
from pathlib import Path

import numpy as np

from ._errors import TesseraError
from ._safetensors import write_mlp


def model_file(model, directory, example_shape=None, exporter="dynamo"):
    """Writes ``model`` into ``directory`` when needed; returns (path, activation or None).

    - a path (str or os.PathLike): used as it is (.safetensors or .onnx);
    - a list of numpy (weight [out, in], bias [out]) pairs: safetensors in nn.Sequential layout;
    - a ``torch.nn.Module``: a plain Sequential MLP (Linear layers with one kind of ReLU or
      LeakyReLU between them) as its weights in safetensors, anything else exported to ONNX with
      ``torch.onnx.export`` on a zero input of ``example_shape`` (batch of one).
    The activation is returned for the torch MLP case, where it is not in the weights file.
    """
    if isinstance(model, (str, os.PathLike)):
        return os.fspath(model), None
    if _is_torch_module(model):
        return _torch_model_file(model, Path(directory), example_shape, exporter)
    if isinstance(model, (list, tuple)):
        path = Path(directory) / "model.safetensors"
        write_mlp(path, [_numpy_pair(layer, index) for index, layer in enumerate(model)])
        return str(path), None
    raise TypeError("model must be a torch.nn.Module, a path to a .safetensors or .onnx file, "
                    f"or a list of (weight, bias) numpy pairs; got {type(model).__name__}")


def resolve_activation(requested, from_module):
    """The --activation to pass: the module's own (a torch MLP's), else the one requested, else None."""
    if requested is not None and from_module is not None and requested != from_module:
        raise ValueError(f"the module's activation is {from_module}; activation={requested!r} contradicts it")
    return from_module or requested


def _numpy_pair(layer, index):
    """(weight, bias) as numpy arrays (a bias may be None)."""
    if not isinstance(layer, (list, tuple)) or len(layer) != 2:
        raise TypeError(f"layer {index} is not a (weight, bias) pair")
    weight, bias = layer
    return _numpy(weight), None if bias is None else _numpy(bias)


def _numpy(array):
    """A numpy array from an array-like or a torch tensor (detached, on the CPU)."""
    if hasattr(array, "detach"):
        array = array.detach().cpu()
        if str(array.dtype) == "torch.bfloat16":  # numpy has no bfloat16; float32 holds it exactly
            array = array.float()
        array = array.numpy()
    return np.asarray(array)


def _is_torch_module(model):
    """True for torch.nn.Module instances, without importing torch for anything else."""
    if not any(cls.__module__.startswith("torch") for cls in type(model).__mro__):
        return False
    import torch
    return isinstance(model, torch.nn.Module)


def _torch_model_file(module, directory, example_shape, exporter):
    plain = plain_mlp(module)
    if plain is not None:
        linears, activation = plain
        path = directory / "model.safetensors"
        write_mlp(path, [(_numpy(layer.weight), None if layer.bias is None else _numpy(layer.bias)) for layer in linears])
        return str(path), activation
    if example_shape is None:
        raise TypeError("exporting a torch module to ONNX needs the input shape (from the anchors or points)")
    return _export_onnx(module, directory / "model.onnx", example_shape, exporter), None


def plain_mlp(module):
    """(Linear layers, activation name) when ``module`` is a Sequential MLP tessera reads from its
    weights alone: Linear layers with exactly one activation between consecutive ones, all ReLU or
    all LeakyReLU of one slope, the last layer Linear; a leading Flatten, Identity and Dropout are
    allowed. None otherwise."""
    import torch.nn as nn
    if not isinstance(module, nn.Sequential):
        return None
    layers = [layer for layer in _flattened(module) if not isinstance(layer, (nn.Identity, nn.Dropout))]
    if layers and isinstance(layers[0], nn.Flatten) and layers[0].start_dim == 1 and layers[0].end_dim == -1:
        layers = layers[1:]
    linears, activations = layers[0::2], layers[1::2]
    if not layers or len(linears) != len(activations) + 1 or not all(type(layer) is nn.Linear for layer in linears):
        return None
    names = set()
    for activation in activations:
        if type(activation) is nn.ReLU:
            names.add("relu")
        elif type(activation) is nn.LeakyReLU:
            names.add(f"leaky_relu:{float(activation.negative_slope)!r}")
        else:
            return None
    if len(names) > 1:
        return None
    return linears, names.pop() if names else "relu"


def _flattened(sequential):
    import torch.nn as nn
    for layer in sequential:
        if isinstance(layer, nn.Sequential):
            yield from _flattened(layer)
        else:
            yield layer


def _export_onnx(module, path, example_shape, exporter):
    """``torch.onnx.export`` in inference mode, one file (no external data)."""
    import torch
    if exporter not in ("dynamo", "torchscript"):
        raise ValueError(f"exporter must be 'dynamo' or 'torchscript', not {exporter!r}")
    parameter = next(module.parameters(), None)
    example = torch.zeros((1, *example_shape), dtype=parameter.dtype if parameter is not None else torch.float32)
    was_training = module.training
    module.eval()
    exporter_log = logging.getLogger("torch.onnx")
    level = exporter_log.level
    exporter_log.setLevel(logging.ERROR)  # the exporter logs a line per optional operator library it lacks
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if exporter == "dynamo":
                torch.onnx.export(module, (example,), str(path), dynamo=True, external_data=False, verbose=False)
            else:
                torch.onnx.export(module, (example,), str(path), dynamo=False)
    except Exception as error:  # the exporter raises many kinds; the caller gets the package's one
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise TesseraError(f"cannot export the module to ONNX on an input of shape {tuple(example.shape)}: {first_line}") from error
    finally:
        exporter_log.setLevel(level)
        module.train(was_training)
    return str(path)

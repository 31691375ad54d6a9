"""A minimal safetensors writer (numpy only): what tessera reads as a PyTorch nn.Sequential MLP."""

import json
import struct

import numpy as np

DTYPES = {np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("float16"): "F16"}


def write_safetensors(path, tensors, metadata=None):
    """Writes ``{name: numpy array}`` as a safetensors file.

    float64, float32 and float16 arrays keep their dtype (their values are exact binary fractions and
    stay the same numbers); any other numeric array is written as float64. Data are little-endian,
    row-major, in the order given.
    """
    header, chunks, offset = {}, [], 0
    for name, array in tensors.items():
        array = np.asarray(array)
        if array.dtype not in DTYPES:
            array = array.astype(np.float64)
        data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(key): str(value) for key, value in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the data start 8-byte aligned, as the reference writer does
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)))
        file.write(text)
        for chunk in chunks:
            file.write(chunk)


def write_mlp(path, layers):
    """Writes (weight [out, in], bias [out]) pairs in nn.Sequential's key layout.

    Linear layers sit at indices 0, 2, 4, ... with the activations between them, as in
    ``nn.Sequential(nn.Linear, nn.ReLU, nn.Linear, ...)``; a bias of None is written as zeros.
    """
    tensors = {}
    for position, layer in enumerate(layers):
        try:
            weight, bias = layer
        except (TypeError, ValueError):
            raise TypeError(f"layer {position} is not a (weight, bias) pair") from None
        weight = np.asarray(weight)
        if bias is None:
            bias = np.zeros(weight.shape[:1], dtype=weight.dtype if weight.dtype in DTYPES else np.float64)
        tensors[f"{2 * position}.weight"] = weight
        tensors[f"{2 * position}.bias"] = np.asarray(bias)
    if not tensors:
        raise TypeError("a model needs at least one (weight, bias) pair")
    write_safetensors(path, tensors)

"""Regenerates Tests/SlicerTests/Fixtures/onnx/: PyTorch models exported by both ONNX exporters, hand-built
corner cases, reference outputs, a small graph run, and index.json describing all of it.

    /work/venvs/torch/bin/python examples/onnx/make_fixtures.py [--out Tests/SlicerTests/Fixtures/onnx]

Needs torch, onnx, onnxruntime, onnxscript, safetensors, numpy, and Fashion-MNIST's IDX files
(Debian's dataset-fashion-mnist). Everything is seeded; rerunning rewrites the same values (the ONNX bytes
may differ between library versions, index.json records the versions used).
"""
import argparse
import contextlib
import copy
import io
import json
import os
import re
import shutil
import sys
import warnings
from collections import Counter

import numpy as np
import onnx
import onnxruntime as ort
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import corner_cases  # noqa: E402
import numpy_reference  # noqa: E402
from idx_data import FASHION_MNIST, load_split, split_files  # noqa: E402
from models import input_shape, relu_modules, seeded, zero_biases  # noqa: E402
from run_fixture import make_run  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "Tests", "SlicerTests", "Fixtures", "onnx")

# (fixture name, architecture spec, seed, TorchScript opset, intermediate nodes to record)
MODELS = [
    ("cnn5_w32", "cnn:depth=5,width=32,batchnorm=0", 1, 17, []),
    ("cnn5_w32_bn", "cnn:depth=5,width=32,batchnorm=1", 2, 17, []),
    ("lenet", "lenet:c1=6,c2=16,hidden=32", 3, 13, ["maxpool_output", "relu3_input"]),
    # Zero biases: exactly zero pre-activations on the images' black background (and ties in the max pool).
    ("lenet_zero_bias", "lenet:c1=6,c2=16,hidden=32", 7, 13, ["maxpool_output"]),
    ("resnet_k4", "resnet:k=4,blocks=1-1,batchnorm=0", 4, 17, ["relu_last_input", "pool_output"]),
    ("resnet_k4_bn", "resnet:k=4,blocks=1-1,batchnorm=1", 5, 17, ["relu_last_input", "pool_output"]),
    ("mlp", "mlp:sizes=784-32-32-10", 6, 13, ["relu1_input", "relu2_input"]),
]


def relative_error(got, reference):
    """max |got − reference| / max |reference| (relative to the largest reference magnitude)."""
    got = np.asarray(got, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    return float(np.abs(got - reference).max() / max(np.abs(reference).max(), 1e-300))


def sanitize(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).strip("_")


def quietly(function, *args, **kwargs):
    """Runs an exporter without its progress lines and deprecation warnings."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def ort_session(model):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    options.log_severity_level = 3
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def with_outputs(model, names):
    """A copy of `model` that also outputs the named tensors (types left to onnxruntime)."""
    extended = onnx.ModelProto()
    extended.CopyFrom(model)
    present = {o.name for o in extended.graph.output}
    for name in names:
        if name not in present:
            extended.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
    return extended


def sample_points(shape, seed):
    """Four points: train images 0 and 1, test image 0, and one uniform point in [0, 1]^D (float32, [4, D])."""
    train, _ = load_split(FASHION_MNIST, "train", count=2)
    test, _ = load_split(FASHION_MNIST, "test", count=1)
    images = np.concatenate([train, test]).reshape(3, -1)
    uniform = np.random.default_rng(seed).uniform(0, 1, size=(1, images.shape[1])).astype(np.float32)
    points = np.concatenate([images, uniform]).astype(np.float32)
    assert points.shape[1] == int(np.prod(shape))
    return points


def torch_reference(model, points, shape, nodes):
    """float64 logits and the hooked intermediate values (flattened per point) on a float64 copy."""
    double = copy.deepcopy(model).double()
    captured = {}
    relus = [m for _, m in relu_modules(double)]
    hooks = []

    def keep(label, side):
        def hook(module, inputs, output):
            value = inputs[0] if side == "input" else output
            captured[label] = value.detach().reshape(value.shape[0], -1).numpy().copy()
        return hook

    for label in nodes:
        if label == "maxpool_output":
            module = next(m for m in double.modules() if isinstance(m, torch.nn.MaxPool2d))
            hooks.append(module.register_forward_hook(keep(label, "output")))
        elif label == "pool_output":
            hooks.append(double.pool.register_forward_hook(keep(label, "output")))
        elif label == "relu_last_input":
            hooks.append(relus[-1].register_forward_hook(keep(label, "input")))
        else:
            index = int(re.fullmatch(r"relu(\d+)_input", label).group(1)) - 1
            hooks.append(relus[index].register_forward_hook(keep(label, "input")))
    with torch.no_grad():
        logits = double(torch.from_numpy(points.astype(np.float64)).reshape([-1] + shape)).numpy()
    for h in hooks:
        h.remove()
    return logits, captured


def onnx_tensor_for(model, label):
    """(producer node name, tensor name) of the value a node label means in this exported graph."""
    nodes = list(model.graph.node)
    relus = [n for n in nodes if n.op_type == "Relu"]
    if label == "maxpool_output":
        node = next(n for n in nodes if n.op_type == "MaxPool")
        return node.name, node.output[0]
    if label == "pool_output":
        node = next(n for n in nodes if n.op_type in ("GlobalAveragePool", "ReduceMean"))
        return node.name, node.output[0]
    relu = relus[-1] if label == "relu_last_input" else relus[int(re.fullmatch(r"relu(\d+)_input", label).group(1)) - 1]
    tensor = relu.input[0]
    producer = next(n for n in nodes if tensor in n.output)
    return producer.name, tensor


def export(model, example, path, exporter, opset, dynamic, keep_batchnorm):
    if exporter == "ts":
        kwargs = dict(dynamo=False, opset_version=opset, input_names=["input"], output_names=["logits"])
        if dynamic:
            kwargs["dynamic_axes"] = {"input": {0: "batch"}, "logits": {0: "batch"}}
        if keep_batchnorm:
            # EVAL mode folds BatchNorm into the preceding Conv and renames the weights; PRESERVE keeps
            # BatchNormalization nodes and the state_dict names (what a run's checkpoints need).
            kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
        quietly(torch.onnx.export, model, (example,), path, **kwargs)
    else:
        kwargs = dict(dynamo=True, input_names=["input"], output_names=["logits"])
        if dynamic:
            kwargs["dynamic_shapes"] = ({0: torch.export.Dim("batch")},)
        quietly(torch.onnx.export, model, (example,), path, **kwargs)


def batchnorm_state(model, onnx_model):
    modules = sum(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
    if modules == 0:
        return None
    nodes = sum(n.op_type == "BatchNormalization" for n in onnx_model.graph.node)
    if nodes == modules:
        return "kept"
    return "folded into Conv by the exporter" if nodes == 0 else f"{modules - nodes} of {modules} folded into Conv by the exporter"


def initializer_names_check(model, onnx_model):
    state = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    names = {i.name for i in onnx_model.graph.initializer}
    return {"state_dict_names_kept": sorted(state) == sorted(state & names),
            "state_dict_names_missing": sorted(state - names),
            "other_initializers": sorted(names - state)}


def external_data_files(path):
    """The external-data files the model's initializers point to (the dynamo exporter writes `<file>.data`)."""
    model = onnx.load(path, load_external_data=False)
    files = set()
    for init in model.graph.initializer:
        if init.data_location == onnx.TensorProto.EXTERNAL:
            files.update(e.value for e in init.external_data if e.key == "location")
    return sorted(files)


def input_batch(onnx_model):
    dim = onnx_model.graph.input[0].type.tensor_type.shape.dim[0]
    return f"dynamic ({dim.dim_param})" if dim.dim_param else f"static {dim.dim_value}"


def pytorch_fixtures(out, readme_notes):
    entries = []
    for name, spec, seed, ts_opset, nodes in MODELS:
        model = seeded(spec, seed=seed)
        if name.endswith("_zero_bias"):
            zero_biases(model)
        shape = input_shape(spec)
        points = sample_points(shape, seed)
        logits, captured = torch_reference(model, points, shape, nodes)
        np.save(os.path.join(out, f"{name}.inputs.npy"), points)
        np.save(os.path.join(out, f"{name}.outputs.npy"), logits)
        has_bn = any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
        variants = [("ts", ts_opset, True), ("dynamo", None, True)]
        if name == "lenet":
            variants.append(("dynamo-static", None, False))
        for exporter, opset, dynamic in variants:
            stem = f"{name}.{exporter}"
            path = os.path.join(out, stem + ".onnx")
            example = torch.from_numpy(points[:2 if dynamic else 1]).reshape([-1] + shape)
            try:
                export(model, example, path, "ts" if exporter == "ts" else "dynamo", opset, dynamic, has_bn)
            except Exception as error:  # recorded, not hidden
                readme_notes.append(f"- `{stem}.onnx` is missing: the {exporter} exporter failed: "
                                    f"{type(error).__name__}: {str(error).splitlines()[0][:300]}")
                continue
            onnx_model = onnx.load(path)
            onnx.checker.check_model(onnx_model)
            node_records = []
            tensors = []
            for label in nodes:
                node_name, tensor = onnx_tensor_for(onnx_model, label)
                tensors.append(tensor)
                node_records.append({"label": label, "node": node_name, "tensor": tensor})
            session = ort_session(with_outputs(onnx_model, tensors))
            feed = points if dynamic else points[:1]
            results = session.run(None, {session.get_inputs()[0].name: feed.reshape([-1] + shape)})
            ort_logits = results[0]
            np.save(os.path.join(out, f"{stem}.ort.npy"), ort_logits.astype(np.float32))
            for record, value in zip(node_records, results[1:]):
                file = f"{stem}.node-{sanitize(record['node'])}.npy"
                reference = captured[record["label"]][:len(feed)]
                np.save(os.path.join(out, file), reference)
                record.update(file=file, shape=list(value.shape[1:]),
                              max_relative_error_ort=relative_error(value.reshape(len(feed), -1), reference))
                assert record["max_relative_error_ort"] < 1e-4, record
            error = relative_error(ort_logits, logits[:len(feed)])
            assert error < 1e-4, (stem, error)
            entry = {
                "name": stem, "model": name, "file": stem + ".onnx", "kind": "pytorch",
                "architecture": spec, "seed": seed,
                "exporter": "torchscript" if exporter == "ts" else "dynamo",
                "opset": onnx_model.opset_import[0].version,
                "input_name": onnx_model.graph.input[0].name, "input_shape": shape,
                "batch": input_batch(onnx_model),
                "points": len(feed),
                "inputs": f"{name}.inputs.npy", "outputs": f"{name}.outputs.npy", "ort": f"{stem}.ort.npy",
                "max_relative_error_ort": error,
                "ops": dict(Counter(n.op_type for n in onnx_model.graph.node)),
                "relu_nodes": [n.name for n in onnx_model.graph.node if n.op_type == "Relu"],
                "batchnorm": batchnorm_state(model, onnx_model),
                "nodes": node_records,
                "external_data": external_data_files(path),
                "bytes": os.path.getsize(path) + sum(os.path.getsize(os.path.join(out, f)) for f in external_data_files(path)),
            }
            entry.update(initializer_names_check(model, onnx_model))
            if not dynamic:
                entry["note"] = "exported with a batch-1 example and no dynamic_shapes: the input and the Reshape " \
                                "before the classifier are fixed to batch 1; outputs/ort hold the first point only"
            entries.append(entry)
            print(f"{stem:26s} {entry['bytes']:>9,d} B  ops {entry['ops']}  ort rel err {error:.1e}")
        if name == "mlp":
            state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
            save_file(state, os.path.join(out, "mlp.safetensors"), metadata={"activation": "relu"})
            entries.append({"name": "mlp.safetensors", "model": name, "file": "mlp.safetensors", "kind": "safetensors",
                            "architecture": spec, "seed": seed, "input_shape": shape, "inputs": "mlp.inputs.npy",
                            "outputs": "mlp.outputs.npy", "keys": list(state),
                            "note": "the same weights as mlp.ts.onnx and mlp.dynamo.onnx (nn.Sequential state_dict)"})
    return entries


def corner_fixtures(out):
    entries = []
    for name, description, model, points in corner_cases.cases():
        onnx.save(model, os.path.join(out, name + ".onnx"))
        graph_output = model.graph.output[0].name
        tail = model.graph.node[-1]
        logits_tensor = tail.input[0] if tail.op_type in ("Softmax", "LogSoftmax") else graph_output
        shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim[1:]]
        flat = points.reshape(len(points), -1)
        np.save(os.path.join(out, f"{name}.inputs.npy"), flat.astype(np.float64 if points.dtype == np.float64 else np.float32))
        reference, graph_value = numpy_reference.evaluate(model, {"x": points}, [logits_tensor, graph_output])
        np.save(os.path.join(out, f"{name}.outputs.npy"), reference)
        entry = {"name": name, "file": name + ".onnx", "kind": "onnx-helper", "description": description,
                 "opset": corner_cases.OPSET, "input_name": "x", "input_shape": shape, "batch": "dynamic (N)",
                 "input_dtype": onnx.helper.tensor_dtype_to_np_dtype(model.graph.input[0].type.tensor_type.elem_type).name,
                 "points": len(points), "inputs": f"{name}.inputs.npy", "outputs": f"{name}.outputs.npy",
                 "outputs_tensor": logits_tensor, "reference": "numpy float64 (examples/onnx/numpy_reference.py)",
                 "ops": dict(Counter(n.op_type for n in model.graph.node))}
        if logits_tensor != graph_output:
            np.save(os.path.join(out, f"{name}.probabilities.npy"), graph_value)
            entry["probabilities"] = f"{name}.probabilities.npy"
        try:
            session = ort_session(with_outputs(model, [logits_tensor]))
            values = dict(zip([o.name for o in session.get_outputs()], session.run(None, {"x": points})))
            got = values[logits_tensor]
            np.save(os.path.join(out, f"{name}.ort.npy"), got)
            entry["ort"] = f"{name}.ort.npy"
            entry["ort_dtype"] = str(got.dtype)
            entry["max_relative_error_ort"] = relative_error(got, reference)
            limit = 1e-2 if got.dtype == np.float16 else 1e-5
            assert entry["max_relative_error_ort"] < limit, (name, entry["max_relative_error_ort"])
        except ort.capi.onnxruntime_pybind11_state.NotImplemented as error:
            entry["ort"] = None
            entry["ort_missing"] = str(error).split(":")[-1].strip()
        entry["bytes"] = os.path.getsize(os.path.join(out, name + ".onnx"))
        entries.append(entry)
        print(f"{name:26s} {entry['bytes']:>9,d} B  ort rel err {entry.get('max_relative_error_ort', 'n/a')}")
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.set_num_threads(2)
    out = args.out
    if os.path.isdir(out):
        keep = {"lc-reference.json", "lc-frame.npy", "lc-frame-axes.npy", "lc-points.npy"}
        for entry in os.listdir(out):
            path = os.path.join(out, entry)
            if entry in keep:
                continue
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    os.makedirs(out, exist_ok=True)
    notes = []
    entries = pytorch_fixtures(out, notes)
    entries += corner_fixtures(out)
    run = make_run(os.path.join(out, "run-cnn-small"))
    import onnxscript
    index = {
        "generated_by": "examples/onnx/make_fixtures.py",
        "versions": {"torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__,
                     "onnxscript": onnxscript.__version__, "numpy": np.__version__},
        "data": {"directory": FASHION_MNIST, "files": [os.path.basename(f) for s in ("train", "test") for f in split_files(FASHION_MNIST, s)]},
        "conventions": {
            "inputs": "[N, D] points, the per-sample input flattened in C order (float32; float64 for init_f64)",
            "outputs": "float64 reference logits [N, K]: PyTorch in double precision on the same weights (pytorch "
                       "fixtures) or numpy in float64 (onnx-helper fixtures); for a graph ending in Softmax/LogSoftmax, "
                       "the input of that node",
            "ort": "onnxruntime's value of the same tensor as outputs, in the graph's own precision",
            "nodes": "node-<onnx node>.npy: float64 PyTorch reference of that node's output, [N, prod(shape)] "
                     "flattened per point; `node` is the ONNX node name, `tensor` its output",
            "max_relative_error": "max |got − reference| / max |reference|",
        },
        "exporter_failures": notes,
        "fixtures": entries,
        "runs": [run],
    }
    with open(os.path.join(out, "index.json"), "w") as handle:
        json.dump(index, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    with open(os.path.join(HERE, "fixtures-readme.md")) as handle:
        readme = handle.read()
    readme += "\n## Exporter failures\n\n" + ("\n".join(notes) if notes else
                                               "None: every model exported with both exporters.") + "\n"
    with open(os.path.join(out, "README.md"), "w") as handle:
        handle.write(readme)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out) for f in files)
    print(f"{len(entries)} fixtures, {total / 1e6:.2f} MB in {out}")


if __name__ == "__main__":
    main()

"""Committed reference LC values for the ONNX fixtures, from the PyTorch estimator in float64.

    /work/venvs/torch/bin/python examples/onnx/lc_reference.py [--fixtures Tests/SlicerTests/Fixtures/onnx]

Writes lc-frame.npy (P = 5 orthonormal rows, float64), lc-frame-axes.npy (five pixel unit vectors), lc-points.npy (five points, float32: Fashion-MNIST
train 0-2, test 0, one uniform point) and lc-reference.json: per model and radius the per-sample per-layer
counts, their mean and population std, exact zeros among the pre-activations, the smallest |pre-activation|
per layer, and a third opinion (onnxruntime in float32 on each ONNX file, hooks replaced by Relu inputs).
Run make_fixtures.py first.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from idx_data import FASHION_MNIST, load_split  # noqa: E402
from lc_pytorch import load_model, local_complexity, random_frame, summary  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_FIXTURES = os.path.join(REPO, "Tests", "SlicerTests", "Fixtures", "onnx")
RADII = [0.005, 0.05, 0.5]
DIRECTIONS = 5
FRAME_SEED = 20261201
# (model, the file whose initializers are the state_dict the reference is computed from)
MODELS = [("cnn5_w32", "cnn5_w32.ts.onnx"), ("cnn5_w32_bn", "cnn5_w32_bn.ts.onnx"), ("lenet", "lenet.ts.onnx"),
          ("lenet_zero_bias", "lenet_zero_bias.ts.onnx"), ("resnet_k4", "resnet_k4.ts.onnx"),
          ("resnet_k4_bn", "resnet_k4_bn.ts.onnx"), ("mlp", "mlp.safetensors")]
# The axis frame: five pixels' unit vectors (corners and edge are black in the images, the centre is not).
AXIS_PIXELS = [0, 5 * 28 + 14, 14 * 28 + 14, 20 * 28 + 6, 27 * 28 + 27]
AXIS_MODELS = {"lenet", "lenet_zero_bias"}


def axis_frame():
    frame = np.zeros((len(AXIS_PIXELS), 784))
    frame[np.arange(len(AXIS_PIXELS)), AXIS_PIXELS] = 1.0
    return frame


def make_points():
    train, _ = load_split(FASHION_MNIST, "train", count=3)
    test, _ = load_split(FASHION_MNIST, "test", count=1)
    uniform = np.random.default_rng(FRAME_SEED + 1).uniform(0, 1, size=(1, 784)).astype(np.float32)
    return np.concatenate([train.reshape(3, -1), test.reshape(1, -1), uniform]).astype(np.float32)


def ort_counts(path, points, frame, radius, shape):
    """Per-sample per-layer sign-change counts from onnxruntime (float32) at every Relu node's input."""
    model = onnx.load(path)
    relu_inputs = [n.input[0] for n in model.graph.node if n.op_type == "Relu"]
    for name in relu_inputs:
        model.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    options.log_severity_level = 3
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    offsets = np.concatenate([frame, -frame]) * radius
    static = session.get_inputs()[0].shape[0] == 1
    rows = []
    for x in points.astype(np.float64):
        vertices = (x[None] + offsets).astype(np.float32).reshape([-1] + shape)
        if static:
            outputs = [session.run(None, {session.get_inputs()[0].name: v[None]}) for v in vertices]
            values = [np.concatenate([o[i + 1] for o in outputs]) for i in range(len(relu_inputs))]
        else:
            values = session.run(None, {session.get_inputs()[0].name: vertices})[1:]
        row = []
        for z in values:
            z = z.reshape(len(vertices), -1)
            row.append(int((np.sign(z.max(0)) != np.sign(z.min(0))).sum()))
        rows.append(row)
    return np.array(rows), [n.name for n in model.graph.node if n.op_type == "Relu"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", default=DEFAULT_FIXTURES)
    args = parser.parse_args()
    torch.set_num_threads(2)
    folder = args.fixtures
    with open(os.path.join(folder, "index.json")) as handle:
        index = json.load(handle)
    frames = {"random": random_frame(DIRECTIONS, 784, FRAME_SEED), "axes": axis_frame()}
    points = make_points()
    np.save(os.path.join(folder, "lc-frame.npy"), frames["random"])
    np.save(os.path.join(folder, "lc-frame-axes.npy"), frames["axes"])
    np.save(os.path.join(folder, "lc-points.npy"), points)
    models = []
    for name, weights in MODELS:
        files = [f for f in index["fixtures"] if f.get("model") == name]
        spec = files[0]["architecture"]
        shape = files[0]["input_shape"]
        model = load_model(spec, os.path.join(folder, weights), "float64")
        single = load_model(spec, os.path.join(folder, weights), "float32")
        exact_for, approximate_for = [], []
        for f in files:
            if f["kind"] == "safetensors" or f.get("state_dict_names_kept"):
                exact_for.append(f["file"])
            else:
                approximate_for.append({"file": f["file"], "reason": f"BatchNorm {f['batchnorm']}: the file's folded "
                                        "float32 weights are a rounding of this function, so counts may differ where a "
                                        "pre-activation is within rounding of zero"})
        onnx_files = [f for f in files if f["kind"] == "pytorch"]
        entry = {"model": name, "architecture": spec, "weights": weights, "exact_for": exact_for,
                 "approximate_for": approximate_for, "input_shape": shape, "results": []}
        layers = None
        for frame_name, radius in [(f, r) for f in frames if f == "random" or name in AXIS_MODELS for r in RADII]:
            frame = frames[frame_name]
            pooled = any(isinstance(m, torch.nn.MaxPool2d) for m in model.modules())
            result = local_complexity(model, points, frame, radius, "float64", chunk=8, maxpool=pooled, diagnostics=True)
            windows = None
            if pooled:
                column = next(i for i, n in enumerate(result["names"]) if n.endswith("(max-pool windows)"))
                windows = result["counts"][:, column].tolist()
                keep = [i for i in range(len(result["names"])) if i != column]
                result = {k: ([v[i] for i in keep] if k == "names" else v[:, keep]) for k, v in result.items()}
            result32 = local_complexity(single, points, frame, radius, "float32", chunk=8, diagnostics=False)
            if layers is None:
                layers = [{"index": i + 1, "module": n, "onnx_relu_nodes": {f["file"]: f["relu_nodes"][i] for f in onnx_files}}
                          for i, n in enumerate(result["names"])]
                for f in onnx_files:
                    assert len(f["relu_nodes"]) == len(layers), (f["file"], f["relu_nodes"], result["names"])
            record = {"frame": frame_name}
            record.update(summary(result, radius, DIRECTIONS))
            record["counts"] = result["counts"].tolist()
            if windows is not None:
                record["maxpool_window_counts"] = windows
            record["min_abs_preactivation"] = [float(v) for v in result["min_abs"].min(0)]
            record["decision_margin"] = [float(v) for v in result["margin"].min(0)]
            record["float32_pytorch_counts_equal"] = bool((result32["counts"] == result["counts"]).all())
            ort_check = {}
            for f in onnx_files:
                counts, _ = ort_counts(os.path.join(folder, f["file"]), points, frame, radius, shape)
                differences = [[s, l, int(counts[s, l]), int(result["counts"][s, l])]
                               for s, l in zip(*np.nonzero(counts != result["counts"]))]
                ort_check[f["file"]] = {"equal": not differences, "differences": differences}
            record["onnxruntime_float32_counts"] = ort_check
            entry["results"].append(record)
            print(f"{name:16s} {frame_name:6s} r={radius:<6} LC {record['lc']['mean']:8.2f} ± {record['lc']['std']:7.2f}  zeros "
                  f"{record['zero_preactivations']}  float32 equal {record['float32_pytorch_counts_equal']}  ort equal "
                  f"{ {k: v['equal'] for k, v in ort_check.items()} }")
        entry["layers"] = layers
        models.append(entry)
    reference = {
        "generated_by": "examples/onnx/lc_reference.py (examples/lc_pytorch.py in float64)",
        "estimator": "for each point x, the 2P vertices x ± r·v_p (rows v_p of the frame); per ReLU layer (the "
                     "input of each ReLU; for the pre-activation ResNet, the batch-norm outputs before each ReLU), "
                     "the units whose sign (−1, 0, +1) is not the same at all 2P vertices; LC(x) = the sum over "
                     "layers; the final Linear layer is not counted",
        "dtype": "float64 (vertices x ± r·v computed in float64 from the float32 points and float64 frame)",
        "frames": {"random": "lc-frame.npy (seeded random orthonormal rows)",
                   "axes": f"lc-frame-axes.npy (unit vectors of pixels {AXIS_PIXELS}; used for {sorted(AXIS_MODELS)})"},
        "points": "lc-points.npy", "directions": DIRECTIONS, "radii": RADII,
        "maxpool_window_counts": "per point, the max-pool windows whose winner (the first maximum, ties to the "
                                 "lowest index in the window) is not the same at all vertices; not part of LC",
        "std": "population (divides by N)",
        "zero_preactivations": "units with an exactly zero pre-activation at some vertex (summed over points and "
                               "layers); none means no count depends on how a sign at exactly zero is decided. "
                               "lenet_zero_bias with the axis frame has many: a unit whose receptive field is black "
                               "background at every vertex is 0 everywhere (sign 0 at all vertices: not counted); "
                               "one whose field holds the moved pixel is 0 at the other vertices and ±r·w at the two "
                               "moved ones (signs 0, +, −: counted)",
        "min_abs_preactivation": "per layer, the smallest |pre-activation| over points, units and vertices: how "
                                 "far the nearest sign is from a flip",
        "decision_margin": "per layer, the smallest |pre-activation| at a vertex whose sign alone decides whether "
                           "its unit is counted (any vertex of an uncounted unit; the lone differing vertex of a "
                           "counted one): an evaluation whose error stays below this gives the same counts",
        "models": models,
    }
    with open(os.path.join(folder, "lc-reference.json"), "w") as handle:
        json.dump(reference, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


if __name__ == "__main__":
    main()

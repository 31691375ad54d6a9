#!/usr/bin/env python3
"""Slice a safetensors MLP with regioncam on the plane through three anchors.

Used by examples/compare-regioncam.sh to put tessera next to regioncam (PyPI `regioncam`) on the
same slice. Needs only `regioncam` and `numpy`: the safetensors file is read by hand (8-byte
little-endian header length, JSON header, raw little-endian row-major data).

The network is a PyTorch nn.Sequential state_dict: keys `<i>.weight` [out, in] and `<i>.bias`
[out], possibly under a prefix, in the natural order of their indices, with the activation between
consecutive Linear layers (relu, or leaky_relu:α from tessera's own `__metadata__`). regioncam's
`linear` computes x @ weight + bias, so weights are passed transposed ([in, out]); a float64
forward pass at a sample of regioncam's vertices checks that the same network was applied.

The domain is regioncam's `Regioncam.through_points(points, size=S)`: the square, centred on the
bounding box of the projected anchors, of half-width S times the anchors' largest distance from that
centre (max norm). That is tessera's `--domain square:S`.

Writes a JSON summary (region counts per layer, faces after the decision boundary, timings, domain,
forward-pass error) to --json, and a one-line summary to stdout.
"""
import argparse
import json
import re
import struct
import sys
import time

T_START = time.perf_counter()

import numpy as np
import regioncam

T_IMPORTED = time.perf_counter()

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2"}


def read_safetensors(path):
    """Returns ({name: float32 array}, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = memoryview(raw)[8 + n:]
    tensors = {}
    metadata = header.pop("__metadata__", {}) or {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        shape = info["shape"]
        dtype = info["dtype"]
        if dtype in DTYPES:
            values = np.frombuffer(data[begin:end], dtype=DTYPES[dtype])
        elif dtype == "BF16":
            bits = np.frombuffer(data[begin:end], dtype="<u2").astype(np.uint32) << 16
            values = bits.view(np.float32)
        else:
            raise SystemExit(f"error: {path}: tensor {name} has unsupported dtype {dtype}")
        tensors[name] = values.reshape(shape).astype(np.float32)
    return tensors, metadata


def linear_layers(tensors):
    """[(weight [out, in], bias [out])] in the natural order of the layer indices."""
    layers = {}
    for name in tensors:
        m = re.fullmatch(r"(.*?)(\d+)\.(weight|bias)", name)
        if m:
            layers.setdefault((m.group(1), int(m.group(2))), {})[m.group(3)] = tensors[name]
    prefixes = {p for p, _ in layers}
    if len(prefixes) != 1:
        raise SystemExit(f"error: expected one nn.Sequential, found prefixes {sorted(prefixes)}")
    out = []
    for key in sorted(layers, key=lambda k: k[1]):
        entry = layers[key]
        if "weight" not in entry or entry["weight"].ndim != 2:
            raise SystemExit(f"error: layer {key[0]}{key[1]} has no 2-D weight")
        w = entry["weight"]
        b = entry.get("bias", np.zeros(w.shape[0], np.float32))
        if out and out[-1][0].shape[0] != w.shape[1]:
            raise SystemExit(f"error: layer {key[0]}{key[1]} does not chain: {w.shape} after {out[-1][0].shape}")
        out.append((w, b))
    if not out:
        raise SystemExit("error: no <i>.weight tensors in the model")
    return out


def read_points(path):
    p = np.load(path)
    if p.ndim != 2 or p.shape[0] < 3:
        raise SystemExit(f"error: {path}: expected points of shape [3, D], got {p.shape}")
    return p[:3]


def forward64(layers, x, activation):
    """Float64 forward pass of the whole network (no activation after the last layer)."""
    x = x.astype(np.float64)
    for i, (w, b) in enumerate(layers):
        x = x @ w.astype(np.float64).T + b.astype(np.float64)
        if i < len(layers) - 1:
            x = activation(x)
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="safetensors state_dict of an nn.Sequential MLP")
    ap.add_argument("--points", required=True, help=".npy anchors [3, D]")
    ap.add_argument("--size", type=float, default=1.5, help="through_points size (tessera's square:S)")
    ap.add_argument("--activation", default=None, help="relu or leaky_relu:A (default: model metadata, else relu)")
    ap.add_argument("--no-decision-boundary", action="store_true", help="skip regioncam's decision_boundary()")
    ap.add_argument("--json", help="write a JSON summary here")
    args = ap.parse_args()

    tensors, metadata = read_safetensors(args.model)
    layers = linear_layers(tensors)
    anchors = read_points(args.points)
    if anchors.shape[1] != layers[0][0].shape[1]:
        raise SystemExit(f"error: anchors have dimension {anchors.shape[1]}, the model expects {layers[0][0].shape[1]}")
    activation = args.activation or metadata.get("activation", "relu")
    if activation == "relu":
        slope = None
        act64 = lambda x: np.maximum(x, 0)
    elif activation.startswith("leaky_relu"):
        slope = float(activation.split(":", 1)[1]) if ":" in activation else 0.01
        act64 = lambda x: np.where(x >= 0, x, slope * x)
    else:
        raise SystemExit(f"error: regioncam has no activation '{activation}'")
    # regioncam computes x @ weight + bias: weights go in as [in, out], float32, contiguous.
    weights = [(np.ascontiguousarray(w.T, dtype=np.float32), np.ascontiguousarray(b, dtype=np.float32)) for w, b in layers]
    points32 = np.ascontiguousarray(anchors, dtype=np.float32)  # regioncam is float32 throughout
    t_loaded = time.perf_counter()

    # ---- the slice itself ----
    t0 = time.perf_counter()
    rc = regioncam.Regioncam.through_points(points32, size=args.size)
    corners = np.array(rc.vertex_inputs, dtype=np.float64)
    per_layer = []
    final_layer = None
    for i, (w, b) in enumerate(weights):
        final_layer = rc.linear(w, b)
        if i < len(weights) - 1:
            if slope is None:
                rc.relu()
            else:
                rc.leaky_relu(slope)
            per_layer.append({"index": i + 1, "neurons": int(w.shape[1]), "regions": int(rc.num_faces)})
    regions = int(rc.num_faces)
    faces_db = None
    if not args.no_decision_boundary:
        rc.decision_boundary()
        faces_db = int(rc.num_faces)
    t1 = time.perf_counter()

    # ---- checks (outside the slice timing) ----
    # Same network: float64 forward pass at up to 2000 of regioncam's vertices, mapped into input
    # space by regioncam's own plane, against regioncam's values at the final Linear layer.
    vin = np.array(rc.vertex_inputs, dtype=np.float64)
    vout = np.array(rc.layers[final_layer].vertex_activations, dtype=np.float64)
    pick = np.linspace(0, len(vin) - 1, num=min(2000, len(vin))).astype(int)
    plane_w = np.array(rc.plane.weight, dtype=np.float64)
    plane_b = np.array(rc.plane.bias, dtype=np.float64)
    x = vin[pick] @ plane_w + plane_b
    ref = forward64(layers, x, act64)
    scale = max(1e-30, float(np.abs(ref).max()))
    forward_err = float(np.abs(ref - vout[pick]).max()) / scale
    # The plane passes through the anchors (to float32 accuracy).
    a2 = (anchors.astype(np.float64) - plane_b) @ plane_w.T
    anchor_err = float(np.abs(a2 @ plane_w + plane_b - anchors).max())
    half = float((corners.max(axis=0) - corners.min(axis=0)).max() / 2)

    summary = {
        "regions": regions,
        "faces_with_decision_boundary": faces_db,
        "vertices": int(rc.num_vertices),
        "edges": int(rc.num_edges),
        "layers": per_layer,
        "domain": {"half_width": half, "area": float((2 * half) ** 2)},
        "seconds": t1 - t0,
        "seconds_import": T_IMPORTED - T_START,
        "seconds_load": t_loaded - T_IMPORTED,
        "forward_rel_error": forward_err,
        "anchor_plane_error": anchor_err,
        "regioncam_version": getattr(regioncam, "__version__", None) or _dist_version(),
        "activation": activation,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    print(f"regioncam: {regions} regions ({faces_db} faces with the decision boundary), "
          f"per layer {[l['regions'] for l in per_layer]}, slice {t1 - t0:.3f} s, "
          f"forward check rel. error {forward_err:.1e}")
    if forward_err > 1e-3:
        print("error: regioncam's outputs do not match a float64 forward pass of the model", file=sys.stderr)
        return 1
    return 0


def _dist_version():
    try:
        from importlib.metadata import version
        return version("regioncam")
    except Exception:
        return None


if __name__ == "__main__":
    sys.exit(main())

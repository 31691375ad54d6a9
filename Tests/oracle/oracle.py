#!/usr/bin/env python3
"""An independent exact reference for `tessera slice`, written from the definitions.

A piecewise-affine network restricted to the plane x(s, t) = x1 + s*d1 + t*d2 is affine on each
linear region. Starting from the domain polygon, every hidden layer splits each region by the zero
line of each of its units (exact Fractions, Sutherland-Hodgman on a convex polygon), and the
activation is then applied region by region with the signs it was split by. Convolutions are
turned into dense matrices from ONNX's definition of Conv. For one-hidden-layer networks the count
is also taken from the line arrangement alone: 1 + (distinct lines crossing the domain) +
sum over interior crossing points of (lines through it - 1).

Each seeded case writes a model (.safetensors for MLPs, .onnx for CNNs) and three anchors (.npy),
runs `tessera slice --json` (and for MLPs `--regions --exact-vertices`) and compares the region,
vertex and edge counts, each layer's region count and cut units, and for MLPs every region's exact
corners. Nothing here is shared with tessera's engine.

Usage: oracle.py TESSERA_BINARY [--cases N] [--seed S] [--keep DIR]
Prints one line per failing case and closes with "N passed, N failed".
"""
import argparse
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
from fractions import Fraction as F

# ----------------------------------------------------------------------------- exact geometry


def area2(poly):
    """Twice the signed area of a polygon of Fraction points."""
    return sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(poly, poly[1:] + poly[:1]))


def value(form, p):
    a, b, c = form
    return a * p[0] + b * p[1] + c


def split(poly, form):
    """The parts of a convex polygon where the affine form is > 0 and < 0 (None when empty)."""
    vals = [value(form, p) for p in poly]
    pos, neg = [], []
    n = len(poly)
    for i in range(n):
        p, q, vp, vq = poly[i], poly[(i + 1) % n], vals[i], vals[(i + 1) % n]
        if vp >= 0:
            pos.append(p)
        if vp <= 0:
            neg.append(p)
        if (vp > 0 and vq < 0) or (vp < 0 and vq > 0):
            r = vp / (vp - vq)
            x = (p[0] + r * (q[0] - p[0]), p[1] + r * (q[1] - p[1]))
            pos.append(x)
            neg.append(x)
    return (pos if any(v > 0 for v in vals) else None), (neg if any(v < 0 for v in vals) else None)


def corners(poly):
    """The polygon without repeated points and without points interior to a side."""
    out = []
    for p in poly:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    changed = True
    while changed and len(out) > 3:
        changed = False
        for i in range(len(out)):
            a, b, c = out[i - 1], out[i], out[(i + 1) % len(out)]
            if (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) == 0:
                del out[i]
                changed = True
                break
    return out


# ----------------------------------------------------------------------------- the reference


def apply_affine(weights, bias, forms):
    """Forms of W·x + b, x given by forms (a, b, c) of (s, t)."""
    out = []
    for row, b0 in zip(weights, bias):
        a = sum((w * f[0] for w, f in zip(row, forms)), F(0))
        b = sum((w * f[1] for w, f in zip(row, forms)), F(0))
        c = sum((w * f[2] for w, f in zip(row, forms)), F(0)) + b0
        out.append((a, b, c))
    return out


def activate(activation, form, sign):
    """The unit's output form on a piece where its input has this sign (0: zero on the whole piece)."""
    if sign > 0:
        return form
    if sign == 0 or activation == "relu":
        return (F(0), F(0), F(0))
    if activation == "abs":
        return tuple(-x for x in form)
    return tuple(activation * x for x in form)  # leaky ReLU, activation = its negative slope


def reference(layers, activation, anchors, domain):
    """layers: [(W, b)] as Fractions, the last one the output layer. Returns the regions (corner
    lists) and per hidden layer (regions after it, units cut)."""
    x1, x2, x3 = anchors
    d1 = [b - a for a, b in zip(x1, x2)]
    d2 = [c - a for a, c in zip(x1, x3)]
    inputs = [(d1[i], d2[i], x1[i]) for i in range(len(x1))]
    pieces = [(domain, inputs)]
    stats = []
    for W, b in layers[:-1]:
        cut = [False] * len(W)
        new_pieces = []
        for poly, forms in pieces:
            pre = apply_affine(W, b, forms)
            for j, form in enumerate(pre):
                # A unit cuts the domain when its input takes both signs inside some region.
                if not cut[j] and all(part is not None for part in split(poly, form)):
                    cut[j] = True
            parts = [(poly, [])]
            for form in pre:
                nxt = []
                for part, signs in parts:
                    pos, neg = split(part, form)
                    if pos is None and neg is None:
                        nxt.append((part, signs + [0]))
                    else:
                        if pos is not None:
                            nxt.append((pos, signs + [1]))
                        if neg is not None:
                            nxt.append((neg, signs + [-1]))
                parts = nxt
            for part, signs in parts:
                new_pieces.append((part, [activate(activation, f, s) for f, s in zip(pre, signs)]))
        pieces = new_pieces
        stats.append((len(pieces), sum(cut)))
    return [corners(p) for p, _ in pieces], stats


def arrangement_count(W, b, anchors, domain):
    """Regions of one hidden layer from its line arrangement alone."""
    x1, x2, x3 = anchors
    lines = set()
    for row, b0 in zip(W, b):
        a = sum((w * (q - p) for w, p, q in zip(row, x1, x2)), F(0))
        c2 = sum((w * (r - p) for w, p, r in zip(row, x1, x3)), F(0))
        c = sum((w * p for w, p in zip(row, x1)), F(0)) + b0
        if a == 0 and c2 == 0:
            continue
        # Normalise so that coincident lines compare equal.
        k = a if a != 0 else c2
        lines.add((a / k, c2 / k, c / k))
    def strictly_inside(p):
        m = len(domain)
        return all((domain[(i + 1) % m][0] - domain[i][0]) * (p[1] - domain[i][1])
                   - (domain[(i + 1) % m][1] - domain[i][1]) * (p[0] - domain[i][0]) > 0 for i in range(m))
    crossing = []
    for line in lines:
        vals = [value(line, p) for p in domain]
        if any(v > 0 for v in vals) and any(v < 0 for v in vals):
            crossing.append(line)
    points = {}
    for i in range(len(crossing)):
        for j in range(i + 1, len(crossing)):
            (a1, b1, c1), (a2, b2, c2) = crossing[i], crossing[j]
            det = a1 * b2 - a2 * b1
            if det == 0:
                continue
            p = ((b1 * c2 - b2 * c1) / det, (a2 * c1 - a1 * c2) / det)
            if strictly_inside(p):
                points.setdefault(p, set()).update([i, j])
    return 1 + len(crossing) + sum(len(s) - 1 for s in points.values())


# ----------------------------------------------------------------------------- files


def write_npy(path, rows):
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }" % (len(rows), len(rows[0]))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        for row in rows:
            f.write(struct.pack("<%dd" % len(row), *[float(x) for x in row]))


def write_safetensors(path, tensors):
    """tensors: [(name, shape, float32-exact values)]."""
    header, data = {}, b""
    for name, shape, values in tensors:
        raw = struct.pack("<%df" % len(values), *[float(v) for v in values])
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def write_onnx(path, image, convs, dense, activation):
    import numpy as np
    import onnx
    from onnx import TensorProto, helper
    nodes, inits = [], []
    current, channels = "input", image[0]
    act = {"relu": "Relu", "abs": "Abs"}.get(activation, "LeakyRelu")
    for k, conv in enumerate(convs):
        w = np.array([float(v) for v in conv["weights"]], dtype=np.float32).reshape(conv["out"], channels, conv["kernel"], conv["kernel"])
        inits += [helper.make_tensor(f"conv{k}.weight", TensorProto.FLOAT, w.shape, w.flatten().tolist()),
                  helper.make_tensor(f"conv{k}.bias", TensorProto.FLOAT, [conv["out"]], [float(v) for v in conv["bias"]])]
        nodes.append(helper.make_node("Conv", [current, f"conv{k}.weight", f"conv{k}.bias"], [f"c{k}"],
                                      kernel_shape=[conv["kernel"]] * 2, strides=[conv["stride"]] * 2, pads=[conv["pad"]] * 4))
        extra = {"alpha": float(activation)} if act == "LeakyRelu" else {}
        nodes.append(helper.make_node(act, [f"c{k}"], [f"a{k}"], **extra))
        current, channels = f"a{k}", conv["out"]
    nodes.append(helper.make_node("Flatten", [current], ["flat"], axis=1))
    W, b = dense
    inits += [helper.make_tensor("fc.weight", TensorProto.FLOAT, [len(W), len(W[0])], [float(v) for row in W for v in row]),
              helper.make_tensor("fc.bias", TensorProto.FLOAT, [len(b)], [float(v) for v in b])]
    nodes.append(helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], transB=1))
    graph = helper.make_graph(nodes, "oracle", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1] + list(image))],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, len(W)])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)


def conv_matrix(image, conv):
    """The dense (W, b) of a square Conv on a C×H×W image (ONNX: cross-correlation, zero pads)."""
    c_in, h, w = image
    k, s, p, c_out = conv["kernel"], conv["stride"], conv["pad"], conv["out"]
    oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    weights = [F(v) for v in conv["weights"]]
    rows, bias = [], []
    for o in range(c_out):
        for y in range(oh):
            for x in range(ow):
                row = [F(0)] * (c_in * h * w)
                for c in range(c_in):
                    for i in range(k):
                        for j in range(k):
                            iy, ix = y * s + i - p, x * s + j - p
                            if 0 <= iy < h and 0 <= ix < w:
                                row[(c * h + iy) * w + ix] += weights[((o * c_in + c) * k + i) * k + j]
                rows.append(row)
                bias.append(F(conv["bias"][o]))
    return (rows, bias), (c_out, oh, ow)


# ----------------------------------------------------------------------------- cases


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def domain_corners(spec, L, M, anchors_frame):
    """The domain in (s, t) for anchors x1, x1 + L·e_i, x1 + M·e_j (L, M powers of two), computed as
    tessera documents it: frame corners in float64, then s = x/L, t = y/M (exact here)."""
    kind, _, arg = spec.partition(":")
    if kind == "square":
        S = float(arg)
        xs, ys = [a[0] for a in anchors_frame], [a[1] for a in anchors_frame]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        m = max(max(abs(a[0] - cx), abs(a[1] - cy)) for a in anchors_frame)
        h = S * m
        frame = [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    elif kind == "triangle":
        S = float(arg)
        g = ((anchors_frame[0][0] + anchors_frame[1][0] + anchors_frame[2][0]) / 3,
             (anchors_frame[0][1] + anchors_frame[1][1] + anchors_frame[2][1]) / 3)
        frame = [(g[0] + S * (a[0] - g[0]), g[1] + S * (a[1] - g[1])) for a in anchors_frame]
    else:  # diamond:R@k
        r, _, k = arg.partition("@")
        R, c = float(r), anchors_frame[int(k) - 1]
        frame = [(c[0] + R, c[1]), (c[0], c[1] + R), (c[0] - R, c[1]), (c[0], c[1] - R)]
    return [(F(x / L), F(y / M)) for x, y in frame]


def make_case(index, seed):
    """A seeded tiny network, three anchors and a domain; degenerate families in turn."""
    rng = random.Random(seed * 1_000_003 + index)
    families = ["random", "zero-bias", "integer", "duplicated-dead", "corner-line", "edge-line", "one-layer", "cnn", "cnn-integer", "dead"]
    family = families[index % len(families)]
    activation = rng.choice(["relu", "relu", "abs", F(1, 4)])
    cnn = family.startswith("cnn")
    integer = family in ("integer", "cnn-integer")
    if cnn:
        image = (rng.choice([1, 2]), 3, 3) if family == "cnn" else (1, *[rng.choice([3, 4])] * 2)
        dim = image[0] * image[1] * image[2]
    else:
        dim = rng.choice([2, 3, 4])
    L, M = rng.choice([1.0, 0.5, 2.0]), rng.choice([1.0, 0.5, 0.25])
    i, j = rng.sample(range(dim), 2)
    if family == "zero-bias":
        x1 = [0.0] * dim
    elif integer or family in ("corner-line", "edge-line"):
        x1 = [rng.randint(-2, 2) / 2 for _ in range(dim)]
    else:
        x1 = [f32(rng.uniform(-1, 1)) for _ in range(dim)]
    x2, x3 = list(x1), list(x1)
    x2[i] += L
    x3[j] += M
    anchors_frame = [(0.0, 0.0), (L, 0.0), (0.0, M)]
    spec = rng.choice(["square:1.5", "square:3", "triangle:2", "diamond:0.5@1", "diamond:0.75@2"])
    if family in ("corner-line", "edge-line"):
        spec = "square:1.5"
    domain = domain_corners(spec, L, M, anchors_frame)

    def weight(fan_in):
        return F(rng.randint(-2, 2)) if integer else F(f32(rng.gauss(0, 1) / fan_in ** 0.5))

    def bias_value():
        if family == "zero-bias":
            return F(0)
        return F(rng.randint(-2, 2), 2) if integer else F(f32(rng.gauss(0, 0.3)))

    convs = []
    if cnn:
        shape = image
        for _ in range(rng.choice([1, 2])):
            k = 2
            conv = {"kernel": k, "stride": rng.choice([1, 1, 2]) if shape[1] > 2 else 1, "pad": rng.choice([0, 0, 1]),
                    "out": rng.choice([1, 2]), "weights": [], "bias": []}
            conv["weights"] = [weight(shape[0] * k * k) for _ in range(conv["out"] * shape[0] * k * k)]
            conv["bias"] = [bias_value() for _ in range(conv["out"])]
            (_, _), shape = conv_matrix(shape, conv)
            convs.append(conv)
            if shape[1] < 2:
                break
        hidden = []
        shape = image
        for conv in convs:
            m, shape = conv_matrix(shape, conv)
            hidden.append(m)
        flat = shape[0] * shape[1] * shape[2]
        out = [[weight(flat) for _ in range(flat)] for _ in range(rng.choice([2, 3]))]
        layers = hidden + [(out, [bias_value() for _ in out])]
    else:
        depth = 1 if family in ("one-layer", "corner-line", "edge-line") else rng.choice([1, 2, 2, 3])
        widths = [dim] + [rng.choice([2, 3, 4, 5]) for _ in range(depth)] + [rng.choice([1, 2, 3])]
        layers = []
        for n, m in zip(widths, widths[1:]):
            W = [[weight(n) for _ in range(n)] for _ in range(m)]
            b = [bias_value() for _ in range(m)]
            if family == "duplicated-dead" and len(layers) < depth and m >= 2:
                W[1], b[1] = list(W[0]), b[0]
                W[m - 1], b[m - 1] = [F(0)] * n, F(0)
            if family == "dead" and len(layers) < depth:
                b = [F(-8 - rng.randint(0, 4)) for _ in b]
                W = [[w / 16 for w in row] for row in W]
            layers.append((W, b))
        ex1, ex2, ex3 = ([F(v) for v in x] for x in (x1, x2, x3))
        if family in ("corner-line", "edge-line"):
            # Unit 0's line through a domain corner, unit 1's (if any) along the domain's first side.
            W, b = layers[0]
            for unit, wanted in ((0, "corner"), (1, "edge")):
                if unit >= len(W) or (family == "corner-line" and wanted == "edge"):
                    continue
                if wanted == "corner":
                    W[unit] = [F(rng.choice([-2, -1, 1, 2])) for _ in W[unit]]
                    s, t = domain[rng.randrange(len(domain))]
                    point = [p + s * (q - p) + t * (r - p) for p, q, r in zip(ex1, ex2, ex3)]
                    b[unit] = -sum((w * x for w, x in zip(W[unit], point)), F(0))
                else:
                    # Zero exactly on t = t0 (the square's bottom side): weight only along d2.
                    t0 = domain[0][1]
                    W[unit] = [F(0)] * len(W[unit])
                    W[unit][j] = F(1)
                    b[unit] = -(ex1[j] + t0 * (ex3[j] - ex1[j]))
            # Float32 must hold the bias exactly for the file to carry the same network.
            layers[0] = (W, b)
    return {"family": family, "activation": activation, "layers": layers, "convs": convs,
            "image": image if cnn else None, "anchors": [x1, x2, x3], "spec": spec, "domain": domain}


def representable(case):
    for W, b in case["layers"]:
        for v in [x for row in W for x in row] + list(b):
            if F(f32(float(v))) != v:
                return False
    return True


def activation_flag(activation):
    return activation if isinstance(activation, str) else "leaky_relu:%s" % float(activation)


def run_case(binary, case, work):
    points = os.path.join(work, "anchors.npy")
    write_npy(points, case["anchors"])
    if case["convs"]:
        model = os.path.join(work, "model.onnx")
        act = case["activation"]
        write_onnx(model, case["image"], case["convs"], case["layers"][-1], act if isinstance(act, str) else float(act))
        extra = ["--threads", "1"]
    else:
        model = os.path.join(work, "model.safetensors")
        tensors = []
        for k, (W, b) in enumerate(case["layers"]):
            tensors.append(("%d.weight" % (2 * k), [len(W), len(W[0])], [x for row in W for x in row]))
            tensors.append(("%d.bias" % (2 * k), [len(b)], list(b)))
        write_safetensors(model, tensors)
        extra = ["--activation", activation_flag(case["activation"]), "--regions", os.path.join(work, "s.geojson"), "--exact-vertices"]
    out = os.path.join(work, "s.json")
    run = subprocess.run([binary, "slice", "--model", model, "--points", points, "--domain", case["spec"],
                          "--json", out] + extra, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        return None, None, "tessera slice failed: " + run.stderr.strip()
    summary = json.load(open(out))
    geo = json.load(open(os.path.join(work, "s.geojson"))) if not case["convs"] else None
    return summary, geo, None


def compare(case, summary, geo):
    """The differences between tessera's slice and the reference, as text (empty when none)."""
    exact = [[F(v) for v in x] for x in case["anchors"]]
    regions, stats = reference(case["layers"], case["activation"], exact, case["domain"])
    problems = []
    vertices = {p for r in regions for p in r}
    edges = len(vertices) + len(regions) - 1  # Euler: V - E + (F + 1) = 2 for the convex domain
    mine = {"regions": len(regions), "vertices": len(vertices), "edges": edges}
    for key, expected in mine.items():
        if summary[key] != expected:
            problems.append("%s: tessera %d, reference %d" % (key, summary[key], expected))
    layers = [(layer["regions"], layer["neurons_cut"]) for layer in summary["layers"]]
    if layers != stats:
        problems.append("layers (regions, units cut): tessera %s, reference %s" % (layers, stats))
    if len(case["layers"]) == 2:
        W, b = case["layers"][0]
        count = arrangement_count(W, b, exact, case["domain"])
        if count != len(regions) or summary["regions"] != count:
            problems.append("line arrangement: %d regions, reference %d, tessera %d" % (count, len(regions), summary["regions"]))
    if geo is not None:
        theirs = sorted(sorted(corners([(F(s), F(t)) for s, t in feature["properties"]["exact_vertices"]]))
                        for feature in geo["features"] if feature["properties"].get("kind") == "region")
        ours = sorted(sorted(r) for r in regions)
        if theirs != ours:
            missing = sum(1 for r in ours if r not in theirs)
            problems.append("exact region corners differ (%d of %d reference regions not in tessera's)" % (missing, len(ours)))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="keep each case's files in this directory")
    args = parser.parse_args()
    passed = failed = 0
    families = {}
    for index in range(args.cases):
        case = make_case(index, args.seed)
        assert representable(case), "case %d: a parameter is not a float32" % index
        work = os.path.join(args.keep, "case-%03d" % index) if args.keep else tempfile.mkdtemp(prefix="tessera-oracle-")
        os.makedirs(work, exist_ok=True)
        summary, geo, error = run_case(args.binary, case, work)
        problems = [error] if error else compare(case, summary, geo)
        families[case["family"]] = families.get(case["family"], 0) + 1
        if problems:
            failed += 1
            print("case %d (%s, %s, %s): %s" % (index, case["family"], activation_flag(case["activation"]), case["spec"], "; ".join(problems)))
        else:
            passed += 1
        if not args.keep:
            for name in os.listdir(work):
                os.remove(os.path.join(work, name))
            os.rmdir(work)
    print("oracle: " + ", ".join("%d %s" % (n, f) for f, n in sorted(families.items())))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

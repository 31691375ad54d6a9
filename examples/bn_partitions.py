"""Exact partitions of the batch-norm experiment: for each run and four checkpoints, two disks of radius R in the
plane through training images a, b and c: one centred on image a (the data point), one centred where the
segment from a to b first crosses the network's decision boundary at that checkpoint (found by bisection on the
logits in float64; any point of the plane serves as a centre, this one puts the boundary in view). Both disks lie
in the same plane. Writes every slice's JSON and PNG and one grid picture with the region counts.

    python examples/bn_partitions.py --out docs/bn-partitions.png --runs output/bn/cnn16:0,40,100,100000 \\
        output/bn/cnn16-bn:0,25,1000,100000 --indices 428,720,940 --radius 0.03
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idx_data import FASHION_MNIST, load_split  # noqa: E402
from models import build  # noqa: E402

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def model_at(run, step):
    from safetensors.torch import load_file
    spec = json.load(open(os.path.join(run, "run.json")))["architecture"]
    model = build(spec)
    model.load_state_dict(load_file(os.path.join(run, "checkpoints", f"step-{step:09d}.safetensors")), strict=False)
    return model.eval().double()


def boundary_point(model, a, b, iterations=60):
    """The first point of segment a→b (on a grid of 1,024, then bisection) whose predicted class differs from a's."""
    with torch.no_grad():
        ts = torch.linspace(0, 1, 1025, dtype=torch.float64)
        points = (1 - ts)[:, None] * a[None] + ts[:, None] * b[None]
        classes = model(points.reshape(-1, 1, 28, 28)).argmax(1)
        changed = (classes != classes[0]).nonzero()
        if len(changed) == 0:
            return None, int(classes[0]), int(classes[0])
        hi = ts[changed[0, 0]].item()
        lo = ts[changed[0, 0] - 1].item()
        first = int(classes[0])
        for _ in range(iterations):
            mid = (lo + hi) / 2
            c = int(model(((1 - mid) * a + mid * b).reshape(1, 1, 28, 28)).argmax(1))
            lo, hi = (mid, hi) if c == first else (lo, mid)
        point = (1 - hi) * a + hi * b
        return point, first, int(model(point.reshape(1, 1, 28, 28)).argmax(1))


def slice_disk(tessera, run, step, anchors, radius, stem, size):
    np.save(stem + ".npy", anchors.numpy())
    command = [tessera, "slice", "--model", os.path.join(run, "checkpoints", f"step-{step:09d}.safetensors"),
               "--architecture", os.path.join(run, "model.onnx"), "--points", stem + ".npy",
               "--domain", f"disk:{radius}@1", "--json", stem + ".json", "--png", stem + ".png", "--size", str(size),
               "--fill", "class", "--class-names", ",".join(CLASSES), "--no-thumbnails", "--title", " "]
    subprocess.run(command, check=True, capture_output=True)
    return json.load(open(stem + ".json"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", nargs="+", required=True, help="RUN:step,step,step,step")
    parser.add_argument("--indices", default="428,720,940", help="training images a, b, c")
    parser.add_argument("--radius", type=float, default=0.03)
    parser.add_argument("--size", type=int, default=420)
    parser.add_argument("--tessera", default=".build/release/tessera")
    parser.add_argument("--work", default="output/bn/partitions")
    parser.add_argument("--out", required=True, help="the grid picture (PNG)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    indices = [int(i) for i in args.indices.split(",")]
    images, labels = load_split(FASHION_MNIST, "train", max(indices) + 1)
    a, b, c = (torch.from_numpy(images[i].reshape(-1)).double() for i in indices)
    rows, summary = [], []
    for spec in args.runs:
        run, steps = spec.rsplit(":", 1)
        name = os.path.basename(os.path.normpath(run))
        at_image, at_boundary = [], []
        for step in (int(s) for s in steps.split(",")):
            model = model_at(run, step)
            stem = os.path.join(args.work, f"{name}-{step}")
            image = slice_disk(args.tessera, run, step, torch.stack([a, b, c]), args.radius, stem + "-image", args.size)
            point, first, second = boundary_point(model, a, b)
            if point is None:
                boundary = None
            else:
                boundary = slice_disk(args.tessera, run, step, torch.stack([point, a, c]), args.radius,
                                      stem + "-boundary", args.size)
            distance = None if point is None else float((point - a).norm())
            with torch.no_grad():
                logits = model(a.reshape(1, 1, 28, 28))[0]
                top2 = logits.topk(2).values
            entry = {"run": name, "step": step, "image_regions": image["regions"],
                     "image_boundary_segments": image["decision_boundary"]["segments"],
                     "boundary_regions": None if boundary is None else boundary["regions"],
                     "boundary_boundary_segments": None if boundary is None else boundary["decision_boundary"]["segments"],
                     "distance_a_to_boundary": distance, "classes": [CLASSES[first], CLASSES[second]],
                     "margin_at_a": float(top2[0] - top2[1])}
            summary.append(entry)
            print(json.dumps(entry), flush=True)
            at_image.append((step, stem + "-image.png", image["regions"]))
            at_boundary.append((step, None if boundary is None else stem + "-boundary.png",
                                None if boundary is None else boundary["regions"], distance, entry["classes"]))
        rows.append((f"{name}\nat image a", at_image, None))
        rows.append((f"{name}\nat the boundary", at_boundary, True))
    json.dump(summary, open(os.path.join(args.work, "summary.json"), "w"), indent=1)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    columns = max(len(r[1]) for r in rows)
    fig, axes = plt.subplots(len(rows), columns, figsize=(2.6 * columns + 0.9, 2.75 * len(rows)))
    for r, (label, cells, is_boundary) in enumerate(rows):
        for k, cell in enumerate(cells):
            ax = axes[r][k]
            ax.set_xticks([]); ax.set_yticks([])
            for side in ax.spines.values():
                side.set_visible(False)
            step, path, regions = cell[0], cell[1], cell[2]
            if path is None:
                ax.text(0.5, 0.5, "no boundary\non segment a→b", ha="center", va="center", fontsize=8)
            else:
                ax.imshow(plt.imread(path))
            title = f"step {step:,} · {regions:,} regions" if regions is not None else f"step {step:,}"
            if is_boundary and cell[3] is not None:
                title += f"\n{cell[4][0]} | {cell[4][1]}, {cell[3]:.2f} from a"
            ax.set_title(title, fontsize=7.5)
            if k == 0:
                ax.set_ylabel(label, fontsize=8.5)
    fig.suptitle(f"Exact partitions, disks of radius {args.radius} in the plane through training images "
                 f"{indices[0]} (a, {CLASSES[labels[indices[0]]]}),\n{indices[1]} (b, {CLASSES[labels[indices[1]]]}) and "
                 f"{indices[2]} (c, {CLASSES[labels[indices[2]]]}); fill: predicted class, red: decision boundary",
                 fontsize=8.5)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.savefig(args.out, dpi=110)


if __name__ == "__main__":
    main()

"""The batch-norm experiment's numbers and plot, from `tessera lc --csv` tables beside two or more runs.

    python examples/bn_summary.py output/bn/cnn16 output/bn/cnn16-bn --plot docs/bn-lc.png > summary.md

Prints (Markdown): per radius, a table of LC at one checkpoint per half decade (mean ± standard error over the
points of each set) with the accuracies; then, per run, set and radius, the turning points of the smoothed curve
(each descent and ascent with the step where it starts and ends); then the ratio with / without batch norm over
the last decade. The curve is smoothed in log(step) by a running median of 3 checkpoints followed by a running
mean of 5 (single checkpoints swing with batch 16); a turning point counts when the smoothed curve moves by more
than 10 % of its range before turning back. Needs matplotlib for --plot.
"""
import argparse
import csv
import math
import os


def read_rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def curves(run):
    """{(split, radius): [(step, mean, std, n)]} sorted by step."""
    groups = {}
    for row in read_rows(os.path.join(run, "lc.csv")):
        key = (row["split"], float(row["radius"]))
        groups.setdefault(key, []).append((int(row["step"]), float(row["lc_mean"]), float(row["lc_std"]), int(row["samples"])))
    return {k: sorted(v) for k, v in groups.items()}


def metrics(run):
    return {int(r["step"]): r for r in read_rows(os.path.join(run, "metrics.csv"))}


def smooth(values):
    median = [sorted(values[max(i - 1, 0):i + 2])[len(values[max(i - 1, 0):i + 2]) // 2] for i in range(len(values))]
    return [sum(median[max(i - 2, 0):i + 3]) / len(median[max(i - 2, 0):i + 3]) for i in range(len(median))]


def turning_points(steps, values, fraction=0.10):
    """Alternating extrema of a curve: each kept only if the curve moves by more than `fraction` of its range
    between it and the next kept extremum (a zig-zag filter)."""
    threshold = fraction * (max(values) - min(values))
    points = [(steps[0], values[0])]
    direction = 0  # +1 rising, -1 falling, 0 unknown
    candidate = (steps[0], values[0])
    for step, value in zip(steps[1:], values[1:]):
        if direction >= 0 and value >= candidate[1]:
            candidate = (step, value)
            if direction == 0 and value - points[-1][1] > threshold:
                direction = 1
        elif direction <= 0 and value <= candidate[1]:
            candidate = (step, value)
            if direction == 0 and points[-1][1] - value > threshold:
                direction = -1
        if direction == 1 and candidate[1] - value > threshold:
            points.append(candidate)
            candidate, direction = (step, value), -1
        elif direction == -1 and value - candidate[1] > threshold:
            points.append(candidate)
            candidate, direction = (step, value), 1
    points.append((steps[-1], values[-1]) if candidate[0] != steps[-1] else candidate)
    return points


def half_decade_steps(available):
    """The checkpoint nearest 10^(k/2) (in log(step)) for k = 0, 1, ..., plus step 0."""
    chosen = [0] if 0 in available else []
    k = 0
    while 10 ** (k / 2) <= max(available) * 1.01:
        target = math.log10(10 ** (k / 2))
        best = min((s for s in available if s > 0), key=lambda s: abs(math.log10(s) - target))
        if best not in chosen:
            chosen.append(best)
        k += 1
    return chosen


def fmt(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def se(value):
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--plot", help="PNG of the LC curves (one panel per radius) and the accuracies")
    args = parser.parse_args()
    names = [os.path.basename(os.path.normpath(r)) for r in args.runs]
    data = {name: curves(run) for name, run in zip(names, args.runs)}
    accuracy = {name: metrics(run) for name, run in zip(names, args.runs)}
    radii = sorted({radius for name in names for (_, radius) in data[name]}, reverse=True)
    splits = ["train", "test", "random"]

    for radius in radii:
        print(f"\n### r = {radius} (mean ± standard error; train / test accuracy)\n")
        header = "| step | " + " | ".join(f"{n} {s}" for n in names for s in splits) + " | " + " | ".join(f"{n} acc" for n in names) + " |"
        print(header)
        print("|" + "---|" * (1 + len(names) * (len(splits) + 1)))
        steps = sorted({s for n in names for (s, *_rest) in data[n][("train", radius)]})
        for step in half_decade_steps(steps):
            cells = []
            for n in names:
                for s in splits:
                    row = [r for r in data[n].get((s, radius), []) if r[0] == step]
                    cells.append(f"{fmt(row[0][1])} ± {se(row[0][2] / math.sqrt(row[0][3]))}" if row else "")
            for n in names:
                m = accuracy[n].get(step)
                cells.append(f"{100 * float(m['train_accuracy']):.0f} / {100 * float(m['test_accuracy']):.0f} %" if m else "")
            print(f"| {step:,} | " + " | ".join(cells) + " |")

    print("\n### Turning points of the smoothed curves (step: smoothed LC)\n")
    print("| run | set | r | start | turning points … | end | last / highest after the first ascent |")
    print("|---|---|---|---|---|---|---|")
    for n in names:
        for radius in radii:
            for s in splits:
                rows = data[n].get((s, radius))
                if not rows:
                    continue
                steps = [r[0] for r in rows]
                values = smooth([r[1] for r in rows])
                points = turning_points(steps, values)
                inner = " → ".join(f"{p[0]:,}: {fmt(p[1])}" for p in points[1:-1]) or "(monotone)"
                after = [v for st, v in zip(steps, values) if st >= 10]
                peak = max(after) if after else float("nan")
                print(f"| {n} | {s} | {radius} | {fmt(points[0][1])} | {inner} | {points[-1][0]:,}: {fmt(points[-1][1])} | "
                      f"{points[-1][1] / peak:.2f} |")

    if len(names) >= 2:
        base, other = names[0], names[1]
        print(f"\n### {other} / {base} over the last decade (mean of the ratios of the raw curves)\n")
        print("| r | " + " | ".join(splits) + " |")
        print("|---|" + "---|" * len(splits))
        for radius in radii:
            cells = []
            for s in splits:
                a = {r[0]: r[1] for r in data[base].get((s, radius), [])}
                b = {r[0]: r[1] for r in data[other].get((s, radius), [])}
                last = max(a)
                common = [st for st in a if st in b and st >= last / 10]
                cells.append(f"{sum(b[st] / a[st] for st in common) / len(common):.2f}" if common else "")
            print(f"| {radius} | " + " | ".join(cells) + " |")

    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        colors = {"train": "#0072B2", "test": "#E69F00", "random": "#009E73"}
        styles = ["-", "--", ":", "-."]
        fig, axes = plt.subplots(1, len(radii) + 1, figsize=(5.2 * (len(radii) + 1), 4.2))
        for ax, radius in zip(axes, radii):
            top = 0.0
            for i, n in enumerate(names):
                for s in splits:
                    rows = data[n].get((s, radius))
                    if not rows:
                        continue
                    x = [r[0] + 1 for r in rows]
                    ax.plot(x, [r[1] for r in rows], color=colors[s], linestyle=styles[i], alpha=0.25, linewidth=0.8)
                    smoothed = smooth([r[1] for r in rows])
                    top = max(top, max(smoothed))
                    ax.plot(x, smoothed, color=colors[s], linestyle=styles[i], linewidth=1.8, label=f"{s} · {n}")
            ax.set_xscale("log")
            ax.set_xlabel("training step + 1 (log scale)")
            ax.set_ylabel(f"LC (sign changes among x ± r·v_p), r = {radius}")
            # Single checkpoints can spike far above the trend: the axis follows the smoothed curves.
            ax.set_ylim(0, 1.35 * top)
            ax.set_title(f"r = {radius}: smoothed (thick), raw (thin, may leave the axis)", fontsize=10)
            ax.grid(alpha=0.3, which="both", linewidth=0.4)
        axes[0].legend(fontsize=7, ncol=2)
        ax = axes[-1]
        for i, n in enumerate(names):
            steps = sorted(accuracy[n])
            x = [s + 1 for s in steps]
            ax.plot(x, [100 * float(accuracy[n][s]["train_accuracy"]) for s in steps], color=colors["train"], linestyle=styles[i], label=f"train · {n}")
            ax.plot(x, [100 * float(accuracy[n][s]["test_accuracy"]) for s in steps], color=colors["test"], linestyle=styles[i], label=f"test · {n}")
        ax.set_xscale("log")
        ax.set_xlabel("training step + 1 (log scale)")
        ax.set_ylabel("accuracy (%)")
        ax.set_title("accuracy (eval mode)")
        ax.grid(alpha=0.3, which="both", linewidth=0.4)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=130)


if __name__ == "__main__":
    main()

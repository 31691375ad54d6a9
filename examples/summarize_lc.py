"""Summarises `tessera lc --csv` tables of training runs: per run, sample set and radius, the LC at initialisation,
the bottom of the first descent, the peak of the ascent, the LC at the last checkpoint and the depth of the second
descent (last / peak), with the step at which the training accuracy saturates and the final accuracies. Peaks and
bottoms are read on the curve smoothed by a running median of three checkpoints (single checkpoints swing), the
raw peak is given beside it. A second descent shows as last / peak well below 1.

    python examples/summarize_lc.py output/experiments/cnn output/experiments/cnn-bn ...
    python examples/summarize_lc.py --csv layers.csv output/experiments/resnet   # another table of the run
"""
import csv
import os
import sys


def read_rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def median3(values):
    return [sorted(values[max(i - 1, 0):i + 2])[len(values[max(i - 1, 0):i + 2]) // 2] for i in range(len(values))]


def saturation_step(metrics, within=0.01):
    """The first step whose training accuracy is within `within` of the run's best."""
    best = max(float(row["train_accuracy"]) for row in metrics)
    for row in metrics:
        if float(row["train_accuracy"]) >= best - within:
            return int(row["step"]), best
    return None, best


def summarize(run, table):
    rows = read_rows(os.path.join(run, table))
    metrics = read_rows(os.path.join(run, "metrics.csv"))
    last_metrics = metrics[-1]
    saturated, best = saturation_step(metrics)
    groups = {}
    for row in rows:
        groups.setdefault((row["split"], row["radius"]), []).append((int(row["step"]), float(row["lc_mean"]), float(row["lc_std"])))
    lines = []
    for (split, radius), series in sorted(groups.items()):
        series.sort()
        steps = [s for s, _, _ in series]
        smooth = median3([m for _, m, _ in series])
        peak_at = max(range(len(series)), key=lambda i: smooth[i])
        bottom_at = min(range(peak_at + 1), key=lambda i: smooth[i])
        after = min(range(peak_at, len(series)), key=lambda i: smooth[i])
        raw_peak = max(series, key=lambda item: item[1])
        first, last = series[0], series[-1]
        lines.append(
            f"| {os.path.basename(run)} | {split} | {radius} | {first[1]:.0f} | {smooth[bottom_at]:.0f} ({steps[bottom_at]}) | "
            f"{smooth[peak_at]:.0f} ({steps[peak_at]}; raw {raw_peak[1]:.0f} at {raw_peak[0]}) | "
            f"{last[1]:.0f} ± {last[2]:.0f} ({last[0]}) | {smooth[-1] / smooth[peak_at]:.2f} | {smooth[after] / smooth[peak_at]:.2f} | "
            f"{saturated} ({best:.3f}) | {float(last_metrics['train_accuracy']):.3f} / {float(last_metrics['test_accuracy']):.3f} |")
    return lines


def main(argv):
    table = "lc.csv"
    if argv[:1] == ["--csv"]:
        table, argv = argv[1], argv[2:]
    print("| run | set | r | LC step 0 | first-descent bottom (step) | peak (step) | last ± std (step) | last / peak | "
          "min after peak / peak | train acc saturates at step (best) | final train / test acc |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for run in argv:
        print("\n".join(summarize(run, table)))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: summarize_lc.py [--csv TABLE] RUN [RUN ...]", file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1:])

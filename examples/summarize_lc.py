"""Summarises `tessera lc --csv` tables of training runs: per run, sample set and radius, the LC at initialisation,
its peak (and the step of the peak), the LC at the last checkpoint and the descent after the peak (last / peak),
with the run's final train and test accuracy. A second descent shows as last / peak well below 1.

    python examples/summarize_lc.py output/experiments/cnn output/experiments/cnn-bn ...
"""
import csv
import os
import sys


def read_rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def summarize(run):
    rows = read_rows(os.path.join(run, "lc.csv"))
    metrics = read_rows(os.path.join(run, "metrics.csv"))
    last_metrics = metrics[-1]
    groups = {}
    for row in rows:
        groups.setdefault((row["split"], row["radius"]), []).append((int(row["step"]), float(row["lc_mean"]), float(row["lc_std"])))
    lines = []
    for (split, radius), series in sorted(groups.items()):
        series.sort()
        peak_step, peak, _ = max(series, key=lambda item: item[1])
        first, last = series[0], series[-1]
        lines.append(f"| {os.path.basename(run)} | {split} | {radius} | {first[1]:.1f} | {peak:.1f} (step {peak_step}) | "
                     f"{last[1]:.1f} ± {last[2]:.1f} (step {last[0]}) | {last[1] / peak:.2f} | "
                     f"{float(last_metrics['train_accuracy']):.3f} / {float(last_metrics['test_accuracy']):.3f} |")
    return lines


def main(runs):
    print("| run | set | r | LC at step 0 | peak LC | last LC | last / peak | train / test accuracy |")
    print("|---|---|---|---|---|---|---|---|")
    for run in runs:
        print("\n".join(summarize(run)))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: summarize_lc.py RUN [RUN ...]", file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1:])

#!/usr/bin/env bash
# The paper's CNN and ResNet experiments on Fashion-MNIST (1,000 training images), small enough for a 2-core CPU:
# the CNN (depth 5, width 32) with and without batch norm and with weight decay 0, 0.01 (the default), 0.1 and 1;
# the pre-activation ResNet18 (k = 16) with and without batch norm. Batch 16, AdamW lr 1e-3, one thread per run,
# JOBS runs at a time, niced; then tessera's LC over every checkpoint of each run.
#
#   bash examples/cnn_experiments.sh train      # PYTHON, OUT, RUNS, STEPS, BATCH, TIME_LIMIT (minutes), JOBS override
#   bash examples/cnn_experiments.sh lc         # lc.csv and lc.png beside each run (SAMPLES per set, RADII)
#   bash examples/cnn_experiments.sh layers     # ResNet runs: per-layer LC (layers.csv, layers.png)
#   bash examples/cnn_experiments.sh deformation  # the CNN runs: the neighbourhood's deformation by the layers
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TESSERA=${TESSERA:-.build/release/tessera}
OUT=${OUT:-output/experiments}
STEPS=${STEPS:-10000}
BATCH=${BATCH:-16}
TIME_LIMIT=${TIME_LIMIT:-}
JOBS=${JOBS:-2}
SAMPLES=${SAMPLES:-64}
RADII=${RADII:-0.05}
RUNS=${RUNS:-cnn cnn-bn resnet resnet-bn cnn-wd0 cnn-wd0.1 cnn-wd1}

flags() {
    case "$1" in
        cnn) echo "--arch cnn" ;;
        cnn-bn) echo "--arch cnn --batchnorm" ;;
        cnn-wd*) echo "--arch cnn --weight-decay ${1#cnn-wd}" ;;
        resnet) echo "--arch resnet --k 16" ;;
        resnet-bn) echo "--arch resnet --k 16 --batchnorm" ;;
        *) echo "unknown run $1" >&2; exit 2 ;;
    esac
}

directions() { [[ $1 == resnet* ]] && echo 20 || echo 25; }

train() {
    local run=$1 limit=()
    [[ -n $TIME_LIMIT ]] && limit=(--time-limit "$TIME_LIMIT")
    echo "== $run (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2046
    nice -n 15 "$PYTHON" examples/train_cnn.py $(flags "$run") --steps "$STEPS" --batch "$BATCH" --threads 1 "${limit[@]}" \
        --out "$OUT/$run" --overwrite > "$OUT/$run.log" 2>&1
}

case "${1:-}" in
    train)
        mkdir -p "$OUT"
        for run in $RUNS; do
            while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n; done
            train "$run" &
        done
        wait ;;
    lc)
        for run in $RUNS; do
            echo "== $run: P = $(directions "$run"), $SAMPLES samples per set (load average $(cut -d' ' -f1-3 /proc/loadavg))"
            nice -n 10 "$TESSERA" lc "$OUT/$run" --split train,test,random --samples "$SAMPLES" --directions "$(directions "$run")" \
                --radius "$RADII" --csv "$OUT/$run/lc.csv" --plot "$OUT/$run/lc.png" --json "$OUT/$run/lc.json"
        done ;;
    layers)
        for run in $RUNS; do
            [[ $run == resnet* ]] || continue
            # The first two and the last two ReLUs of the 17 (the paper's Fig. 16 rows).
            nice -n 10 "$TESSERA" lc "$OUT/$run" --split train,test,random --samples "$SAMPLES" --directions 20 --radius "$RADII" \
                --layers 1,2,16,17 --csv "$OUT/$run/layers.csv" --plot "$OUT/$run/layers.png"
        done ;;
    deformation)
        for run in $RUNS; do
            [[ $run == cnn* ]] || continue
            nice -n 10 "$TESSERA" lc "$OUT/$run" --split train --samples "$SAMPLES" --directions 25 --radius 0.005,0.014,0.05,0.5 \
                --deformation --deformation-plot "$OUT/$run/deformation.png" --json "$OUT/$run/deformation.json"
        done ;;
    *) echo "usage: $0 train|lc|layers|deformation" >&2; exit 2 ;;
esac

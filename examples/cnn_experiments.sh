#!/usr/bin/env bash
# The paper's CNN and ResNet experiments on Fashion-MNIST, small enough for a 2-core CPU: trains the CNN (depth 5,
# width 32) with and without batch norm and the pre-activation ResNet18 (k = 16) with and without batch norm, one
# after the other, each bounded by TIME_LIMIT minutes, into $OUT/<name>; then LC over every checkpoint of each run.
#
#   bash examples/cnn_experiments.sh train      # the four runs (PYTHON, OUT, STEPS, BATCH, TIME_LIMIT override)
#   bash examples/cnn_experiments.sh lc         # tessera lc over each run: lc.csv and lc.png beside it
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TESSERA=${TESSERA:-.build/release/tessera}
OUT=${OUT:-output/experiments}
STEPS=${STEPS:-2000}
BATCH=${BATCH:-16}
TIME_LIMIT=${TIME_LIMIT:-6}
SAMPLES=${SAMPLES:-20}
RADII=${RADII:-0.05}
RUNS=${RUNS:-cnn cnn-bn resnet-bn resnet}

flags() {
    case "$1" in
        cnn) echo "--arch cnn" ;;
        cnn-bn) echo "--arch cnn --batchnorm" ;;
        cnn-wd0.1) echo "--arch cnn --weight-decay 0.1" ;;
        resnet) echo "--arch resnet --k 16" ;;
        resnet-bn) echo "--arch resnet --k 16 --batchnorm" ;;
        *) echo "unknown run $1" >&2; exit 2 ;;
    esac
}

case "${1:-}" in
    train)
        for run in $RUNS; do
            echo "== $run (load average $(cut -d' ' -f1-3 /proc/loadavg))"
            # shellcheck disable=SC2046
            nice -n 10 "$PYTHON" examples/train_cnn.py $(flags "$run") --steps "$STEPS" --batch "$BATCH" \
                --checkpoints-per-decade 5 --train-eval-size 250 --test-size 250 --time-limit "$TIME_LIMIT" --out "$OUT/$run" --overwrite
        done ;;
    lc)
        for run in $RUNS; do
            directions=25; [[ $run == resnet* ]] && directions=20
            echo "== $run: P = $directions, $SAMPLES samples per set (load average $(cut -d' ' -f1-3 /proc/loadavg))"
            nice -n 10 "$TESSERA" lc "$OUT/$run" --split train,test,random --samples "$SAMPLES" --directions "$directions" \
                --radius "$RADII" --csv "$OUT/$run/lc.csv" --plot "$OUT/$run/lc.png"
        done ;;
    *) echo "usage: $0 train|lc" >&2; exit 2 ;;
esac

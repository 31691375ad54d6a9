#!/usr/bin/env bash
# The batch-norm question at 10^5 steps: does batch norm remove or reduce LC's second descent, and does it raise LC?
# The paper's CNN (depth 5, width 16) with and without batch norm, 10^5 steps of batch 16 on the first 1,000
# Fashion-MNIST training images (AdamW lr 1e-3, weight decay 0.01), one thread each, niced, side by side; then
# tessera's LC over every checkpoint (r = 0.05 and 0.005, P = 25, 200 training, 200 test and 200 random points)
# and exact partitions around one training image at four checkpoints of each run.
#
#   bash examples/bn_experiment.sh train        # both runs; a stopped or killed run continues where it was (--resume)
#   bash examples/bn_experiment.sh lc           # lc.csv beside each run (only checkpoints not measured yet)
#   bash examples/bn_experiment.sh summary      # tables, turning points and OUT/lc.png (examples/bn_summary.py)
#   bash examples/bn_experiment.sh partitions   # exact slices at the start, LC peaks, trough and end (PARTITION_STEPS)
#
# PYTHON (with torch), TESSERA, OUT, STEPS, SAMPLES, RADII, NICE, TIME_LIMIT (minutes per process) and RUNS override
# the defaults; RUNS="resnet8 resnet8-bn" are the pre-activation ResNet18 at k = 8 with and without batch norm.
# A run stopped by TIME_LIMIT continues with the next `train` (its resume.pt); it is done when it reaches STEPS.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TESSERA=${TESSERA:-.build/release/tessera}
TIME_LIMIT=${TIME_LIMIT:-}
OUT=${OUT:-output/bn}
STEPS=${STEPS:-100000}
SAMPLES=${SAMPLES:-200}
RADII=${RADII:-0.05,0.005}
NICE=${NICE:-15}
RUNS=${RUNS:-cnn16 cnn16-bn}

flags() {
    case "$1" in
        cnn16) echo "--arch cnn --depth 5 --width 16" ;;
        cnn16-bn) echo "--arch cnn --depth 5 --width 16 --batchnorm" ;;
        resnet8) echo "--arch resnet --k 8" ;;
        resnet8-bn) echo "--arch resnet --k 8 --batchnorm" ;;
        *) echo "unknown run $1" >&2; exit 2 ;;
    esac
}

train() {
    local run=$1 again=() limit=()
    [[ -n $TIME_LIMIT ]] && limit=(--time-limit "$TIME_LIMIT")
    # A run that has a resume state continues from it; a finished run (step == STEPS) is left alone.
    if [[ -f $OUT/$run/resume.pt ]]; then again=(--resume); fi
    if [[ -f $OUT/$run/run.json ]] && grep -q "\"steps\": $STEPS," "$OUT/$run/run.json"; then
        echo "== $run: done"; return
    fi
    echo "== $run ${again[*]} (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    mkdir -p "$OUT/$run"
    # shellcheck disable=SC2046
    /usr/bin/time -v nice -n "$NICE" "$PYTHON" examples/train_cnn.py $(flags "$run") --steps "$STEPS" --batch 16 \
        --threads 1 --save-every 2000 "${again[@]}" "${limit[@]}" --out "$OUT/$run" >> "$OUT/$run.log" 2>&1
}

case "${1:-}" in
    train)
        mkdir -p "$OUT"
        for run in $RUNS; do train "$run" & done
        wait ;;
    lc)
        # LC of every checkpoint not measured yet (so it can run while the runs train, and again at the end),
        # one batch at a time through a directory of links; the batches' rows are then joined into lc.csv.
        # The estimator's points and directions are seeded: a checkpoint's LC does not depend on its batch.
        for run in $RUNS; do
            directions=25; [[ $run == resnet* ]] && directions=20
            parts="$OUT/$run/lc-parts"; mkdir -p "$parts"
            done_steps=$(cat "$parts"/*.csv 2>/dev/null | grep -v '^step' | cut -d, -f1 | sort -un | tr '\n' ' ' || true)
            todo=()
            for file in "$OUT/$run"/checkpoints/step-*.safetensors; do
                step=$((10#$(basename "$file" | cut -c6-14)))
                [[ " $done_steps " == *" $step "* ]] || todo+=("$step")
            done
            # While training, the newest checkpoint may be half-written: leave it for the next pass.
            [[ -f $OUT/$run/run.json ]] || unset 'todo[${#todo[@]}-1]'
            if (( ${#todo[@]} == 0 )); then echo "== $run: every checkpoint measured"; else
                batch="$parts/batch-$(date +%s)"
                rm -rf "$batch.run"
                # shellcheck disable=SC2046
                "$PYTHON" examples/partial_run.py "$OUT/$run" "$batch.run" --steps "$(IFS=,; echo "${todo[*]}")" -- $(flags "$run") \
                    --steps "$STEPS" --batch 16 --threads 1
                echo "== $run: LC of ${#todo[@]} checkpoints at r = $RADII, P = $directions, $SAMPLES points per set"
                /usr/bin/time -v nice -n "$NICE" "$TESSERA" lc "$batch.run" --split train,test,random --samples "$SAMPLES" \
                    --directions "$directions" --radius "$RADII" --csv "$batch.csv.tmp" 2>> "$OUT/$run.lc.log"
                mv "$batch.csv.tmp" "$batch.csv"; rm -rf "$batch.run"
            fi
            { head -1 "$(ls "$parts"/*.csv | head -1)"; cat "$parts"/*.csv | grep -v '^step' | sort -t, -k1,1n -s; } > "$OUT/$run/lc.csv"
        done ;;
    summary)
        # shellcheck disable=SC2046
        "$PYTHON" examples/bn_summary.py $(for run in $RUNS; do echo "$OUT/$run"; done) --plot "$OUT/lc.png" ;;
    partitions)
        # The start, the two runs' LC peaks, the trough without batch norm and the end (read from `summary`).
        # shellcheck disable=SC2046
        "$PYTHON" examples/bn_partitions.py --runs $(for run in $RUNS; do echo "$OUT/$run:${PARTITION_STEPS:-0,5012,15849,50119,100000}"; done) \
            --indices 428,720,940 --radius 0.03 --work "$OUT/partitions" --out "$OUT/partitions.png" ;;
    *)
        sed -n '2,13p' "$0"; exit 2 ;;
esac

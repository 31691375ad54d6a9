#!/usr/bin/env bash
# CI's Slurm checks: start a one-node Slurm (scripts/start-slurm.sh), submit the example job arrays
# (examples/slurm) for lc, validate, render, figure and slice over a small MLP run and a small CNN graph run, wait, merge, and
# compare every merged file with the one-process output; then the submitit path against the same Slurm.
# Prints one line "check NAME STATUS" per comparison (STATUS 0 = identical); stops Slurm at the end.
#   ci-slurm.sh TESSERA_BINARY      (as root; slurm-wlm and munge installed)
set -uo pipefail
cd "$(dirname "$0")/.."
export TESSERA="$(realpath "$1")"
repository=$PWD
work="$(mktemp -d)"
trap 'bash "$repository/scripts/stop-slurm.sh" >/dev/null; rm -rf "$work"' EXIT
TESSERA_SLURM_INSTALL=0 bash scripts/start-slurm.sh || { echo "check start-slurm 1"; exit 1; }
echo "check start-slurm 0"
cd "$work"
"$TESSERA" train --data /usr/share/datasets/fashion-mnist --out mlp --depth 3 --width 16 --train-size 300 \
    --test-size 200 --steps 30 --batch 50 --checkpoints-per-decade 2 >/dev/null 2>&1 || echo "check train-mlp 1"
cnn="$repository/Tests/SlicerTests/Fixtures/onnx/run-cnn-small"

# same NAME A B: one check; JSON files compared without their timing lines ("seconds", "slice_seconds").
same() {
    local status=0
    case "$2" in
        *.json) diff <(grep -v -e '"seconds"' -e '"slice_seconds"' "$2") <(grep -v -e '"seconds"' -e '"slice_seconds"' "$3") >/dev/null || status=1 ;;
        *) cmp -s "$2" "$3" || status=1 ;;
    esac
    [ -s "$2" ] || status=1
    echo "check $1 $status"
}

# lc: one process, then 3 shares as a job array plus a merge job.
for name in mlp cnn; do
    run=$name; [ $name = cnn ] && run=$cnn
    lc=(--samples 300 --directions 4 --split random,train)
    mkdir -p one-$name
    "$TESSERA" lc "$run" "${lc[@]}" --csv one-$name/lc.csv --json one-$name/lc.json --plot one-$name/lc.png 2>/dev/null
    WAIT=1 SBATCH_ARGS="--cpus-per-task=1" "$repository/examples/slurm/lc.sh" "$run" arr-$name 3 "${lc[@]}" >/dev/null
    for file in lc.csv lc.json lc.png; do same "lc-$name-$file" arr-$name/$file one-$name/$file; done

    validate=(--samples 6 --directions 4 --domain disk)
    "$TESSERA" validate "$run" "${validate[@]}" --csv one-$name/validate.csv --json one-$name/validate.json \
        --png one-$name/validate.png >/dev/null 2>&1
    WAIT=1 SBATCH_ARGS="--cpus-per-task=1" "$repository/examples/slurm/validate.sh" "$run" arr-$name 2 "${validate[@]}" >/dev/null
    for file in validate.csv validate.json validate.png; do same "validate-$name-$file" arr-$name/$file one-$name/$file; done

    render=(--indices 0,1,2 --data /usr/share/datasets/fashion-mnist --domain disk:0.5 --size 200 --lc-samples 5 --regions)
    "$TESSERA" render "$run" "${render[@]}" --out one-$name/render >/dev/null 2>&1
    WAIT=1 SBATCH_ARGS="--cpus-per-task=1" "$repository/examples/slurm/render.sh" "$run" arr-$name/render 2 "${render[@]}" >/dev/null
    # One check for all of OUT's files (frames, GeoJSON, partition.csv, migration.png, view.html).
    status=0 files=$(cd one-$name/render 2>/dev/null && ls)
    [ -n "$files" ] || status=1
    for file in $files; do cmp -s arr-$name/render/$file one-$name/render/$file || { status=1; echo "render $name: $file differs"; }; done
    echo "check render-$name-all-files $status"

    figure=(--indices 0,1,2 --data /usr/share/datasets/fashion-mnist --domain disk:0.5 --samples 100 --directions 4 --panel-size 200)
    "$TESSERA" figure "$run" "${figure[@]}" --png one-$name/figure.png --json one-$name/figure.json >/dev/null 2>&1
    WAIT=1 SBATCH_ARGS="--cpus-per-task=1" "$repository/examples/slurm/figure.sh" "$run" arr-$name 2 "${figure[@]}" >/dev/null
    for file in figure.png figure.json; do same "figure-$name-$file" arr-$name/$file one-$name/$file; done

    # slice: one process, then 3 strips of the domain as a job array plus a merge job that stitches them.
    # Every file byte for byte: a region's floats depend on its pattern and maps, not on the strip it was sliced in.
    if [ $name = cnn ]; then model=$cnn/checkpoints/step-000000010.safetensors slice=(--domain disk:0.5)
    else model=mlp/checkpoints/$(ls mlp/checkpoints | tail -1) slice=(--domain square:1.5); fi
    slice+=(--data /usr/share/datasets/fashion-mnist --indices 0,1,2)
    "$TESSERA" slice --model "$model" "${slice[@]}" --json one-$name/slice.json --png one-$name/slice.png \
        --regions one-$name/slice.geojson >/dev/null 2>&1
    WAIT=1 SBATCH_ARGS="--cpus-per-task=1" "$repository/examples/slurm/slice.sh" "$model" arr-$name/slice 3 "${slice[@]}" >/dev/null
    same "slice-$name-slice.png" arr-$name/slice/slice.png one-$name/slice.png
    same "slice-$name-slice.geojson" arr-$name/slice/slice.geojson one-$name/slice.geojson
    # The JSON byte for byte but for its timing and the counts of how sign decisions were taken (a strip takes its own).
    status=0
    diff <(grep -v -e '"seconds"' -e '"certified" :' -e '"symbolic" :' -e '"exact" :' arr-$name/slice/slice.json) \
         <(grep -v -e '"seconds"' -e '"certified" :' -e '"symbolic" :' -e '"exact" :' one-$name/slice.json) >/dev/null || status=1
    [ -s one-$name/slice.json ] || status=1
    echo "check slice-$name-slice.json $status"
done

# submitit: the Python package in a fresh virtual environment, against the same Slurm.
python3 -m venv venv >/dev/null && venv/bin/pip install -q --disable-pip-version-check "$repository/python" numpy pytest submitit >/dev/null
TESSERA_BINARY="$TESSERA" venv/bin/python -m pytest -q -p no:cacheprovider "$repository/python/tests_slurm" >pytest.log 2>&1
status=$?
[ $status -eq 0 ] || tail -20 pytest.log
echo "check submitit $status"

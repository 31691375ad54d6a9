#!/usr/bin/env bash
# Python tests of tessera's outputs: the GeoJSON partition read with shapely, and the interactive
# viewer driven in headless Chromium (Debian packages chromium and chromium-driver).
# Creates a virtual environment, builds tessera, makes a small run (5 checkpoints), renders it with
# its viewer and GeoJSON files, slices one checkpoint, then runs pytest on Tests/python.
#   TESSERA_PY_VENV   virtual environment to create or reuse (default .build/python-tests-venv)
#   TESSERA_PY_WORK   directory for the run and outputs (default: a fresh temporary directory)
#   TESSERA_DATA      MNIST-format dataset (default: Debian's Fashion-MNIST)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TESSERA_PY_VENV:-.build/python-tests-venv}"
work="${TESSERA_PY_WORK:-$(mktemp -d)}"
data="${TESSERA_DATA:-/usr/share/datasets/fashion-mnist}"
mkdir -p "$work"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check selenium shapely pytest numpy
swift build --product tessera
bin="$(swift build --show-bin-path)/tessera"
if [ ! -f "$work/run/run.json" ]; then
    "$bin" train --data "$data" --out "$work/run" --steps 300 --width 48 --test-size 1000 \
        --checkpoint-steps 0,10,30,100,300 >/dev/null
fi
"$bin" render "$work/run" --indices 0,1,2 --out "$work/frames" --size 400 --regions --edges layer 2>/dev/null
"$bin" slice --model "$work/run/checkpoints/step-000000300.safetensors" --data "$data" --indices 0,1,2 \
    --json "$work/slice.json" --regions "$work/slice.geojson"
"$bin" slice --model "$work/run/checkpoints/step-000000300.safetensors" --data "$data" --indices 0,1,2 \
    --domain square:0.3 --json "$work/exact.json" --regions "$work/exact.geojson" --exact-vertices
TESSERA_TEST_DIR="$work" "$venv/bin/python" -m pytest -q -p no:cacheprovider Tests/python

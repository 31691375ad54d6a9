#!/usr/bin/env bash
# The paper's Figure 14 setting: exact (SplineCAM-style) vs approximate LC across training, for a
# 3-layer (depth 3), 200-wide MLP trained 100,000 steps, 500 samples, radius r.
# Usage: examples/paper-figure14.sh [DATA_DIR] [OUT_DIR] [RADIUS]
set -euo pipefail
DATA=${1:-/usr/share/datasets/fashion-mnist}
OUT=${2:-output/figure14}
R=${3:-0.05}
swift build -c release
T="$(swift build -c release --show-bin-path)/tessera"
[ -d "$OUT/run" ] || "$T" train --data "$DATA" --out "$OUT/run" --depth 3 --width 200 --train-size 1000 --steps 100000
"$T" validate "$OUT/run" --samples 500 --radius "$R" --directions 25 \
    --csv "$OUT/validate.csv" --json "$OUT/validate.json" --png "$OUT/figure14.png" --pdf "$OUT/figure14.pdf"

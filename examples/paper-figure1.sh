#!/usr/bin/env bash
# The paper's Figure 1 setting at full size: a 4-layer, 200-wide ReLU MLP on 1,000 training samples,
# 100,000 AdamW steps (hours on 2 cores), its partition sequence, the LC curve and the composite figure.
# Usage: examples/paper-figure1.sh [DATA_DIR] [OUT_DIR]
set -euo pipefail
DATA=${1:-/usr/share/datasets/fashion-mnist}
OUT=${2:-output/figure1}
swift build -c release
T="$(swift build -c release --show-bin-path)/tessera"
"$T" train --data "$DATA" --out "$OUT/run" --depth 4 --width 200 --train-size 1000 --steps 100000
"$T" lc "$OUT/run" --radius 0.005,0.05,0.5 --directions 25 --samples 1000 --csv "$OUT/lc.csv" --plot "$OUT/lc.png"
"$T" render "$OUT/run" --indices 0,1,2 --out "$OUT/frames" --video "$OUT/partition.mp4"
"$T" figure "$OUT/run" --indices 0,1,2 --png "$OUT/figure1.png" --pdf "$OUT/figure1.pdf"

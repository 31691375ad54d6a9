#!/usr/bin/env bash
# LC of a training run over its checkpoints, in N shares: lc.csv, lc.json and lc.png in OUT.
#   lc.sh RUN OUT N [more tessera lc options, e.g. --samples 1024]
set -euo pipefail
run=$1 out=$2 n=$3; shift 3
mkdir -p "$out"
exec "$(dirname "$0")/submit.sh" "$n" "$out/lc.csv $out/lc.json $out/lc.png" \
    lc "$run" --csv "$out/lc.csv" --json "$out/lc.json" --plot "$out/lc.png" "$@"

#!/usr/bin/env bash
# The paper's Figure 1 of a run, its LC curve in N shares (the merge job slices the four panels):
# figure.png and figure.json in OUT.
#   figure.sh RUN OUT N --indices I,J,K [more tessera figure options, e.g. --samples 1024]
set -euo pipefail
run=$1 out=$2 n=$3; shift 3
mkdir -p "$out"
exec "$(dirname "$0")/submit.sh" "$n" "$out/figure.png $out/figure.json" \
    figure "$run" --png "$out/figure.png" --json "$out/figure.json" "$@"

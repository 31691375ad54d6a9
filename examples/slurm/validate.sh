#!/usr/bin/env bash
# Exact vs approximate LC over a run's checkpoints (Fig. 14), in N shares: validate.csv, .json, .png in OUT.
#   validate.sh RUN OUT N [more tessera validate options, e.g. --samples 200 --domain disk]
set -euo pipefail
run=$1 out=$2 n=$3; shift 3
mkdir -p "$out"
exec "$(dirname "$0")/submit.sh" "$n" "$out/validate.csv $out/validate.json $out/validate.png" \
    validate "$run" --csv "$out/validate.csv" --json "$out/validate.json" --png "$out/validate.png" "$@"

#!/usr/bin/env bash
# An exact slice in N strips of the domain (each strip one task of a job array), stitched by the merge
# job into slice.json, slice.png and slice.geojson in OUT.
#   slice.sh MODEL OUT N [more tessera slice options, e.g. --data DIR --indices 0,1,2 --domain disk:0.5]
set -euo pipefail
model=$1 out=$2 n=$3; shift 3
mkdir -p "$out"
exec "$(dirname "$0")/submit.sh" "$n" "$out/slice.json $out/slice.png $out/slice.geojson" \
    slice --model "$model" --json "$out/slice.json" --png "$out/slice.png" --regions "$out/slice.geojson" "$@"

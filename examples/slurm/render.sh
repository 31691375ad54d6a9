#!/usr/bin/env bash
# Partition pictures of a run's checkpoints, in N shares (each a range of the checkpoints): the frames,
# partition.csv, migration.png and view.html in OUT.
#   render.sh RUN OUT N --indices I,J,K [more tessera render options, e.g. --domain disk:0.5 --regions]
set -euo pipefail
run=$1 out=$2 n=$3; shift 3
mkdir -p "$out"
exec "$(dirname "$0")/submit.sh" "$n" "$out/partition.csv" render "$run" --out "$out" "$@"

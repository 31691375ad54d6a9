#!/usr/bin/env bash
# Submits a sharded tessera command as one Slurm job array of N tasks plus a merge job that runs when
# every task has succeeded. Run it from the directory the outputs' relative paths start in.
#   submit.sh N "OUTPUT..." tessera-arguments...
# e.g.
#   submit.sh 8 "lc.csv lc.json lc.png" lc runs/mlp --csv lc.csv --json lc.json --plot lc.png
# Prints the two job ids. Extra sbatch options go in SBATCH_ARGS (e.g. "--partition=gpu --time=2:00:00");
# WAIT=1 returns when the merge job has finished: status 0 if it completed.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: submit.sh N \"OUTPUT...\" tessera-arguments..." >&2; exit 2; }
n=$1 outputs=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array=1-"$n" "$here/shard.sbatch" "$@")
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/merge.sbatch" $outputs)
echo "array job $array ($n tasks), merge job $merge"
if [ "${WAIT:-0}" = 1 ]; then
    # Polls each second (sbatch --wait polls at growing intervals, up to half a minute late).
    while [ -n "$(squeue -h -j "$merge" 2>/dev/null)" ]; do sleep 1; done
    state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    [ "$state" = COMPLETED ] || { echo "error: merge job $merge ended $state (see its slurm-$merge.out)" >&2; exit 1; }
fi

#!/usr/bin/env bash
# Stops the Slurm and munge daemons that scripts/start-slurm.sh started (by their pid files).
set -uo pipefail
for pidfile in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
    pid=$(cat "$pidfile" 2>/dev/null) || continue
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done
echo "Slurm and munge stopped."

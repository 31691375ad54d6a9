#!/usr/bin/env bash
# A one-node Slurm on this machine, for trying sharded tessera jobs and for CI: Debian's slurm-wlm and
# munge, run as root without systemd. Idempotent: running it again leaves a running Slurm as it is.
# Stop it with scripts/stop-slurm.sh.
#   TESSERA_SLURM_INSTALL=0   do not apt-get install slurm-wlm and munge (already there)
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "error: start-slurm.sh runs the daemons as root: run it with sudo" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
if [ "${TESSERA_SLURM_INSTALL:-1}" = 1 ] && { ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; }; then
    apt-get install -y -qq slurm-wlm munge >/dev/null
fi

# munge: a key readable by user munge only, and its daemon running as munge.
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    su -s /bin/sh munge -c "munged --force"
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# slurm.conf: one node with this machine's cores and memory.
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024 - 512 ))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
config="# Written by tessera's scripts/start-slurm.sh: one node, root, no systemd.
ClusterName=tessera
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
# Start dependent jobs (a merge after its array) within a second or two, not at the next 30–60 s cycle.
SchedulerParameters=sched_interval=2,bf_interval=1
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MaxArraySize=10001
MinJobAge=600
# Without it a job without --mem takes the whole node's memory, and array tasks never share the node.
DefMemPerCPU=$(( memory / cpus ))
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
"
if [ "$(cat /etc/slurm/slurm.conf 2>/dev/null)" != "$config" ]; then
    printf '%s' "$config" > /etc/slurm/slurm.conf
    # A changed configuration needs the daemons restarted.
    for pidfile in /run/slurmctld.pid /run/slurmd.pid; do
        running "$pidfile" && kill "$(cat "$pidfile")"
        for _ in $(seq 50); do running "$pidfile" || break; sleep 0.1; done
    done
fi
running /run/slurmctld.pid || slurmctld
running /run/slurmd.pid || slurmd
# Ready when the node takes jobs.
for _ in $(seq 100); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -1)
    case "$state" in idle*|mix*|alloc*) break ;; esac
    sleep 0.2
done
case "$state" in
    idle*|mix*|alloc*) ;;
    *) scontrol update nodename="$host" state=resume 2>/dev/null || true ;;
esac
echo "Slurm is running: node $host, $cpus CPUs, ${memory} MB (sinfo; squeue). Stop it with: scripts/stop-slurm.sh"

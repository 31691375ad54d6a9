"""Sharded runs of the binary: N shares (``--shard I/N``) run locally or as one Slurm job array through a
submitit executor, then ``tessera merge``."""

import os
import tempfile
from contextlib import contextmanager

from ._binary import find_binary, run


def run_sharded(arguments, outputs, shards=1, executor=None, binary=None, names=None):
    """Runs ``tessera *arguments``, in ``shards`` shares when more than one or when ``executor`` is given.

    executor: a submitit executor (``submitit.AutoExecutor`` or ``SlurmExecutor``): the shares are one job
    array (``executor.map_array``), waited for here; without one they run one after another in this
    process. ``outputs``: the files the command writes, merged from their parts. Paths in ``arguments``
    must be absolute (the shares and the merge may run in other directories).
    """
    shards = int(shards)
    if shards < 1:
        raise ValueError("shards must be at least 1")
    if shards == 1 and executor is None:
        return run(arguments, binary=binary, names=names)
    program = find_binary(binary)
    tasks = [[*map(str, arguments), "--shard", f"{i}/{shards}"] for i in range(1, shards + 1)]
    if executor is None:
        for task in tasks:
            run(task, binary=program, names=names)
    else:
        jobs = executor.map_array(_share, [program] * shards, tasks, [names] * shards)
        for job in jobs:
            job.result()   # raises the share's TesseraError (or submitit's failure) here
    return run(["merge", "--remove-parts", *map(str, outputs)], binary=program, names=names)


def _share(program, task, names):
    """One share, in a job of the array."""
    return run(task, binary=program, names=names)


@contextmanager
def shared_directory(executor):
    """A temporary directory the shares can read: under the executor's folder (shared by the cluster's
    nodes, as submitit requires) when there is one, else in the system's temporary directory."""
    folder = getattr(executor, "folder", None)
    parent = None
    if folder is not None:
        parent = os.path.abspath(str(folder))
        os.makedirs(parent, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tessera-", dir=parent) as directory:
        yield directory

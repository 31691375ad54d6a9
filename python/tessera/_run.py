"""``tessera.Run``: a training run directory and the tables written beside it."""

import json
import os
from pathlib import Path

import numpy as np

from ._errors import TesseraError
from ._shards import run_sharded

# A table is recognised by the first columns of its header.
TABLE_KINDS = {
    "lc": ("step", "split", "radius"),
    "partition": ("step", "regions", "vertices", "edges"),
    "validation": ("step", "sample", "exact_regions"),
}
# Folders that hold model files, never tables.
SKIPPED_FOLDERS = {"checkpoints"}
SEARCH_DEPTH = 3


class Run:
    """A run directory from ``tessera train`` (or a folder holding one, such as ``tessera demo``'s output).

    ``metrics``: metrics.csv (step, train_loss, train_accuracy, test_loss, test_accuracy);
    ``config``: run.json as a dict; ``steps`` and ``checkpoint(step)``: the checkpoint files;
    ``lc``, ``partition``, ``validation``: the LC (``tessera lc --csv``), partition (``tessera render``'s
    partition.csv) and exact-vs-approximate (``tessera validate --csv``) tables found in the folder
    and its subfolders, recognised by their headers; ``tables``: every one of them by relative path.

    Tables are pandas DataFrames when pandas is installed, numpy structured arrays otherwise.
    """

    def __init__(self, path):
        root = Path(path)
        if not root.is_dir():
            raise TesseraError(f"{path} is not a directory")
        self.root = root
        self.path = _run_directory(root)
        self.config = json.loads((self.path / "run.json").read_text(encoding="utf-8")) \
            if (self.path / "run.json").is_file() else {}
        self.metrics = read_table(self.path / "metrics.csv")
        self.tables = {}
        for csv in _csv_files(root):
            kind = _table_kind(csv)
            if kind is not None:
                self.tables[str(csv.relative_to(root))] = (kind, read_table(csv))

    @property
    def lc(self):
        """The first LC table found (by path), or None."""
        return self._first("lc")

    @property
    def partition(self):
        """The first partition table found (by path), or None."""
        return self._first("partition")

    @property
    def validation(self):
        """The first exact-vs-approximate LC table found (by path), or None."""
        return self._first("validation")

    @property
    def checkpoints(self):
        """{step: path} of the checkpoint files, in step order."""
        folder = self.path / "checkpoints"
        found = {}
        if folder.is_dir():
            for file in folder.iterdir():
                stem = file.name
                if stem.startswith("step-") and stem.endswith(".safetensors") and stem[5:-12].isdigit():
                    found[int(stem[5:-12])] = str(file)
        return dict(sorted(found.items()))

    @property
    def steps(self):
        return list(self.checkpoints)

    def checkpoint(self, step=-1):
        """The model file of checkpoint ``step`` (-1: the last one), for tessera.slice or tessera.lc."""
        checkpoints = self.checkpoints
        if not checkpoints:
            raise TesseraError(f"{self.path} has no checkpoints")
        if step == -1:
            return checkpoints[max(checkpoints)]
        if step not in checkpoints:
            raise TesseraError(f"{self.path} has no checkpoint at step {step} (steps {min(checkpoints)}..{max(checkpoints)})")
        return checkpoints[step]

    def measure_lc(self, csv=None, *, samples=1000, directions=25, radius=None, splits=None, seed=0,
                   shards=1, executor=None, binary=None):
        """Runs ``tessera lc`` over every checkpoint and returns its table (also written to ``csv``,
        default RUN/lc.csv). shards, executor: as for ``tessera.lc`` (one Slurm job array with a submitit
        executor; the run must then be on a file system the nodes share)."""
        csv = os.path.abspath(csv or self.path / "lc.csv")
        arguments = ["lc", os.path.abspath(self.path), "--samples", int(samples), "--directions", int(directions),
                     "--seed", int(seed), "--csv", csv]
        if radius is not None:
            arguments += ["--radius", ",".join(repr(float(r)) for r in np.atleast_1d(radius))]
        if splits is not None:
            arguments += ["--split", ",".join(splits)]
        run_sharded(arguments, [csv], shards=shards, executor=executor, binary=binary)
        return read_table(csv)

    def validate(self, csv=None, *, samples=100, radius=0.05, directions=25, split="train", seed=0, domain="diamond",
                 shards=1, executor=None, binary=None):
        """Runs ``tessera validate`` (exact vs approximate LC at every checkpoint) and returns its
        table (also written to ``csv``, default RUN/validation.csv). shards, executor: as for ``measure_lc``."""
        csv = os.path.abspath(csv or self.path / "validation.csv")
        arguments = ["validate", os.path.abspath(self.path), "--samples", int(samples), "--radius", repr(float(radius)),
                     "--directions", int(directions), "--split", split, "--seed", int(seed), "--domain", domain, "--csv", csv]
        run_sharded(arguments, [csv], shards=shards, executor=executor, binary=binary)
        return read_table(csv)

    def render(self, indices, out=None, **options):
        """``tessera.render`` on this run (shards=, executor= included); returns the output directory."""
        from ._pictures import render
        return render(self, indices, out, **options)

    def figure(self, indices, png=None, **options):
        """``tessera.figure`` on this run (shards=, executor= included); returns the figure's JSON."""
        from ._pictures import figure
        return figure(self, indices, png, **options)

    def _first(self, kind):
        for name in sorted(self.tables):
            if self.tables[name][0] == kind:
                return self.tables[name][1]
        return None

    def __repr__(self):
        kinds = sorted(f"{kind} {name}" for name, (kind, _) in self.tables.items())
        return f"Run({str(self.path)!r}, {len(self.metrics)} metrics rows, {len(self.checkpoints)} checkpoints, tables: {kinds})"


def _run_directory(root):
    """``root`` when it holds metrics.csv, else its one subfolder that does."""
    if (root / "metrics.csv").is_file():
        return root
    inside = sorted(child for child in root.iterdir() if (child / "metrics.csv").is_file())
    if len(inside) == 1:
        return inside[0]
    if not inside:
        raise TesseraError(f"{root} is not a tessera run directory (no metrics.csv)")
    raise TesseraError(f"{root} holds several runs: {', '.join(child.name for child in inside)}")


def _csv_files(root):
    for directory, folders, files in os.walk(root):
        depth = len(Path(directory).relative_to(root).parts)
        folders[:] = sorted(name for name in folders if name not in SKIPPED_FOLDERS and depth < SEARCH_DEPTH)
        for name in sorted(files):
            if name.endswith(".csv"):
                yield Path(directory) / name


def _table_kind(path):
    with open(path, encoding="utf-8") as file:
        columns = tuple(file.readline().strip().split(","))
    for kind, prefix in TABLE_KINDS.items():
        if columns[:len(prefix)] == prefix:
            return kind
    return None


def read_table(path):
    """A CSV with a header as a pandas DataFrame, or a numpy structured array without pandas."""
    try:
        import pandas
    except ImportError:
        return np.atleast_1d(np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8"))
    return pandas.read_csv(path)

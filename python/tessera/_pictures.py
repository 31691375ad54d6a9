"""``tessera.render`` and ``tessera.figure``: a run's partition pictures and its Figure 1, optionally in
shards (``--shard I/N``) run here or as one Slurm job array through a submitit executor."""

import json
import os

from ._shards import run_sharded


def _run_path(run):
    """A ``Run``'s directory or a path, absolute (the shares may run elsewhere)."""
    return os.path.abspath(str(getattr(run, "path", run)))


def render(run, indices, out=None, *, domain="square:1.5", split="train", data=None, every=1, size=1200,
           lc_samples=200, regions=False, fill="pattern", edges="dark", shards=1, executor=None, binary=None):
    """Runs ``tessera render`` on a run directory (or ``tessera.Run``): one partition picture per
    checkpoint through the training samples ``indices`` (three), partition.csv, migration.png and
    view.html in ``out`` (default RUN/render-i-j-k). Returns the output directory.

    shards, executor: render in ``shards`` shares of the checkpoints (the same files), one after another
    here, or as one Slurm job array with a submitit ``executor`` (its folder, the run and ``out`` on a
    file system the nodes share); see ``tessera render --shard``.
    """
    path = _run_path(run)
    indices = [int(i) for i in indices]
    out = os.path.abspath(str(out) if out is not None else os.path.join(path, "render-" + "-".join(map(str, indices))))
    arguments = ["render", path, "--indices", ",".join(map(str, indices)), "--domain", domain, "--split", split,
                 "--every", int(every), "--size", int(size), "--lc-samples", int(lc_samples), "--fill", fill,
                 "--edges", edges, "--out", out]
    if data is not None:
        arguments += ["--data", os.path.abspath(str(data))]
    if regions:
        arguments.append("--regions")
    if int(shards) > 1 or executor is not None:
        os.makedirs(out, exist_ok=True)   # the shares write their parts into it
    run_sharded(arguments, [os.path.join(out, "partition.csv")], shards=shards, executor=executor, binary=binary)
    return out


def figure(run, indices, png=None, *, pdf=None, json_path=None, domain="square:1.5", split="train", data=None,
           radius=0.05, directions=25, samples=200, seed=0, steps=None, panel_size=560,
           shards=1, executor=None, binary=None):
    """Runs ``tessera figure`` (the paper's Figure 1: partitions at four checkpoints beside the LC curve)
    on a run directory (or ``tessera.Run``), writing ``png`` and/or ``pdf`` (default RUN/figure.png).
    Returns the figure's JSON (the LC curve and the chosen checkpoints) as a dict.

    shards, executor: measure the LC curve in ``shards`` shares (the same figure), one after another
    here, or as one Slurm job array with a submitit ``executor``; see ``tessera figure --shard``.
    """
    path = _run_path(run)
    if png is None and pdf is None:
        png = os.path.join(path, "figure.png")
    pictures = [os.path.abspath(str(p)) for p in (png, pdf) if p is not None]
    report = os.path.abspath(str(json_path) if json_path is not None else pictures[0] + ".json")
    arguments = ["figure", path, "--indices", ",".join(str(int(i)) for i in indices), "--domain", domain,
                 "--split", split, "--radius", repr(float(radius)), "--directions", int(directions),
                 "--samples", int(samples), "--seed", int(seed), "--panel-size", int(panel_size), "--json", report]
    if png is not None:
        arguments += ["--png", os.path.abspath(str(png))]
    if pdf is not None:
        arguments += ["--pdf", os.path.abspath(str(pdf))]
    if data is not None:
        arguments += ["--data", os.path.abspath(str(data))]
    if steps is not None:
        arguments += ["--steps", ",".join(str(int(s)) for s in steps)]
    run_sharded(arguments, [*pictures, report], shards=shards, executor=executor, binary=binary)
    with open(report, encoding="utf-8") as file:
        return json.load(file)

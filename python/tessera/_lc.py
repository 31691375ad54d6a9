"""``tessera.lc``: the paper's approximate local complexity of a network at sample points."""

import json
import os
from numbers import Real
from pathlib import Path

import numpy as np

from ._binary import run
from ._shards import run_sharded, shared_directory
from ._model import model_file, resolve_activation
from ._slice import flat_rows, points_array, temporary_names


class LocalComplexity:
    """The approximate LC at one radius: means and (population) standard deviations over the samples.

    ``mean``, ``std``: the sum over layers; ``layer_mean``, ``layer_std``: per layer (hidden layers,
    plus the output layer with ``include_output``); ``radius``, ``samples``, ``directions``;
    ``summary``: the binary's JSON for this radius.
    """

    def __init__(self, entry, include_output):
        self.summary = entry
        self.radius = entry["radius"]
        self.samples = entry["samples"]
        self.directions = entry["directions"]
        self.include_output = include_output
        self.mean = entry["lc"]["mean"]
        self.std = entry["lc"]["std"]
        layers = sorted(entry["layers"], key=lambda layer: layer["index"])
        self.layer_mean = np.array([layer["mean"] for layer in layers], dtype=np.float64)
        self.layer_std = np.array([layer["std"] for layer in layers], dtype=np.float64)

    def __repr__(self):
        return (f"LocalComplexity(radius={self.radius}, mean={self.mean:.4g}, std={self.std:.4g}, "
                f"layer_mean={np.array2string(self.layer_mean, precision=4)}, samples={self.samples}, "
                f"directions={self.directions})")


def lc(model, points, radius=0.05, directions=25, frame=None, include_output=False, *, activation=None,
       seed=0, precision="float32", binary=None, exporter="dynamo", shards=1, executor=None):
    """The paper's approximate local complexity of ``model`` at ``points``.

    For each sample x, the 2P vertices x ± radius·v_p (P = ``directions`` orthonormal directions,
    random with ``seed``, or the rows of ``frame`` [P, D]) go through the network; a layer's LC is
    the number of its units whose pre-activation sign is not the same at all vertices.

    model: as for ``tessera.slice``. points: [N, D] (or [N, C, H, W]).
    radius: a number → one LocalComplexity; a sequence of numbers → a list, one per radius.
    include_output: also count the final layer's outputs (as the authors' code does).
    precision: "float32" (PyTorch's, the default) or "float64" (reproduces earlier numbers bit for bit):
    the number type of the forward passes.

    shards, executor: measure in ``shards`` shares of the samples (the same numbers), one after another
    here, or as one Slurm job array with a submitit ``executor`` (its folder must be on a file system
    the cluster's nodes share); see ``tessera lc --shard``.

    Raises TesseraError with the binary's message for any bad input.
    """
    radii = [radius] if isinstance(radius, Real) else list(radius)
    if not radii:
        raise ValueError("radius must be a number or a non-empty sequence of numbers")
    with shared_directory(executor) as directory:
        directory = Path(directory).resolve()
        samples = points_array(points)
        model_path, model_activation = model_file(model, directory, example_shape=samples.shape[1:], exporter=exporter)
        model_path = os.path.abspath(model_path)
        activation = resolve_activation(activation, model_activation)
        points_path, report_path = directory / "points.npy", directory / "lc.json"
        np.save(points_path, flat_rows(samples))
        arguments = ["lc", "--model", model_path, "--points", points_path,
                     "--radius", ",".join(repr(float(r)) for r in radii), "--directions", int(directions),
                     "--seed", int(seed), "--precision", str(precision), "--json", report_path]
        if frame is not None:
            frame_path = directory / "frame.npy"
            np.save(frame_path, points_array(frame))
            arguments += ["--frame", frame_path]
        if include_output:
            arguments.append("--include-output")
        if activation is not None:
            arguments += ["--activation", activation]
        names = temporary_names(directory, points=points_path, model=model_path, frame=directory / "frame.npy")
        run_sharded(arguments, [report_path], shards=shards, executor=executor, binary=binary, names=names)
        with open(report_path, encoding="utf-8") as file:
            report = json.load(file)
    results = [LocalComplexity(entry, include_output) for entry in report["radii"]]
    return results[0] if isinstance(radius, Real) else results

"""``tessera.slice``: the exact partition of the plane through three anchors."""

import json
import os
from pathlib import Path

import numpy as np

from ._geojson import read_partition_geojson
from ._model import _numpy, model_file, resolve_activation
from ._partition import Partition
from ._shards import run_sharded, shared_directory


def slice(model, anchors, domain="square:1.5", arithmetic="certified", *, activation=None, geometry=True,
          exact_vertices=False, max_regions=None, binary=None, exporter="dynamo", shards=1, executor=None):
    """The exact linear regions of ``model`` on the plane through three anchors, as a Partition.

    model: a ``torch.nn.Module`` (a plain Sequential MLP of Linear and ReLU/LeakyReLU layers is sent
        as its weights; anything else is exported to ONNX with ``exporter``, "dynamo" or
        "torchscript"), a path to a .safetensors or .onnx file, or a list of numpy
        (weight [out, in], bias [out]) pairs.
    anchors: three input points, [3, D] (or [3, C, H, W] for image models; flattened in C order).
    domain: "square[:S]", "triangle[:S]", "disk:R[@k]" or "diamond:R[@k]".
    arithmetic: "certified" (fast, exact results) or "exact" (the rational reference).
    activation: "relu", "leaky_relu[:alpha]" or "abs" for weights files and numpy pairs (default relu).
    geometry: False reads the statistics only (no polygons: faster for very large partitions).
    exact_vertices: also read every region's vertices exactly, as fractions.Fraction plane parameters.
    max_regions: stop with an error past this many regions.
    binary: the tessera executable (default: see ``tessera.find_binary``).
    shards, executor: slice the domain in ``shards`` strips (exact lines of constant s) and stitch them
        into the same partition (for an MLP the same floats too), one strip after
        another here, or as one Slurm job array with a submitit ``executor`` (its folder must be on a
        file system the cluster's nodes share). Not with ``exact_vertices``.

    Raises TesseraError with the binary's message for any bad input.
    """
    with shared_directory(executor) as directory:
        directory = Path(directory).resolve()
        points = points_array(anchors)
        model_path, model_activation = model_file(model, directory, example_shape=points.shape[1:], exporter=exporter)
        model_path = os.path.abspath(model_path)
        activation = resolve_activation(activation, model_activation)
        points_path = directory / "anchors.npy"
        np.save(points_path, flat_rows(points))
        summary_path, regions_path = directory / "slice.json", directory / "regions.geojson"
        arguments = ["slice", "--model", model_path, "--points", points_path,
                     "--domain", domain, "--arithmetic", arithmetic, "--json", summary_path]
        if activation is not None:
            arguments += ["--activation", activation]
        if max_regions is not None:
            arguments += ["--max-regions", int(max_regions)]
        if geometry or exact_vertices:
            arguments += ["--regions", regions_path]
        if exact_vertices:
            arguments.append("--exact-vertices")
        outputs = [summary_path] + ([regions_path] if geometry or exact_vertices else [])
        run_sharded(arguments, outputs, shards=shards, executor=executor, binary=binary,
                    names=temporary_names(directory, anchors=points_path, model=model_path))
        with open(summary_path, encoding="utf-8") as file:
            summary = json.load(file)
        shapes = read_partition_geojson(regions_path) if geometry or exact_vertices else None
    return Partition(summary, shapes, frame=plane_frame(flat_rows(points)))


def points_array(points):
    """Points as a numpy array of numbers, keeping float64/float32/float16 (their exact values)."""
    array = _numpy(points)
    if array.dtype.kind not in "f" or array.dtype.itemsize not in (2, 4, 8):
        array = array.astype(np.float64)
    return array


def temporary_names(directory, **paths):
    """{path: name} of the files this call wrote into ``directory`` (a user's own file keeps its path)."""
    return {os.path.abspath(path): name for name, path in paths.items()
            if os.path.abspath(path).startswith(os.path.abspath(directory) + os.sep)}


def flat_rows(points):
    """[N, ...] points as [N, D] rows (C order); other shapes unchanged, for the binary to judge."""
    return points.reshape(len(points), -1) if points.ndim > 2 else points


def plane_frame(anchors):
    """(x1, e1, e2) of the slice plane in float64: the origin and unit directions of its coordinates."""
    if anchors.ndim != 2 or len(anchors) != 3:
        return None
    x1, x2, x3 = anchors.astype(np.float64)
    d1 = x2 - x1
    d2 = (x3 - x1) - ((x3 - x1) @ d1) / (d1 @ d1) * d1
    norms = np.linalg.norm(d1), np.linalg.norm(d2)
    if not (norms[0] > 0 and norms[1] > 0):
        return None
    return x1, d1 / norms[0], d2 / norms[1]

"""Shared helpers: the real binary, running the CLI directly, seeded numpy MLPs."""

import json
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

import tessera

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURES = REPOSITORY / "Tests" / "SlicerTests" / "Fixtures"


@pytest.fixture(scope="session")
def binary():
    """The tessera binary under test (TESSERA_BINARY, PATH or the repository's .build)."""
    return tessera.find_binary()


@pytest.fixture
def cli(binary):
    """Runs the CLI directly; returns its completed process (asserting success unless check=False)."""
    def run(*arguments, check=True):
        finished = subprocess.run([binary, *map(str, arguments)], capture_output=True, text=True)
        if check:
            assert finished.returncode == 0, finished.stderr
        return finished
    return run


def read_json(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_safetensors(path):
    """{name: array} of a safetensors file (F64, F32, F16), read independently of the package."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    header.pop("__metadata__", None)
    dtypes = {"F64": "<f8", "F32": "<f4", "F16": "<f2"}
    start = 8 + length
    return {name: np.frombuffer(data[start + entry["data_offsets"][0]:start + entry["data_offsets"][1]],
                                dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
            for name, entry in header.items()}


def random_mlp(seed, sizes, dtype=np.float32, bias_scale=0.1):
    """He-initialised (weight, bias) pairs for layer sizes [D, h1, ..., K]."""
    rng = np.random.default_rng(seed)
    return [((rng.normal(size=(out, inp)) * np.sqrt(2 / inp)).astype(dtype),
             (rng.normal(size=out) * bias_scale).astype(dtype))
            for inp, out in zip(sizes[:-1], sizes[1:])]


def forward(layers, x, slope=0.0):
    """Pre-activations of every hidden layer and the logits, in float64."""
    hidden = []
    for weight, bias in layers[:-1]:
        z = x @ weight.astype(np.float64).T + bias.astype(np.float64)
        hidden.append(z)
        x = np.where(z > 0, z, slope * z)
    weight, bias = layers[-1]
    return hidden, x @ weight.astype(np.float64).T + bias.astype(np.float64)


def without_timing(summary):
    """A slice or LC summary without its wall-clock fields and its work tally ("decisions": how many signs
    each arithmetic decided, which depends on how the threads shared the faces out)."""
    return {key: value for key, value in summary.items() if key not in ("seconds", "decisions")}

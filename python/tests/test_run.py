"""tessera.Run reads what the CLI writes for a run: metrics, checkpoints, LC, partition and validation tables."""

import gzip
import sys

import numpy as np
import pytest

import tessera

DATA = "/usr/share/datasets/fashion-mnist"
STEPS = [0, 5, 10]


@pytest.fixture(scope="module")
def demo_like(tmp_path_factory, binary):
    """A tiny run as `tessera demo` lays it out: out/run, out/lc.csv, out/frames/partition.csv, out/validate.csv."""
    import subprocess
    out = tmp_path_factory.mktemp("out")
    run = out / "run"

    def tessera_cli(*arguments):
        finished = subprocess.run([binary, *map(str, arguments)], capture_output=True, text=True)
        assert finished.returncode == 0, finished.stderr

    tessera_cli("train", "--data", DATA, "--out", run, "--steps", 10, "--width", 12, "--depth", 3, "--train-size", 200,
                "--test-size", 100, "--checkpoint-steps", ",".join(map(str, STEPS)))
    tessera_cli("lc", run, "--samples", 20, "--radius", 0.5, "--csv", out / "lc.csv")
    tessera_cli("render", run, "--indices", "0,1,2", "--out", out / "frames", "--size", 200)
    tessera_cli("validate", run, "--samples", 3, "--radius", 0.5, "--csv", out / "validate.csv")
    return out


def training_images(indices):
    with gzip.open(f"{DATA}/train-images-idx3-ubyte.gz") as file:
        pixels = np.frombuffer(file.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
    return pixels[indices].astype(np.float64) / 255


def lines(path):
    return path.read_text().strip().splitlines()


def test_run_folder_and_its_tables(demo_like):
    run = tessera.Run(demo_like)
    assert run.path == demo_like / "run"
    assert run.steps == STEPS and run.checkpoint(5).endswith("step-000000005.safetensors")
    assert run.checkpoint() == run.checkpoint(10)
    assert run.config["config"]["width"] == 12
    assert list(run.metrics["step"]) == STEPS
    assert list(run.metrics.columns) == lines(demo_like / "run" / "metrics.csv")[0].split(",")
    assert len(run.lc) == 3 * 3 and set(run.lc["split"]) == {"train", "test", "random"}
    assert list(run.partition["step"]) == STEPS and len(run.validation) == 3 * 3
    assert sorted(run.tables) == ["frames/partition.csv", "lc.csv", "validate.csv"]
    with pytest.raises(tessera.TesseraError, match="no checkpoint at step 7"):
        run.checkpoint(7)


def test_slicing_checkpoints_from_python_gives_the_render_tables_counts(demo_like):
    run = tessera.Run(demo_like)
    anchors = training_images([0, 1, 2])
    for row in run.partition.itertuples():
        partition = tessera.slice(run.checkpoint(row.step), anchors, geometry=False)
        assert (partition.n_regions, partition.n_vertices, partition.n_edges) == (row.regions, row.vertices, row.edges)
        assert partition.neurons_cut.tolist() == [row.neurons_cut_layer1, row.neurons_cut_layer2]
        assert partition.boundary_segments == row.boundary_segments


def test_the_run_directory_itself_without_pandas(demo_like, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    run = tessera.Run(demo_like / "run")
    assert isinstance(run.metrics, np.ndarray) and run.metrics["step"].tolist() == STEPS
    assert run.metrics.dtype.names == tuple(lines(demo_like / "run" / "metrics.csv")[0].split(","))
    assert run.lc is None and run.tables == {}
    outside = tessera.Run(demo_like)
    assert outside.lc["split"].tolist()[:3] == ["train", "test", "random"]
    assert outside.lc["lc_mean"].dtype == np.float64

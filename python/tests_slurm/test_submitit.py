"""The submitit path against a running Slurm (scripts/start-slurm.sh): ``shards=N`` with an executor
submits one job array and merges; the numbers are the one-process ones. Run by CI's Slurm block
(needs submitit and a Slurm; not part of python/tests)."""

import shutil
import subprocess

import numpy as np
import submitit

import tessera

REPOSITORY = __import__("pathlib").Path(__file__).resolve().parents[2]


def executor(folder):
    assert subprocess.run(["sinfo"], capture_output=True).returncode == 0, "no Slurm: run scripts/start-slurm.sh"
    ex = submitit.SlurmExecutor(folder=folder)   # SlurmExecutor: fail rather than fall back to local runs
    ex.update_parameters(cpus_per_task=1, time=10)
    return ex


def test_lc_with_a_submitit_executor_is_one_job_array(tmp_path):
    layers = [(np.random.default_rng(s).normal(size=(o, i)), np.random.default_rng(s + 1).normal(size=o))
              for s, (i, o) in enumerate([(10, 16), (16, 16), (16, 4)])]
    points = np.random.default_rng(5).uniform(size=(600, 10))
    one = tessera.lc(layers, points, radius=[0.3, 1.0], directions=5)
    ex = executor(tmp_path / "jobs")
    arrayed = tessera.lc(layers, points, radius=[0.3, 1.0], directions=5, shards=3, executor=ex)
    strip = lambda r: {k: v for k, v in r.summary.items() if k != "seconds"}
    assert [strip(r) for r in arrayed] == [strip(r) for r in one]
    # One array: the three shares' logs carry one array job id.
    ids = {p.name.split("_")[0] for p in (tmp_path / "jobs").glob("*_*_log.out")}
    assert len(ids) == 1, ids


def test_run_validate_with_a_submitit_executor(tmp_path):
    run_path = tmp_path / "run"
    shutil.copytree(REPOSITORY / "Tests" / "SlicerTests" / "Fixtures" / "onnx" / "run-cnn-small", run_path)
    run = tessera.Run(run_path)
    run.validate(tmp_path / "one.csv", samples=4, directions=4, domain="disk")
    run.validate(tmp_path / "two.csv", samples=4, directions=4, domain="disk", shards=2, executor=executor(tmp_path / "jobs"))
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()


def test_slice_with_a_submitit_executor_is_the_one_process_partition(tmp_path):
    layers = [(np.random.default_rng(s).normal(size=(o, i)), np.random.default_rng(s + 1).normal(size=o))
              for s, (i, o) in enumerate([(6, 12), (12, 12), (12, 3)])]
    anchors = np.random.default_rng(7).uniform(size=(3, 6))
    one = tessera.slice(layers, anchors, domain="square:2")
    arrayed = tessera.slice(layers, anchors, domain="square:2", shards=3, executor=executor(tmp_path / "jobs"))
    exact = lambda p: (p.n_regions, p.n_vertices, p.n_edges, p.layers, p.boundary_segments)
    assert exact(arrayed) == exact(one) and one.n_regions > 20
    assert list(arrayed.classes) == list(one.classes)


def test_render_and_figure_with_a_submitit_executor(tmp_path):
    run_path = tmp_path / "run"
    shutil.copytree(REPOSITORY / "Tests" / "SlicerTests" / "Fixtures" / "onnx" / "run-cnn-small", run_path)
    run = tessera.Run(run_path)
    common = dict(domain="disk:0.5", size=120, lc_samples=4)
    run.render([0, 1, 2], tmp_path / "one", **common)
    tessera.render(run, [0, 1, 2], tmp_path / "two", shards=2, executor=executor(tmp_path / "jobs"), **common)
    files = lambda d: {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}
    assert "partition.csv" in files(tmp_path / "one") and files(tmp_path / "two") == files(tmp_path / "one")
    figure = dict(domain="disk:0.5", samples=8, directions=4, panel_size=120)
    run.figure([0, 1, 2], tmp_path / "a.png", **figure)
    run.figure([0, 1, 2], tmp_path / "b.png", shards=2, executor=executor(tmp_path / "jobs2"), **figure)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()

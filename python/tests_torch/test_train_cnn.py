"""examples/train_cnn.py writes run directories tessera reads: a tiny ResNet with batch norm (the case where the
ONNX exporter would fold or merge tensors) and a tiny CNN, a few steps each. Needs torch, onnx, onnxruntime and
the Fashion-MNIST IDX files (apt install dataset-fashion-mnist)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import binary, cli, read_json, read_safetensors  # noqa: E402,F401  (shared fixtures)

ROOT = Path(__file__).resolve().parents[2]


def train(tmp_path, *flags):
    out = tmp_path / "run"
    finished = subprocess.run([sys.executable, str(ROOT / "examples" / "train_cnn.py"), *flags, "--steps", "12",
                               "--batch", "8", "--train-size", "64", "--test-size", "32", "--checkpoints-per-decade", "2",
                               "--threads", "1", "--out", str(out)], capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    return out


@pytest.mark.parametrize("flags", [["--arch", "resnet", "--k", "2", "--blocks", "1-1", "--batchnorm"],
                                   ["--arch", "cnn", "--depth", "3", "--width", "4", "--weight-decay", "0.1"]])
def test_a_training_run_is_a_tessera_run(cli, tmp_path, flags):
    import onnx
    run = train(tmp_path, *flags)
    info = read_json(run / "run.json")
    steps = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert info["config"]["checkpoint_steps"] == steps and info["config"]["steps"] == 12
    assert info["onnx_check_max_relative_error"] < 1e-4
    assert sorted(int(p.name[5:14]) for p in (run / "checkpoints").iterdir()) == steps
    metrics = (run / "metrics.csv").read_text().splitlines()
    assert metrics[0] == "step,train_loss,train_accuracy,test_loss,test_accuracy"
    assert [int(line.split(",")[0]) for line in metrics[1:]] == steps
    graph = onnx.load(str(run / "model.onnx")).graph
    initializers = {i.name for i in graph.initializer}
    # Every checkpoint holds exactly the graph's initializers (batch norm kept: its running statistics too).
    assert set(read_safetensors(run / "checkpoints" / "step-000000012.safetensors")) == initializers
    if "--batchnorm" in flags:
        assert any(n.op_type == "BatchNormalization" for n in graph.node)
        assert any(name.endswith("running_var") for name in initializers)
    cli("lc", run, "--split", "train,random", "--samples", "3", "--directions", "4", "--radius", "0.05",
        "--csv", tmp_path / "lc.csv")
    rows = (tmp_path / "lc.csv").read_text().splitlines()
    assert len(rows) == 1 + 2 * len(steps)
    # The first step's LC differs from the last one's (the checkpoints are read, not the exported weights).
    first = [float(r.split(",")[4]) for r in rows[1:] if r.split(",")[0] == "0"]
    last = [float(r.split(",")[4]) for r in rows[1:] if r.split(",")[0] == "12"]
    assert np.all(np.isfinite(first + last)) and first != last


def test_an_existing_run_is_not_overwritten_without_asking(tmp_path):
    run = train(tmp_path, "--arch", "cnn", "--depth", "2", "--width", "2")
    before = (run / "run.json").read_text()
    finished = subprocess.run([sys.executable, str(ROOT / "examples" / "train_cnn.py"), "--out", str(run)],
                              capture_output=True, text=True)
    assert finished.returncode == 1 and finished.stderr.startswith("error: ") and "--overwrite" in finished.stderr
    assert (run / "run.json").read_text() == before
    json.loads(before)


def run_script(*flags):
    return subprocess.run([sys.executable, str(ROOT / "examples" / "train_cnn.py"), *flags], capture_output=True, text=True)


@pytest.mark.parametrize("stop", ["steps", "signal-like"])
def test_a_resumed_run_reaches_the_same_weights_bit_for_bit(tmp_path, stop):
    """N steps in one process equal N/2 steps, then --resume to N: every checkpoint's tensors and metadata, metrics.csv
    and the checkpoint list are the same, bit for bit (batch norm's running statistics and AdamW's moments carried
    over). Files are compared by content: safetensors orders its metadata header differently from run to run."""
    from safetensors import safe_open

    def content(path):
        with safe_open(str(path), "np") as handle:
            return handle.metadata(), {k: handle.get_tensor(k).tobytes() for k in handle.keys()}
    common = ["--arch", "cnn", "--depth", "3", "--width", "4", "--batchnorm", "--batch", "8", "--train-size", "64",
              "--test-size", "16", "--train-eval-size", "16", "--threads", "1", "--checkpoints-per-decade", "3",
              "--save-every", "5"]
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    assert run_script(*common, "--steps", "40", "--out", str(whole)).returncode == 0
    if stop == "steps":
        # The first process ends at step 20 (its own final checkpoint, off the 40-step schedule).
        first = run_script(*common, "--steps", "20", "--out", str(parts))
    else:
        # The first process stops on its time limit right after starting (a last checkpoint off the schedule).
        first = run_script(*common, "--steps", "40", "--time-limit", "0.00001", "--out", str(parts))
    assert first.returncode == 0, first.stderr
    assert (parts / "resume.pt").exists()
    resumed = run_script(*common, "--steps", "40", "--resume", "--out", str(parts))
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming at step" in resumed.stderr
    names = sorted(p.name for p in (whole / "checkpoints").iterdir())
    assert names == sorted(p.name for p in (parts / "checkpoints").iterdir()) and "step-000000040.safetensors" in names
    for name in names:
        assert content(whole / "checkpoints" / name) == content(parts / "checkpoints" / name), name
    assert (whole / "metrics.csv").read_text() == (parts / "metrics.csv").read_text()
    assert read_json(parts / "run.json")["config"]["checkpoint_steps"] == read_json(whole / "run.json")["config"]["checkpoint_steps"]


def test_resume_refuses_other_flags_and_a_missing_state(tmp_path):
    common = ["--arch", "cnn", "--depth", "2", "--width", "2", "--batch", "8", "--train-size", "64", "--test-size", "16",
              "--threads", "1", "--steps", "6"]
    run = tmp_path / "run"
    assert run_script(*common, "--out", str(run)).returncode == 0
    other = run_script(*common[:-1], "12", "--batch", "16", "--resume", "--out", str(run))
    assert other.returncode == 1 and other.stderr.startswith("error: ") and "--batch 8" in other.stderr
    missing = run_script(*common, "--resume", "--out", str(tmp_path / "none"))
    assert missing.returncode == 1 and "resume.pt" in missing.stderr

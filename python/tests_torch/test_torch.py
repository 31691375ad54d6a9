"""The PyTorch path (needs torch; not part of CI): modules give exactly the CLI's results.

Run with scripts/run-python-torch-tests.sh (a Python that has torch and safetensors).
"""

import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

import tessera

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import binary, cli, read_json, without_timing  # noqa: E402,F401  (shared fixtures)


def mlp(*layers, seed=0, dtype=torch.float32):
    torch.manual_seed(seed)
    return torch.nn.Sequential(*layers).to(dtype)


def anchors_for(dimension, seed=1):
    return torch.rand(3, dimension, generator=torch.Generator().manual_seed(seed))


def pairs_of(module):
    return [(layer.weight.detach().numpy(), None if layer.bias is None else layer.bias.detach().numpy())
            for layer in module if isinstance(layer, torch.nn.Linear)]


def cli_slice_of_state_dict(cli, tmp_path, module, anchors, *options):
    """The reference: the module's state_dict saved by safetensors.torch, sliced by the CLI."""
    save_file(module.state_dict(), str(tmp_path / "state.safetensors"))
    np.save(tmp_path / "anchors.npy", anchors.numpy())
    cli("slice", "--model", tmp_path / "state.safetensors", "--points", tmp_path / "anchors.npy",
        "--json", tmp_path / "cli.json", *options)
    return read_json(tmp_path / "cli.json")


def test_relu_sequential_matches_its_state_dict_sliced_by_the_cli(cli, tmp_path):
    module = mlp(torch.nn.Linear(20, 32), torch.nn.ReLU(), torch.nn.Linear(32, 32), torch.nn.ReLU(), torch.nn.Linear(32, 5))
    anchors = anchors_for(20)
    expected = cli_slice_of_state_dict(cli, tmp_path, module, anchors)
    partition = tessera.slice(module, anchors, geometry=False)
    assert without_timing(partition.summary) == without_timing(expected)
    assert partition.n_regions > 50
    assert without_timing(tessera.slice(pairs_of(module), anchors.numpy(), geometry=False).summary) == without_timing(expected)


def test_leaky_relu_slope_comes_from_the_module(cli, tmp_path):
    module = mlp(torch.nn.Flatten(), torch.nn.Linear(12, 16), torch.nn.LeakyReLU(0.2), torch.nn.Dropout(0.1),
                 torch.nn.Linear(16, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 3), seed=2)
    anchors = anchors_for(12, seed=3)
    expected = cli_slice_of_state_dict(cli, tmp_path, module[1:], anchors, "--activation", "leaky_relu:0.2")
    partition = tessera.slice(module, anchors, geometry=False)
    assert without_timing(partition.summary) == without_timing(expected)
    named = tessera.slice(module, anchors, activation="leaky_relu:0.2", geometry=False)
    assert without_timing(named.summary) == without_timing(expected)
    with pytest.raises(ValueError, match="leaky_relu:0.2"):
        tessera.slice(module, anchors, activation="relu")


def test_float64_module_and_missing_biases(cli, tmp_path):
    module = mlp(torch.nn.Linear(8, 10, bias=False), torch.nn.ReLU(), torch.nn.Linear(10, 4), seed=4, dtype=torch.float64)
    anchors = anchors_for(8, seed=5).double()
    with_zero_bias = torch.nn.Sequential(torch.nn.Linear(8, 10), torch.nn.ReLU(), torch.nn.Linear(10, 4)).double()
    with torch.no_grad():
        with_zero_bias[0].weight.copy_(module[0].weight)
        with_zero_bias[0].bias.zero_()
        with_zero_bias[2].load_state_dict(module[2].state_dict())
    expected = cli_slice_of_state_dict(cli, tmp_path, with_zero_bias, anchors)
    assert without_timing(tessera.slice(module, anchors, geometry=False).summary) == without_timing(expected)


def test_lc_of_a_module_is_the_lc_of_its_weights():
    module = mlp(torch.nn.Linear(30, 24), torch.nn.ReLU(), torch.nn.Linear(24, 24), torch.nn.ReLU(), torch.nn.Linear(24, 10), seed=6)
    points = torch.rand(64, 30, generator=torch.Generator().manual_seed(7))
    from_module = tessera.lc(module, points, radius=[0.05, 0.5], directions=10)
    from_pairs = tessera.lc(pairs_of(module), points.numpy(), radius=[0.05, 0.5], directions=10)
    assert [without_timing(r.summary) for r in from_module] == [without_timing(r.summary) for r in from_pairs]
    assert from_module[1].mean > from_module[0].mean


def test_a_module_trained_a_few_steps_keeps_its_mode_and_slices():
    module = mlp(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2), seed=8)
    optimizer = torch.optim.SGD(module.parameters(), lr=0.1)
    x = torch.randn(64, 2, generator=torch.Generator().manual_seed(9))
    y = (x[:, 0] * x[:, 1] > 0).long()
    for _ in range(20):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(module(x), y).backward()
        optimizer.step()
    assert module.training
    partition = tessera.slice(module, torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), geometry=False)
    assert module.training and partition.n_regions >= 1 and partition.neurons_cut[0] <= 16


def test_a_module_that_cannot_take_the_anchors_shape_is_a_tessera_error():
    # Not a plain MLP (a Tanh), so it goes through torch.onnx.export, which fails on 5-wide inputs.
    module = mlp(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2), seed=10)
    with pytest.raises(tessera.TesseraError, match=r"cannot export the module to ONNX on an input of shape \(1, 5\)"):
        tessera.slice(module, anchors_for(5), exporter="torchscript")

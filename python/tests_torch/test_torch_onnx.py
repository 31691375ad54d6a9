"""Modules beyond plain MLPs go through torch.onnx.export. Needs torch: TORCH_PYTHON=... scripts/run-python-torch-tests.sh"""

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import tessera

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import binary, cli, read_json, without_timing  # noqa: E402,F401  (shared fixtures)


class SmallCNN(torch.nn.Module):
    def __init__(self, pool=torch.nn.MaxPool2d):
        super().__init__()
        self.features = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), pool(2))
        self.classifier = torch.nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def cli_on_export(cli, tmp_path, module, anchors, exporter):
    path = tmp_path / "exported.onnx"
    module.eval()
    if exporter == "dynamo":
        torch.onnx.export(module, (torch.zeros(1, *anchors.shape[1:]),), str(path), dynamo=True, external_data=False)
    else:
        torch.onnx.export(module, (torch.zeros(1, *anchors.shape[1:]),), str(path), dynamo=False)
    np.save(tmp_path / "anchors.npy", anchors.reshape(3, -1).numpy())
    cli("slice", "--model", path, "--points", tmp_path / "anchors.npy", "--json", tmp_path / "cli.json")
    return read_json(tmp_path / "cli.json")


@pytest.mark.parametrize("pool", [torch.nn.MaxPool2d, torch.nn.AvgPool2d])
@pytest.mark.parametrize("exporter", ["dynamo", "torchscript"])
def test_cnn_module_matches_the_cli_on_its_export(cli, tmp_path, exporter, pool):
    torch.manual_seed(11)
    module = SmallCNN(pool)
    anchors = torch.rand(3, 1, 8, 8, generator=torch.Generator().manual_seed(12))
    expected = cli_on_export(cli, tmp_path, module, anchors, exporter)
    partition = tessera.slice(module, anchors, exporter=exporter)
    assert without_timing(partition.summary) == without_timing(expected)
    assert partition.n_regions > 1 and len(partition.regions) == partition.n_regions


def test_mixed_activations_are_exported_and_match_the_numpy_layers():
    torch.manual_seed(13)
    module = torch.nn.Sequential(torch.nn.Linear(6, 10), torch.nn.ReLU(), torch.nn.Linear(10, 10), torch.nn.LeakyReLU(0.1),
                                 torch.nn.Linear(10, 3))
    anchors = torch.rand(3, 6, generator=torch.Generator().manual_seed(14))
    partition = tessera.slice(module, anchors, geometry=False)
    # The first layer's lines do not depend on the later activations.
    first = tessera.slice([(module[0].weight.detach().numpy(), module[0].bias.detach().numpy()),
                           (np.eye(3, 10, dtype=np.float32), np.zeros(3, np.float32))], anchors.numpy(), geometry=False)
    assert partition.layers[0] == first.layers[0]

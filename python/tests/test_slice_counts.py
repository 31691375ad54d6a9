"""The numpy path gives exactly the CLI's slice: same model file → same JSON, for every option passed."""

import numpy as np
import pytest

import tessera
from conftest import FIXTURES, read_json, read_safetensors, random_mlp, without_timing


def cli_slice(cli, tmp_path, model, anchors, *options):
    anchors_path = tmp_path / "cli-anchors.npy"
    np.save(anchors_path, anchors)
    cli("slice", "--model", model, "--points", anchors_path, "--json", tmp_path / "cli.json", *options)
    return read_json(tmp_path / "cli.json")


def test_pytorch_fixture_weights_as_numpy_pairs_match_the_cli_on_the_file(cli, tmp_path):
    # The fixture was written by the safetensors package from a PyTorch nn.Sequential under a prefix.
    tensors = read_safetensors(FIXTURES / "pytorch_layout.safetensors")
    pairs = [(tensors[f"net.layers.{i}.weight"], tensors[f"net.layers.{i}.bias"]) for i in (0, 2, 4)]
    anchors = np.load(FIXTURES / "pytorch_layout_anchors.npy")
    expected = cli_slice(cli, tmp_path, FIXTURES / "pytorch_layout.safetensors", anchors)
    partition = tessera.slice(pairs, anchors, geometry=False)
    assert without_timing(partition.summary) == without_timing(expected)
    assert partition.n_regions == expected["regions"] == 32
    assert partition.neurons_cut.tolist() == [layer["neurons_cut"] for layer in expected["layers"]]


@pytest.mark.parametrize("domain", ["square:1.5", "triangle:1.2", "disk:0.8@2", "diamond:0.5@1"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_random_mlps_match_the_cli_for_every_domain_and_dtype(cli, tmp_path, domain, dtype):
    layers = random_mlp(3, [12, 20, 20, 4], dtype=dtype)
    anchors = np.random.default_rng(4).uniform(size=(3, 12)).astype(dtype)
    model_path = tmp_path / "model.safetensors"
    tessera.write_mlp(model_path, layers)
    expected = cli_slice(cli, tmp_path, model_path, anchors, "--domain", domain)
    partition = tessera.slice(layers, anchors, domain=domain, geometry=False)
    assert without_timing(partition.summary) == without_timing(expected)
    assert partition.summary["domain"]["kind"] == domain.split(":")[0]


def test_leaky_relu_and_exact_arithmetic_are_passed_on(cli, tmp_path):
    layers = random_mlp(5, [6, 10, 10, 3])
    anchors = np.random.default_rng(6).normal(size=(3, 6))
    model_path = tmp_path / "model.safetensors"
    tessera.write_mlp(model_path, layers)
    expected = cli_slice(cli, tmp_path, model_path, anchors, "--activation", "leaky_relu:0.1", "--arithmetic", "exact")
    partition = tessera.slice(layers, anchors, activation="leaky_relu:0.1", arithmetic="exact", geometry=False)
    assert without_timing(partition.summary) == without_timing(expected)
    assert partition.arithmetic == "exact"
    relu = tessera.slice(layers, anchors, arithmetic="exact", geometry=False)
    # Same lines in the first layer; a leaky slope bends the later layers' lines differently.
    assert relu.layers[0] == partition.layers[0]


def test_model_path_and_torch_tensors_like_inputs_are_accepted(tmp_path):
    layers = random_mlp(7, [5, 8, 2])
    model_path = tmp_path / "model.safetensors"
    tessera.write_mlp(model_path, layers)
    anchors = np.eye(3, 5)
    from_path = tessera.slice(model_path, anchors, geometry=False)
    from_string = tessera.slice(str(model_path), anchors.tolist(), geometry=False)
    from_pairs = tessera.slice(layers, anchors, geometry=False)
    assert without_timing(from_path.summary) == without_timing(from_string.summary) == without_timing(from_pairs.summary)
    # Eight first-layer lines: at most 8 cut, and regions of an arrangement of n lines ≤ 1 + n + n(n-1)/2.
    assert from_path.n_regions <= 1 + 8 + 28
    assert from_path.neurons_cut[0] <= 8


def test_max_regions_is_passed_on():
    layers = random_mlp(8, [4, 30, 30, 2])
    anchors = np.random.default_rng(9).normal(size=(3, 4))
    full = tessera.slice(layers, anchors, geometry=False)
    assert full.n_regions > 10
    with pytest.raises(tessera.TesseraError) as raised:
        tessera.slice(layers, anchors, max_regions=10, geometry=False)
    assert raised.value.status == 1

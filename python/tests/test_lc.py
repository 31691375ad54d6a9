"""tessera.lc gives the CLI's numbers, and they are the estimator's definition computed in numpy."""

import numpy as np
import pytest

import tessera
from conftest import forward, random_mlp, read_json, without_timing

LAYERS = random_mlp(31, [10, 16, 16, 16, 4])
POINTS = np.random.default_rng(32).uniform(size=(40, 10))


def orthonormal_frame(seed, count, dimension):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(dimension, count)))
    return q.T.copy()


def numpy_lc(layers, points, radius, frame, include_output=False):
    """Per sample and layer: the units whose sign (−1, 0, +1) is not the same at all x ± r·v_p."""
    vertices = np.concatenate([points[:, None, :] + radius * frame[None], points[:, None, :] - radius * frame[None]], axis=1)
    hidden, logits = forward(layers, vertices.reshape(-1, points.shape[1]))
    counted = hidden + ([logits] if include_output else [])
    per_layer = []
    for z in counted:
        signs = np.sign(z).reshape(len(points), vertices.shape[1], -1)
        per_layer.append((signs != signs[:, :1, :]).any(axis=1).sum(axis=1))
    return np.array(per_layer).T  # [samples, layers]


def test_matches_the_cli_on_the_same_files(cli, tmp_path):
    model, points = tmp_path / "m.safetensors", tmp_path / "x.npy"
    tessera.write_mlp(model, LAYERS)
    np.save(points, POINTS)
    cli("lc", "--model", model, "--points", points, "--radius", "0.05,0.5", "--directions", 7, "--seed", 3,
        "--json", tmp_path / "lc.json")
    expected = read_json(tmp_path / "lc.json")["radii"]
    results = tessera.lc(LAYERS, POINTS, radius=[0.05, 0.5], directions=7, seed=3)
    assert [without_timing(r.summary) for r in results] == [without_timing(e) for e in expected]
    assert [r.radius for r in results] == [0.05, 0.5]
    assert results[1].layer_mean.tolist() == [layer["mean"] for layer in expected[1]["layers"]]


@pytest.mark.parametrize("include_output", [False, True])
def test_with_an_explicit_frame_is_the_estimator_computed_in_numpy(include_output):
    frame = orthonormal_frame(33, 6, 10)
    result = tessera.lc(LAYERS, POINTS, radius=0.3, frame=frame, include_output=include_output, precision="float64")
    counts = numpy_lc(LAYERS, POINTS, 0.3, frame, include_output)
    assert result.samples == len(POINTS) and result.directions == 6
    assert len(result.layer_mean) == (4 if include_output else 3)
    np.testing.assert_allclose(result.layer_mean, counts.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(result.layer_std, counts.std(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.mean, counts.sum(axis=1).mean(), rtol=1e-12)
    assert result.mean > 0


def test_precision_reaches_the_binary(cli, tmp_path):
    model, points = tmp_path / "m.safetensors", tmp_path / "x.npy"
    tessera.write_mlp(model, LAYERS)
    np.save(points, POINTS)
    for precision in ["float32", "float64"]:
        cli("lc", "--model", model, "--points", points, "--radius", "0.05", "--directions", 7, "--seed", 3,
            "--precision", precision, "--json", tmp_path / f"{precision}.json")
        expected = read_json(tmp_path / f"{precision}.json")["radii"][0]
        result = tessera.lc(LAYERS, POINTS, radius=0.05, directions=7, seed=3, precision=precision)
        assert without_timing(result.summary) == without_timing(expected)
    with pytest.raises(tessera.TesseraError, match="precision"):
        tessera.lc(LAYERS, POINTS, radius=0.05, precision="float16")


def test_zero_radius_counts_nothing_and_a_number_gives_one_result():
    result = tessera.lc(LAYERS, POINTS, radius=0.0, directions=5)
    assert isinstance(result, tessera.LocalComplexity)
    assert result.mean == 0 and result.layer_mean.tolist() == [0, 0, 0]


def test_lc_grows_with_the_radius_and_stays_below_the_unit_count():
    small, large = tessera.lc(LAYERS, POINTS, radius=[0.01, 1.0], directions=5)
    assert small.mean < large.mean <= 48
    assert np.all(large.layer_mean <= 16)

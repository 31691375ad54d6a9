"""Everything the binary rejects surfaces as one TesseraError carrying its one-line message."""

import numpy as np
import pytest

import tessera
from conftest import random_mlp

LAYERS = random_mlp(11, [6, 8, 8, 3])
ANCHORS = np.random.default_rng(12).uniform(size=(3, 6))


def raised(call):
    with pytest.raises(tessera.TesseraError) as info:
        call()
    error = info.value
    assert "\n" not in error.message and error.message == str(error)
    assert not error.message.lower().startswith("error")
    return error


def test_collinear_anchors():
    direction = np.arange(1.0, 7.0)  # small integers: the three points are exactly on one line
    collinear = np.stack([0.5 + 0 * direction, 0.5 + direction, 0.5 + 3 * direction])
    error = raised(lambda: tessera.slice(LAYERS, collinear, geometry=False))
    assert error.status == 1 and "collinear" in error.message.lower()


def test_repeated_anchor():
    error = raised(lambda: tessera.slice(LAYERS, ANCHORS[[0, 0, 1]], geometry=False))
    assert error.status == 1


def test_two_anchors_instead_of_three():
    error = raised(lambda: tessera.slice(LAYERS, ANCHORS[:2], geometry=False))
    assert error.status == 1 and "3" in error.message


def test_anchors_of_the_wrong_dimension():
    error = raised(lambda: tessera.slice(LAYERS, ANCHORS[:, :5], geometry=False))
    assert error.status == 1 and "6" in error.message


def test_non_finite_anchor():
    anchors = ANCHORS.copy()
    anchors[1, 2] = np.nan
    assert raised(lambda: tessera.slice(LAYERS, anchors, geometry=False)).status == 1


def test_missing_model_file(tmp_path):
    missing = tmp_path / "nowhere.safetensors"
    error = raised(lambda: tessera.slice(missing, ANCHORS, geometry=False))
    assert error.status == 1 and str(missing) in error.message


def test_weights_whose_shapes_do_not_chain():
    broken = [LAYERS[0], (np.ones((8, 7), np.float32), np.zeros(8, np.float32)), LAYERS[2]]
    assert raised(lambda: tessera.slice(broken, ANCHORS, geometry=False)).status == 1


def test_unknown_domain_and_arithmetic():
    assert raised(lambda: tessera.slice(LAYERS, ANCHORS, domain="hexagon:2", geometry=False)).status == 1
    assert raised(lambda: tessera.slice(LAYERS, ANCHORS, arithmetic="approximate", geometry=False)).status == 1


def test_lc_with_more_directions_than_dimensions():
    error = raised(lambda: tessera.lc(LAYERS, ANCHORS, radius=0.1, directions=25))
    assert "directions" in error.message


def test_lc_with_a_frame_of_the_wrong_width():
    assert raised(lambda: tessera.lc(LAYERS, ANCHORS, radius=0.1, frame=np.eye(2, 5))).status == 1


def test_not_a_model_is_a_type_error():
    with pytest.raises(TypeError):
        tessera.slice(42, ANCHORS)
    with pytest.raises(TypeError):
        tessera.slice([(np.ones((2, 6)),)], ANCHORS)


def test_a_run_directory_without_metrics(tmp_path):
    assert "metrics.csv" in raised(lambda: tessera.Run(tmp_path)).message

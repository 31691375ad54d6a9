"""The partition's geometry: what the CLI writes, and what the network says at every region."""

from fractions import Fraction

import numpy as np
import pytest

import tessera
from tessera._geojson import read_partition_geojson
from conftest import forward, random_mlp

LAYERS = random_mlp(51, [8, 12, 12, 4])
ANCHORS = np.random.default_rng(52).uniform(size=(3, 8))


@pytest.fixture(scope="module")
def partition():
    return tessera.slice(LAYERS, ANCHORS)


def test_numpy_path_reads_exactly_the_geometry_the_cli_writes(cli, tmp_path, partition):
    model, anchors = tmp_path / "m.safetensors", tmp_path / "a.npy"
    tessera.write_mlp(model, LAYERS)
    np.save(anchors, ANCHORS)
    cli("slice", "--model", model, "--points", anchors, "--regions", tmp_path / "r.geojson")
    written = read_partition_geojson(tmp_path / "r.geojson")
    assert partition.patterns == written["patterns"]
    assert all(np.array_equal(a, b) for a, b in zip(partition.regions, written["regions"]))
    for name in ("classes", "areas", "edges", "edge_layers", "edge_units", "domain_edges", "boundary", "anchors"):
        assert np.array_equal(getattr(partition, name), written[name]), name


def test_geometry_agrees_with_the_statistics(partition):
    assert len(partition.regions) == len(partition.patterns) == len(partition.classes) == partition.n_regions > 20
    assert len(partition.boundary) == partition.boundary_segments > 0
    assert len(partition.edges) + len(partition.domain_edges) == partition.n_edges
    assert len(partition.domain_edges) >= 4  # the square's sides, cut where unit lines meet them
    assert set(partition.edge_layers) <= {1, 2} and partition.edge_units.min() >= 0 and partition.edge_units.max() < 12
    assert np.isclose(np.sum(partition.areas), partition.domain_area, rtol=1e-9)
    assert np.array_equal(partition.anchors, np.asarray(partition.summary["anchors"]))
    assert np.array_equal(partition.domain, np.asarray(partition.summary["domain"]["polygon"]))


def test_regions_are_convex_counter_clockwise_polygons_of_their_area(partition):
    for polygon, area in zip(partition.regions, partition.areas):
        x, y = polygon[:, 0], polygon[:, 1]
        shoelace = (x * np.roll(y, -1) - np.roll(x, -1) * y).sum() / 2
        assert shoelace > 0 and np.isclose(shoelace, area, rtol=1e-6, atol=1e-12)
        edges = np.roll(polygon, -1, axis=0) - polygon
        turns = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
        assert turns.min() > -1e-9 * np.abs(edges).max() ** 2


def test_each_region_has_the_pattern_and_class_the_network_computes_inside_it(partition):
    inside = partition.to_input_space(partition.centroids())
    hidden, logits = forward(LAYERS, inside)
    for region in range(partition.n_regions):
        for layer, bits in enumerate(partition.pattern(region)):
            assert np.array_equal(bits, hidden[layer][region] > 0), (region, layer)
    # A region without boundary inside predicts one class everywhere: check it at its vertices too.
    checked = 0
    for region, polygon in enumerate(partition.regions):
        _, at_vertices = forward(LAYERS, partition.to_input_space(polygon))
        top = np.sort(at_vertices, axis=1)
        if np.all(top[:, -1] - top[:, -2] > 1e-9) and len(set(at_vertices.argmax(axis=1))) == 1:
            assert partition.classes[region] == at_vertices[0].argmax() == logits[region].argmax()
            checked += 1
    assert checked > partition.n_regions // 2


def test_plane_coordinates_map_back_to_the_anchors(partition):
    np.testing.assert_allclose(partition.to_input_space(partition.anchors), ANCHORS, rtol=0, atol=1e-12)
    np.testing.assert_allclose(partition.to_plane(ANCHORS), partition.anchors, rtol=0, atol=1e-12)


def test_plot_and_notebook_picture(partition):
    import matplotlib
    matplotlib.use("Agg")
    ax = partition.plot(fill="class")
    assert len(ax.collections) == 4  # regions, neuron edges, decision boundary, anchors
    assert len(ax.collections[0].get_paths()) == partition.n_regions
    png = partition._repr_png_()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_statistics_only():
    light = tessera.slice(LAYERS, ANCHORS, geometry=False)
    assert light.regions is None and light._repr_png_() is None and light.n_regions > 20
    with pytest.raises(ValueError, match="geometry=False"):
        light.plot()


def exact_plane(anchors):
    """x1, d1, d2 of the slice plane as Fractions (the anchors' floats are exact binary fractions)."""
    x1, x2, x3 = ([Fraction(float(value)) for value in row] for row in anchors)
    d1 = [b - a for a, b in zip(x1, x2)]
    e = [c - a for a, c in zip(x1, x3)]
    ratio = sum(p * q for p, q in zip(e, d1)) / sum(p * p for p in d1)
    return x1, d1, [p - ratio * q for p, q in zip(e, d1)]


def exact_hidden(layers, point):
    """Every hidden pre-activation at ``point``, in exact rational arithmetic."""
    values, hidden = point, []
    for weight, bias in layers[:-1]:
        z = [sum(Fraction(float(w)) * v for w, v in zip(row, values)) + Fraction(float(b)) for row, b in zip(weight, bias)]
        hidden.append(z)
        values = [max(v, 0) for v in z]
    return hidden


def test_exact_vertices_are_on_the_closed_side_of_every_unit_their_pattern_says():
    layers = random_mlp(53, [5, 6, 6, 3])
    anchors = np.random.default_rng(54).uniform(size=(3, 5)).astype(np.float32)
    partition = tessera.slice(layers, anchors, exact_vertices=True)
    assert len(partition.exact_vertices) == partition.n_regions > 5
    x1, d1, d2 = exact_plane(anchors)
    norms = np.linalg.norm(np.array(d1, dtype=float)), np.linalg.norm(np.array(d2, dtype=float))
    on_a_line = 0
    for region, vertices in enumerate(partition.exact_vertices):
        assert len(vertices) == len(partition.regions[region])
        bits = partition.pattern(region)
        for corner, (s, t) in zip(partition.regions[region], vertices):
            assert np.allclose(corner, (float(s) * norms[0], float(t) * norms[1]), rtol=1e-9, atol=1e-9)
            hidden = exact_hidden(layers, [a + s * p + t * q for a, p, q in zip(x1, d1, d2)])
            for layer, z in enumerate(hidden):
                for unit, value in enumerate(z):
                    assert value >= 0 if bits[layer][unit] else value <= 0, (region, layer, unit)
                    on_a_line += value == 0
    assert on_a_line > 0  # the vertices lie exactly on unit lines, not merely near them

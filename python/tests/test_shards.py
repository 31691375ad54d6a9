"""Sharded measurements (``shards=N`` without an executor: the shares run here, then ``tessera merge``)
give the one-process numbers."""

import shutil

import numpy as np

import tessera
from conftest import FIXTURES, random_mlp, without_timing

LAYERS = random_mlp(41, [10, 16, 16, 4])
# 600 points: three blocks of samples, so that shares differ.
POINTS = np.random.default_rng(42).uniform(size=(600, 10))


def test_lc_in_shares_equals_one_process():
    one = tessera.lc(LAYERS, POINTS, radius=[0.3, 1.0], directions=5, seed=2)
    for shards in (2, 3):
        sharded = tessera.lc(LAYERS, POINTS, radius=[0.3, 1.0], directions=5, seed=2, shards=shards)
        assert [without_timing(r.summary) for r in sharded] == [without_timing(r.summary) for r in one]
    assert one[1].mean > 0


def test_run_measure_lc_and_validate_in_shares_equal_one_process(tmp_path):
    run_path = tmp_path / "run"
    shutil.copytree(FIXTURES / "onnx" / "run-cnn-small", run_path)
    run = tessera.Run(run_path)
    one = run.measure_lc(tmp_path / "one.csv", samples=20, directions=4, splits=["random"])
    two = run.measure_lc(tmp_path / "two.csv", samples=20, directions=4, splits=["random"], shards=2)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    assert len(one) == len(two) == 2 * 3   # checkpoints × radii
    run.validate(tmp_path / "v1.csv", samples=4, directions=4, domain="disk")
    run.validate(tmp_path / "v3.csv", samples=4, directions=4, domain="disk", shards=3)
    assert (tmp_path / "v1.csv").read_bytes() == (tmp_path / "v3.csv").read_bytes()
    assert not list(tmp_path.glob("*.shard-*"))   # merge removed the parts


def _exact_fields(partition):
    """Counts and per-layer statistics (exact)."""
    s = partition.summary
    return s["regions"], s["vertices"], s["edges"], s["layers"], s["decision_boundary"]["segments"]


def test_slice_in_strips_is_the_one_process_partition():
    layers = random_mlp(43, [6, 12, 12, 3])
    anchors = np.random.default_rng(44).uniform(size=(3, 6))
    one = tessera.slice(layers, anchors, domain="square:2")
    assert one.summary["regions"] > 20
    for shards in (2, 3):
        stitched = tessera.slice(layers, anchors, domain="square:2", shards=shards)
        assert _exact_fields(stitched) == _exact_fields(one)
        assert len(stitched.regions) == len(one.regions) == one.n_regions
        # Canonical order (regions by pattern) either way: the same patterns and classes, region by region.
        assert [list(p) for p in stitched.patterns] == [list(p) for p in one.patterns]
        assert list(stitched.classes) == list(one.classes)
        # An MLP's floats are functions of a region's pattern: the same bits whatever the strips.
        assert np.array_equal(stitched.areas, one.areas)


def _files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_render_and_figure_in_shares_write_the_one_process_files(tmp_path):
    run_path = tmp_path / "run"
    shutil.copytree(FIXTURES / "onnx" / "run-cnn-small", run_path)
    run = tessera.Run(run_path)
    common = dict(domain="disk:0.5", size=120, lc_samples=4, regions=True)
    one = run.render([0, 1, 2], tmp_path / "one", **common)
    two = tessera.render(run_path, [0, 1, 2], tmp_path / "two", shards=2, **common)
    assert one == str(tmp_path / "one") and two == str(tmp_path / "two")
    files = _files(tmp_path / "one")
    assert "partition.csv" in files and any(name.endswith(".geojson") for name in files)
    assert _files(tmp_path / "two") == files   # the parts are gone, the bytes the same

    figure = dict(domain="disk:0.5", samples=8, directions=4, panel_size=120)
    a = run.figure([0, 1, 2], tmp_path / "a.png", **figure)
    b = tessera.figure(run, [0, 1, 2], tmp_path / "b.png", shards=2, **figure)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    untimed = lambda report: {k: v for k, v in without_timing(report).items() if k != "slice_seconds"}
    assert untimed(a) == untimed(b) and len(a["chosen"]) == 4
    assert not list(tmp_path.glob("*.shard-*"))

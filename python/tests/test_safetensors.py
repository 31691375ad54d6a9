"""The numpy safetensors writer: what an independent reader and the reference files agree on."""

import json
import struct

import numpy as np

import tessera
from conftest import FIXTURES, read_safetensors


def test_round_trip_keeps_dtypes_shapes_and_values(tmp_path):
    rng = np.random.default_rng(41)
    tensors = {"a": rng.normal(size=(3, 5)), "b": rng.normal(size=7).astype(np.float32),
               "c": rng.normal(size=(2, 2)).astype(np.float16), "d": np.arange(6).reshape(2, 3)}
    path = tmp_path / "t.safetensors"
    tessera.write_safetensors(path, tensors, metadata={"activation": "relu"})
    back = read_safetensors(path)
    assert back["a"].dtype == np.float64 and back["b"].dtype == np.float32 and back["c"].dtype == np.float16
    assert back["d"].dtype == np.float64 and back["d"].tolist() == [[0, 1, 2], [3, 4, 5]]
    for name in "abc":
        assert np.array_equal(back[name], tensors[name])
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    assert length % 8 == 0
    assert json.loads(data[8:8 + length])["__metadata__"] == {"activation": "relu"}


def test_fortran_order_and_big_endian_arrays_are_written_row_major_little_endian(tmp_path):
    array = np.asfortranarray(np.arange(12, dtype=">f8").reshape(3, 4))
    path = tmp_path / "t.safetensors"
    tessera.write_safetensors(path, {"x": array})
    assert np.array_equal(read_safetensors(path)["x"], np.arange(12).reshape(3, 4))


def test_mlp_layout_is_pytorch_sequential(tmp_path):
    reference = read_safetensors(FIXTURES / "pytorch_layout.safetensors")
    pairs = [(reference[f"net.layers.{i}.weight"], reference[f"net.layers.{i}.bias"]) for i in (0, 2, 4)]
    path = tmp_path / "mlp.safetensors"
    tessera.write_mlp(path, pairs)
    written = read_safetensors(path)
    assert sorted(written) == ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"]
    for name, array in written.items():
        assert array.dtype == np.float32 and np.array_equal(array, reference["net.layers." + name])


def test_missing_bias_is_written_as_zeros(tmp_path):
    path = tmp_path / "mlp.safetensors"
    tessera.write_mlp(path, [(np.ones((3, 2), np.float32), None)])
    written = read_safetensors(path)
    assert written["0.bias"].dtype == np.float32 and written["0.bias"].tolist() == [0, 0, 0]

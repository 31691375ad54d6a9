"""The ONNX path gives exactly the CLI's slice and LC, and the same as the numpy path for the same network."""

import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import tessera

from conftest import random_mlp, read_json, without_timing

LAYERS = random_mlp(61, [10, 16, 16, 3])
ANCHORS = np.random.default_rng(62).uniform(size=(3, 10)).astype(np.float32)


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def mlp_graph(layers, matmul=False):
    """Gemm(transB) + Relu layers as torch.onnx.export writes them (or MatMul + Add with [in, out] weights)."""
    nodes, initializers, previous = [], [], "input"
    for index, (weight, bias) in enumerate(layers):
        w, b, out = f"{2 * index}.weight", f"{2 * index}.bias", f"linear{index}"
        if matmul:
            initializers += [numpy_helper.from_array(np.ascontiguousarray(weight.T), w), numpy_helper.from_array(bias, b)]
            nodes += [helper.make_node("MatMul", [previous, w], [out + "_mm"]), helper.make_node("Add", [out + "_mm", b], [out])]
        else:
            initializers += [numpy_helper.from_array(weight, w), numpy_helper.from_array(bias, b)]
            nodes.append(helper.make_node("Gemm", [previous, w, b], [out], transB=1))
        previous = out
        if index < len(layers) - 1:
            nodes.append(helper.make_node("Relu", [out], [f"relu{index}"]))
            previous = f"relu{index}"
    inputs = [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, layers[0][0].shape[1]])]
    outputs = [helper.make_tensor_value_info(previous, TensorProto.FLOAT, [1, layers[-1][0].shape[0]])]
    return helper.make_graph(nodes, "mlp", inputs, outputs, initializers)


def conv_graph(seed, pool="MaxPool"):
    """Conv 3×3 (1 → 3 channels, padding 1) → Relu → a 2×2 pool → Flatten → Gemm to 4 classes, on 1×6×6."""
    rng = np.random.default_rng(seed)
    kernel = (rng.normal(size=(3, 1, 3, 3)) / 3).astype(np.float32)
    kernel_bias = (rng.normal(size=3) * 0.1).astype(np.float32)
    dense = (rng.normal(size=(4, 27)) / 5).astype(np.float32)
    dense_bias = np.zeros(4, np.float32)
    nodes = [helper.make_node("Conv", ["input", "conv.weight", "conv.bias"], ["conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["conv"], ["relu"]),
             helper.make_node(pool, ["relu"], ["pool"], kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Flatten", ["pool"], ["flat"], axis=1),
             helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], transB=1)]
    initializers = [numpy_helper.from_array(a, n) for a, n in
                    ((kernel, "conv.weight"), (kernel_bias, "conv.bias"), (dense, "fc.weight"), (dense_bias, "fc.bias"))]
    return helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 6, 6])],
                             [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 4])], initializers)


def cli_json(cli, tmp_path, command, model, points, *options):
    np.save(tmp_path / "cli-points.npy", points)
    cli(command, "--model", model, "--points", tmp_path / "cli-points.npy", "--json", tmp_path / "cli.json", *options)
    return read_json(tmp_path / "cli.json")


@pytest.mark.parametrize("matmul", [False, True])
def test_onnx_mlp_matches_the_cli_and_the_numpy_path(cli, tmp_path, matmul):
    model = save(mlp_graph(LAYERS, matmul), tmp_path / "mlp.onnx")
    expected = cli_json(cli, tmp_path, "slice", model, ANCHORS)
    from_onnx = tessera.slice(model, ANCHORS, geometry=False)
    from_numpy = tessera.slice(LAYERS, ANCHORS, geometry=False)
    assert without_timing(from_onnx.summary) == without_timing(expected)
    assert (from_onnx.n_regions, from_onnx.n_vertices, from_onnx.n_edges, from_onnx.boundary_segments) == \
           (from_numpy.n_regions, from_numpy.n_vertices, from_numpy.n_edges, from_numpy.boundary_segments)
    assert from_onnx.layers == from_numpy.layers


@pytest.mark.parametrize("pool", ["AveragePool", "MaxPool"])
def test_onnx_cnn_with_image_shaped_anchors_matches_the_cli(cli, tmp_path, pool):
    model = save(conv_graph(63, pool=pool), tmp_path / "cnn.onnx")
    images = np.random.default_rng(64).uniform(size=(3, 1, 6, 6)).astype(np.float32)
    expected = cli_json(cli, tmp_path, "slice", model, images.reshape(3, -1))
    partition = tessera.slice(model, images, geometry=False)
    assert without_timing(partition.summary) == without_timing(expected)
    assert partition.n_regions > 1


def test_onnx_lc_matches_the_cli(cli, tmp_path):
    model = save(conv_graph(65), tmp_path / "cnn.onnx")
    points = np.random.default_rng(66).uniform(size=(20, 1, 6, 6)).astype(np.float32)
    expected = cli_json(cli, tmp_path, "lc", model, points.reshape(20, -1), "--radius", "0.1", "--directions", 8)
    result = tessera.lc(model, points, radius=0.1, directions=8)
    assert without_timing(result.summary) == without_timing(expected["radii"][0])


def test_an_operator_outside_the_piecewise_affine_family_is_a_tessera_error(tmp_path):
    graph = mlp_graph(LAYERS)
    graph.node[1].op_type = "Sigmoid"
    model = save(graph, tmp_path / "sigmoid.onnx")
    with pytest.raises(tessera.TesseraError, match="Sigmoid"):
        tessera.slice(model, ANCHORS, geometry=False)

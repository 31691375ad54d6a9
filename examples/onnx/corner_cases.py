"""Hand-built ONNX graphs (onnx.helper) for the operator corner cases PyTorch's exporters rarely write:
strides, asymmetric pads, dilations, groups, overlapping pools, ceil_mode, Gemm attributes, initializer
dtypes and storage. Each case is (name, description, model, inputs); weights are seeded.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import numpy_reference

OPSET = 17
rng = np.random.default_rng(20261201)


def weights(*shape, scale=0.5):
    """Seeded float32 values (every later dtype conversion starts from these)."""
    return (scale * rng.standard_normal(shape)).astype(np.float32)


def raw(name, array):
    """An initializer in raw_data (what PyTorch's exporters write)."""
    return numpy_helper.from_array(array, name)


def typed(name, array, data_type=TensorProto.FLOAT):
    """An initializer in the typed field (float_data, double_data, or int32_data for 16-bit floats)."""
    return helper.make_tensor(name, data_type, array.shape, array.flatten().tolist(), raw=False)


def bf16_raw(name, array):
    bits = (np.asarray(array, dtype=np.float32).view(np.uint32) >> 16).astype("<u2")
    return helper.make_tensor(name, TensorProto.BFLOAT16, array.shape, bits.tobytes(), raw=True)


def to_bf16_exact(array):
    """float32 values with the low 16 bits cleared: exactly representable in bfloat16."""
    return (np.asarray(array, dtype=np.float32).view(np.uint32) & 0xFFFF0000).view(np.float32)


def graph_model(name, nodes, input_shape, output_name, initializers, elem=TensorProto.FLOAT, strict=True):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", elem, ["N"] + list(input_shape))],
        [helper.make_tensor_value_info(output_name, elem, ["N", "K"])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="tessera make_fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    if strict:
        onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    return model


def points(n, *shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=(n,) + shape).astype(np.float32)


def conv_head(c, h, w, classes=3):
    """Flatten → Gemm after a [c, h, w] feature map, so every case ends in logits."""
    return ([helper.make_node("Flatten", ["features"], ["flat"], name="flatten", axis=1),
             helper.make_node("Gemm", ["flat", "head.weight", "head.bias"], ["y"], name="head", transB=1)],
            [raw("head.weight", weights(classes, c * h * w)), raw("head.bias", weights(classes))])


def conv_case(name, description, in_shape, w_shape, bias=True, **attributes):
    c, _, kh, kw = w_shape
    probe = numpy_reference.conv(np.zeros([1] + list(in_shape)), np.zeros(w_shape), None, attributes.get("strides", (1, 1)),
                                 attributes.get("pads", (0, 0, 0, 0)), attributes.get("dilations", (1, 1)),
                                 attributes.get("group", 1))
    out_hw = probe.shape[2:]
    node_inputs = ["x", "conv.weight"] + (["conv.bias"] if bias else [])
    inits = [raw("conv.weight", weights(*w_shape))] + ([raw("conv.bias", weights(c))] if bias else [])
    nodes = [helper.make_node("Conv", node_inputs, ["conv_out"], name="conv", kernel_shape=[kh, kw], **attributes),
             helper.make_node("Relu", ["conv_out"], ["features"], name="relu")]
    head_nodes, head_inits = conv_head(c, *out_hw)
    return name, description, graph_model(name, nodes + head_nodes, in_shape, "y", inits + head_inits), points(3, *in_shape)


def pool_case(name, description, op, in_shape, strict=True, **attributes):
    c = in_shape[0]
    if op == "GlobalAveragePool":
        out_hw = (1, 1)
    else:
        out_hw = numpy_reference.pool(np.zeros([1] + list(in_shape)), "max", attributes["kernel_shape"],
                                      attributes.get("strides", (1, 1)), attributes.get("pads", (0, 0, 0, 0)),
                                      attributes.get("dilations", (1, 1)), attributes.get("ceil_mode", 0)).shape[2:]
    nodes = [helper.make_node(op, ["x"], ["features"], name="pool", **attributes)]
    if strict:
        head_nodes, head_inits = conv_head(c, *out_hw)
    else:
        # No Gemm after it: a loader that trusts onnx's shape inference would reject the Gemm's width.
        head_nodes, head_inits = [helper.make_node("Flatten", ["features"], ["y"], name="flatten", axis=1)], []
    return name, description, graph_model(name, nodes + head_nodes, in_shape, "y", head_inits, strict=strict), points(3, *in_shape)


def dense_case(name, description, middle_nodes, middle_inits, d_in=5, hidden=4, classes=3, output="y", tail=()):
    nodes = [helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], name="fc1", transB=1)] + middle_nodes + [
        helper.make_node("Gemm", ["a", "fc2.weight", "fc2.bias"], ["logits" if tail else output], name="fc2", transB=1)] + list(tail)
    inits = [raw("fc1.weight", weights(hidden, d_in)), raw("fc1.bias", weights(hidden)),
             raw("fc2.weight", weights(classes, hidden)), raw("fc2.bias", weights(classes))] + middle_inits
    return name, description, graph_model(name, nodes, [d_in], output, inits), points(4, d_in)


def dtype_case(name, description, elem, make_w, make_b, convert):
    """fc1 (W in one storage, b in another) → Relu → fc2, the whole graph in one element type."""
    w1, b1 = convert(weights(4, 6)), convert(weights(4))
    w2, b2 = convert(weights(3, 4)), convert(weights(3))
    nodes = [helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], name="fc1", transB=1),
             helper.make_node("Relu", ["h"], ["a"], name="relu"),
             helper.make_node("Gemm", ["a", "fc2.weight", "fc2.bias"], ["y"], name="fc2", transB=1)]
    inits = [make_w("fc1.weight", w1), make_b("fc1.bias", b1), make_w("fc2.weight", w2), make_b("fc2.bias", b2)]
    return name, description, graph_model(name, nodes, [6], "y", inits, elem=elem), convert(points(4, 6))


def cases():
    out = []
    out.append(conv_case("conv_strides", "Conv 3x2 kernel, strides (2, 3), no padding", [2, 7, 8], (3, 2, 3, 2),
                         strides=[2, 3]))
    out.append(conv_case("conv_pads_asymmetric", "Conv 3x3, pads top 1, left 0, bottom 2, right 1", [2, 6, 6], (4, 2, 3, 3),
                         pads=[1, 0, 2, 1]))
    out.append(conv_case("conv_dilations", "Conv 3x3, dilations (2, 3), strides (1, 2), asymmetric pads", [1, 9, 9],
                         (2, 1, 3, 3), dilations=[2, 3], strides=[1, 2], pads=[2, 1, 0, 3]))
    out.append(conv_case("conv_groups", "Conv 3x3, group 2 (4 → 6 channels), pads 1", [4, 6, 6], (6, 2, 3, 3),
                         group=2, pads=[1, 1, 1, 1]))
    out.append(conv_case("conv_depthwise", "depthwise Conv 3x3, group 3 = input channels, multiplier 2, stride 2, pads 1",
                         [3, 6, 6], (6, 1, 3, 3), group=3, strides=[2, 2], pads=[1, 1, 1, 1]))
    out.append(conv_case("conv_no_bias", "Conv 2x2 without a bias input", [2, 5, 5], (3, 2, 2, 2), bias=False))
    out.append(pool_case("avgpool_overlap_cip0", "AveragePool 3x3 stride 2 pads 1 (overlapping), count_include_pad 0",
                         "AveragePool", [2, 7, 7], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                         count_include_pad=0))
    out.append(pool_case("avgpool_overlap_cip1", "AveragePool 3x3 stride 2 pads 1 (overlapping), count_include_pad 1",
                         "AveragePool", [2, 7, 7], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                         count_include_pad=1))
    out.append(pool_case("avgpool_asymmetric_pads", "AveragePool 3x2 stride 1, pads top 0, left 1, bottom 2, right 1, "
                         "count_include_pad 0", "AveragePool", [1, 5, 5], kernel_shape=[3, 2], strides=[1, 1],
                         pads=[0, 1, 2, 1], count_include_pad=0))
    out.append(pool_case("maxpool_pads_dilations", "MaxPool 3x2 strides (1, 2) dilations (2, 1) pads (1, 1, 1, 0), "
                         "overlapping along H", "MaxPool", [2, 8, 8], kernel_shape=[3, 2], strides=[1, 2],
                         dilations=[2, 1], pads=[1, 1, 1, 0]))
    out.append(pool_case("maxpool_ceil", "MaxPool 2x2 stride 2 on 7x7 with ceil_mode 1 (a partial last window)",
                         "MaxPool", [1, 7, 7], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1))
    out.append(pool_case("maxpool_ceil_pads", "MaxPool 2x2 stride 2 pads 1 on 5x5 with ceil_mode 1: the window that "
                         "would start in the right padding is dropped (3x3 out, as PyTorch and onnxruntime compute; onnx's own shape "
                         "inference says 4x4; so the graph ends in Flatten, no Gemm)", "MaxPool", [1, 5, 5], strict=False,
                         kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1))
    out.append(pool_case("avgpool_ceil_cip0", "AveragePool 3x3 stride 2 on 6x6, ceil_mode 1, count_include_pad 0",
                         "AveragePool", [1, 6, 6], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1,
                         count_include_pad=0))
    out.append(pool_case("avgpool_ceil_cip1", "AveragePool 3x3 stride 2 pads 1 on 6x6, ceil_mode 1, count_include_pad 1: "
                         "the partial last window divides by its part inside the padded input", "AveragePool",
                         [1, 6, 6], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1,
                         count_include_pad=1))
    out.append(pool_case("globalavgpool", "GlobalAveragePool on 3x5x4", "GlobalAveragePool", [3, 5, 4]))

    # Gemm attributes: transB with alpha/beta and a 1-D C; then transB 0 with a 2-D C.
    name = "gemm_attributes"
    nodes = [helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], name="fc1", transB=1, alpha=0.5, beta=2.0),
             helper.make_node("Relu", ["h"], ["a"], name="relu"),
             helper.make_node("Gemm", ["a", "fc2.weight", "fc2.bias"], ["y"], name="fc2", transB=0, alpha=1.5, beta=-0.75)]
    inits = [raw("fc1.weight", weights(4, 5)), raw("fc1.bias", weights(4)), raw("fc2.weight", weights(4, 3)),
             raw("fc2.bias", weights(1, 3))]
    out.append((name, "Gemm transB 1 alpha 0.5 beta 2 (C [4]) → Relu → Gemm transB 0 alpha 1.5 beta −0.75 (C [1, 3])",
                graph_model(name, nodes, [5], "y", inits), points(4, 5)))

    name = "matmul_add"
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["m1"], name="matmul1"),
             helper.make_node("Add", ["m1", "b1"], ["h"], name="add1"),
             helper.make_node("Relu", ["h"], ["a"], name="relu"),
             helper.make_node("MatMul", ["a", "w2"], ["m2"], name="matmul2"),
             helper.make_node("Add", ["b2", "m2"], ["y"], name="add2")]
    inits = [raw("w1", weights(5, 4)), raw("b1", weights(4)), raw("w2", weights(4, 3)), raw("b2", weights(3))]
    out.append((name, "MatMul + Add (bias second) → Relu → MatMul + Add (bias first)",
                graph_model(name, nodes, [5], "y", inits), points(4, 5)))

    name = "reshape_minus_one"
    nodes = [helper.make_node("Reshape", ["x", "to_image"], ["image"], name="to_image"),
             helper.make_node("Conv", ["image", "conv.weight", "conv.bias"], ["c"], name="conv", kernel_shape=[1, 1]),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("Constant", [], ["flat_shape"], name="flat_shape",
                              value=numpy_helper.from_array(np.array([0, -1], dtype=np.int64))),
             helper.make_node("Reshape", ["r", "flat_shape"], ["flat"], name="to_vector"),
             helper.make_node("Gemm", ["flat", "head.weight", "head.bias"], ["y"], name="head", transB=1)]
    inits = [raw("to_image", np.array([-1, 2, 3, 3], dtype=np.int64)), raw("conv.weight", weights(2, 2, 1, 1)),
             raw("conv.bias", weights(2)), raw("head.weight", weights(3, 18)), raw("head.bias", weights(3))]
    out.append((name, "input [N, 18] → Reshape [-1, 2, 3, 3] (initializer) → Conv 1x1 → Relu → Reshape [0, -1] "
                "(Constant node) → Gemm", graph_model(name, nodes, [18], "y", inits), points(3, 18)))

    name = "flatten"
    nodes = [helper.make_node("Conv", ["x", "conv.weight", "conv.bias"], ["c"], name="conv", kernel_shape=[2, 2]),
             helper.make_node("Relu", ["c"], ["features"], name="relu")]
    head_nodes, head_inits = conv_head(3, 3, 2)
    out.append((name, "Conv → Relu → Flatten(axis 1) → Gemm",
                graph_model(name, nodes + head_nodes, [2, 4, 3], "y",
                            [raw("conv.weight", weights(3, 2, 2, 2)), raw("conv.bias", weights(3))] + head_inits),
                points(3, 2, 4, 3)))

    out.append(dense_case("leakyrelu", "Gemm → LeakyRelu(alpha 0.1) → Gemm",
                          [helper.make_node("LeakyRelu", ["h"], ["a"], name="leaky", alpha=0.1)], []))
    out.append(dense_case("prelu_one_slope", "Gemm → PRelu with one slope (shape [1], 0.25) → Gemm",
                          [helper.make_node("PRelu", ["h", "slope"], ["a"], name="prelu")],
                          [raw("slope", np.array([0.25], dtype=np.float32))]))
    out.append(dense_case("abs", "Gemm → Abs → Gemm", [helper.make_node("Abs", ["h"], ["a"], name="abs")], []))
    out.append(dense_case("identity_dropout_constant",
                          "Gemm → Identity → Relu → Dropout (inference, ratio from a Constant node) → Gemm",
                          [helper.make_node("Identity", ["h"], ["h2"], name="identity"),
                           helper.make_node("Relu", ["h2"], ["r"], name="relu"),
                           helper.make_node("Constant", [], ["ratio"], name="ratio",
                                            value=numpy_helper.from_array(np.array(0.5, dtype=np.float32))),
                           helper.make_node("Dropout", ["r", "ratio"], ["a"], name="dropout")], []))
    out.append(dense_case("softmax_end", "Gemm → Relu → Gemm → Softmax(axis 1): outputs.npy holds the logits "
                          "(the Softmax input), probabilities.npy the graph output",
                          [helper.make_node("Relu", ["h"], ["a"], name="relu")], [], output="y",
                          tail=[helper.make_node("Softmax", ["logits"], ["y"], name="softmax", axis=1)]))
    out.append(dense_case("logsoftmax_end", "Gemm → Relu → Gemm → LogSoftmax(axis −1): outputs.npy holds the logits",
                          [helper.make_node("Relu", ["h"], ["a"], name="relu")], [], output="y",
                          tail=[helper.make_node("LogSoftmax", ["logits"], ["y"], name="logsoftmax", axis=-1)]))

    name = "batchnorm"
    nodes = [helper.make_node("Conv", ["x", "conv.weight", "conv.bias"], ["c"], name="conv", kernel_shape=[3, 3],
                              pads=[1, 1, 1, 1]),
             helper.make_node("BatchNormalization", ["c", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"],
                              ["b"], name="bn", epsilon=1e-3, momentum=0.9),
             helper.make_node("Relu", ["b"], ["r"], name="relu"),
             helper.make_node("GlobalAveragePool", ["r"], ["g"], name="gap"),
             helper.make_node("Flatten", ["g"], ["flat"], name="flatten"),
             helper.make_node("Gemm", ["flat", "head.weight", "head.bias"], ["y"], name="head", transB=1)]
    inits = [raw("conv.weight", weights(4, 3, 3, 3)), raw("conv.bias", weights(4)),
             raw("bn.weight", (1 + weights(4, scale=0.3))), raw("bn.bias", weights(4, scale=0.2)),
             raw("bn.running_mean", weights(4, scale=0.3)),
             raw("bn.running_var", rng.uniform(0.3, 2.0, 4).astype(np.float32)),
             raw("head.weight", weights(3, 4)), raw("head.bias", weights(3))]
    out.append((name, "Conv → BatchNormalization(epsilon 1e-3) → Relu → GlobalAveragePool → Flatten → Gemm",
                graph_model(name, nodes, [3, 4, 4], "y", inits), points(3, 3, 4, 4)))

    f32 = lambda a: np.asarray(a, dtype=np.float32)
    f16 = lambda a: np.asarray(a, dtype=np.float16)
    f64 = lambda a: np.asarray(a, dtype=np.float64) + np.float64(2.0 ** -40)  # values float32 cannot hold
    out.append(dtype_case("init_f32_raw_typed", "float32 graph: weights in raw_data, biases in typed float_data",
                          TensorProto.FLOAT, raw, typed, f32))
    out.append(dtype_case("init_f64", "float64 graph (input too): weights in typed double_data, biases in raw_data; "
                          "the values are not float32-representable", TensorProto.DOUBLE,
                          lambda n, a: typed(n, a, TensorProto.DOUBLE), raw, f64))
    out.append(dtype_case("init_f16", "float16 graph (input too): weights in raw_data, biases typed (int32_data bit "
                          "patterns)", TensorProto.FLOAT16, raw, lambda n, a: typed(n, a, TensorProto.FLOAT16), f16))
    out.append(dtype_case("init_bf16", "bfloat16 graph (input too): weights in raw_data, biases typed (int32_data bit "
                          "patterns); onnxruntime has no CPU bfloat16 Gemm, so the reference is numpy only",
                          TensorProto.BFLOAT16, bf16_raw, lambda n, a: typed(n, a, TensorProto.BFLOAT16), to_bf16_exact))
    return out

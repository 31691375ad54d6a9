"""Regenerates the ONNX reader's test cases (run with a Python that has onnx, numpy, torch, safetensors):

    python Tests/SlicerTests/Fixtures/onnx-cases/make_cases.py

Operator cases are built with onnx.helper, with parameters from np.arange so the Swift tests can
recompute them; `torch-*` files are real exports (TorchScript-based and dynamo) with the
state_dicts they came from. Files named `bad-*` are hostile: each must give one error line.
"""
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
F = TensorProto.FLOAT


def arange(shape, scale=0.25, offset=-1.0):
    """Deterministic float32 values: (i mod 9) * scale + offset, exactly representable."""
    n = int(np.prod(shape)) if shape else 1
    return (np.arange(n) % 9 * scale + offset).astype(np.float32).reshape(shape)


def init(name, array, raw=True):
    tensor = numpy_helper.from_array(np.asarray(array), name)
    if not raw:
        # The typed-field form: float_data / double_data / int64_data / int32_data.
        array = np.asarray(array)
        tensor = helper.make_tensor(name, helper.np_dtype_to_tensor_dtype(array.dtype), array.shape, array.flatten().tolist(), raw=False)
    return tensor


def io(name, shape, elem=F):
    return helper.make_tensor_value_info(name, elem, shape)


def save(name, nodes, inputs, outputs, initializers=(), opset=17, value_info=(), check=True):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers), value_info=list(value_info))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_cases")
    model.ir_version = 8
    if check:
        onnx.checker.check_model(model)
        # ONNX's own shape inference fills value_info for every intermediate (and fails on a wrong
        # declared output): the reader must agree with it on every node.
        model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    path = os.path.join(HERE, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return path


def n(op, inputs, outputs, name=None, **attrs):
    return helper.make_node(op, inputs, outputs, name=name or outputs[0], **attrs)


def operator_cases():
    X2 = io("x", ["N", 4])
    X4 = io("x", ["N", 2, 5, 5])

    # Gemm: alpha, beta, transB = 0 (B is [K, M]), C as [1, M].
    save("gemm-alpha-beta", [n("Gemm", ["x", "B", "C"], ["y"], alpha=2.0, beta=0.5)], [X2], [io("y", ["N", 3])],
         [init("B", arange([4, 3])), init("C", arange([1, 3], 1.0, 1.0))])
    # Gemm: transB = 1 with a scalar C.
    save("gemm-transb", [n("Gemm", ["x", "W", "C"], ["y"], transB=1)], [X2], [io("y", ["N", 3])],
         [init("W", arange([3, 4])), init("C", np.array(0.5, np.float32))])
    # MatMul + Add of a [M] constant: one dense layer with that bias.
    save("matmul-add", [n("MatMul", ["x", "W"], ["h"]), n("Add", ["h", "b"], ["y"])], [X2], [io("y", ["N", 3])],
         [init("W", arange([4, 3])), init("b", arange([3], 0.5, 0.25))])
    # The MatMul output is read twice: the Add stays an addConstant.
    save("matmul-add-shared", [n("MatMul", ["x", "W"], ["h"]), n("Add", ["h", "b"], ["a"]), n("Add", ["a", "h"], ["y"])],
         [X2], [io("y", ["N", 3])], [init("W", arange([4, 3])), init("b", arange([3], 0.5, 0.25))])
    # Conv: strides, asymmetric pads, dilations, groups, no bias.
    save("conv-attributes", [n("Conv", ["x", "W"], ["y"], strides=[2, 1], pads=[1, 0, 2, 1], dilations=[2, 1], group=2)],
         [X4], [io("y", ["N", 4, 3, 4])], [init("W", arange([4, 1, 2, 3]))])
    for mode, shape in [("SAME_UPPER", [3, 3]), ("SAME_LOWER", [3, 3]), ("VALID", [2, 2])]:
        save("conv-" + mode.lower().replace("_", "-"), [n("Conv", ["x", "W", "b"], ["y"], strides=[2, 2], auto_pad=mode)],
             [X4], [io("y", ["N", 3] + shape)], [init("W", arange([3, 2, 2, 2])), init("b", arange([3]))])
    # Conv without bias + Add of a [1, C, 1, 1] constant: folded into the bias.
    save("conv-add-bias", [n("Conv", ["x", "W"], ["c"], kernel_shape=[3, 3]), n("Add", ["c", "b"], ["y"])], [X4], [io("y", ["N", 3, 3, 3])],
         [init("W", arange([3, 2, 3, 3])), init("b", arange([1, 3, 1, 1], 1.0, 0.5))])
    # BatchNormalization in inference mode.
    save("batchnorm", [n("BatchNormalization", ["x", "g", "b", "m", "v"], ["y"], epsilon=1e-3)], [X4], [io("y", ["N", 2, 5, 5])],
         [init("g", np.array([1.5, -0.5], np.float32)), init("b", np.array([0.25, 1], np.float32)),
          init("m", np.array([0.1, -2], np.float32)), init("v", np.array([2, 0.3], np.float32))])
    save("batchnorm-training", [n("BatchNormalization", ["x", "g", "b", "m", "v"], ["y"], training_mode=1)], [X4], [io("y", ["N", 2, 5, 5])],
         [init("g", np.ones(2, np.float32)), init("b", np.zeros(2, np.float32)), init("m", np.zeros(2, np.float32)),
          init("v", np.ones(2, np.float32))], check=False)
    # Pools.
    save("averagepool", [n("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                           count_include_pad=1, ceil_mode=1)], [X4], [io("y", ["N", 2, 3, 3])])
    save("averagepool-exclude-pad", [n("AveragePool", ["x"], ["y"], kernel_shape=[2, 2], pads=[1, 1, 0, 0])],
         [X4], [io("y", ["N", 2, 5, 5])])
    save("maxpool", [n("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2], dilations=[2, 2], ceil_mode=1)],
         [X4], [io("y", ["N", 2, 2, 2])], opset=12)
    save("maxpool-overlapping", [n("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1])],
         [X4], [io("y", ["N", 2, 5, 5])])
    save("maxpool-indices", [n("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2])], [X4],
         [io("i", ["N", 2, 4, 4], TensorProto.INT64)], check=False)
    # A dilated window that lies entirely in the padding (taps at -1 and 2 of a 2-wide input).
    save("bad-pool-in-padding", [n("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], dilations=[3, 3], pads=[2, 2, 2, 2])],
         [io("x", ["N", 1, 2, 2])], [io("y", ["N", 1, 3, 3])], check=False)
    # dynamo's AdaptiveAvgPool2d(1): ReduceMean over the spatial axes (as an input, opset 18).
    save("reducemean-spatial", [n("ReduceMean", ["x", "axes"], ["m"], keepdims=1), n("ReduceMean", ["x", "axes"], ["f"], keepdims=0),
                                n("Flatten", ["m"], ["g"]), n("Add", ["g", "f"], ["y"])], [X4], [io("y", ["N", 2])],
         [init("axes", np.array([-1, -2], np.int64))], opset=18)
    save("globalaveragepool", [n("GlobalAveragePool", ["x"], ["g"]), n("Flatten", ["g"], ["y"])], [X4], [io("y", ["N", 2])])
    # Flatten(axis 2), Reshape with 0 and -1, Identity, Dropout, Constant.
    save("flatten", [n("Flatten", ["x"], ["y"], axis=-3)], [X4], [io("y", ["N", 50])])
    save("bad-flatten-axis2", [n("Flatten", ["x"], ["y"], axis=2)], [X4], [io("y", ["N", 25])], check=False)
    save("reshape-copy-infer", [n("Reshape", ["x", "s"], ["y"])], [X4], [io("y", ["N", 2, 25])],
         [init("s", np.array([0, 0, -1], np.int64))])
    save("identity-dropout-constant",
         [n("Identity", ["x"], ["i"]), n("Constant", [], ["r"], value=helper.make_tensor("r", F, [], [0.5])),
          n("Dropout", ["i", "r"], ["d"]), n("Constant", [], ["c"], value_floats=[1.0, 2.0, 3.0, 4.0]),
          n("Add", ["d", "c"], ["y"])], [X2], [io("y", ["N", 4])])
    # Input normalisation inside the model: (x − μ) / σ · 2 per channel.
    save("normalize-input", [n("Sub", ["x", "mu"], ["c"]), n("Div", ["c", "sigma"], ["d"]), n("Mul", ["two", "d"], ["y"])],
         [X4], [io("y", ["N", 2, 5, 5])], [init("mu", np.array([0.5, -1], np.float32).reshape(1, 2, 1, 1)),
                                            init("sigma", np.array([0.5, 0.25], np.float32).reshape(2, 1, 1)), init("two", np.array(2, np.float32))])
    save("bad-scale-inside-channel", [n("Mul", ["x", "s"], ["y"])], [X4], [io("y", ["N", 2, 5, 5])], [init("s", arange([1, 1, 5]))])
    # Activations.
    save("activations",
         [n("Relu", ["x"], ["a"]), n("LeakyRelu", ["a"], ["b"], alpha=0.125), n("PRelu", ["b", "s1"], ["c"]),
          n("Abs", ["c"], ["y"])], [X2], [io("y", ["N", 4])], [init("s1", np.array([0.375], np.float32))])
    save("prelu-equal-channels", [n("PRelu", ["x", "s"], ["y"])], [X4], [io("y", ["N", 2, 5, 5])],
         [init("s", np.full([2, 1, 1], 0.25, np.float32))])
    save("bad-prelu-channels", [n("PRelu", ["x", "s"], ["y"])], [X4], [io("y", ["N", 2, 5, 5])],
         [init("s", np.array([0.25, 0.5], np.float32).reshape(2, 1, 1))])
    save("smooth-activations",
         [n("Sigmoid", ["x"], ["a"]), n("Tanh", ["a"], ["b"]), n("Gelu", ["b"], ["c"]), n("Gelu", ["c"], ["d"], approximate="tanh"),
          n("Sigmoid", ["d"], ["s"]), n("Mul", ["d", "s"], ["y"])], [X2], [io("y", ["N", 4])], opset=20)
    # The erf form of GELU as dynamo writes it: x · (½ · (1 + erf(x / √2))); x / √2 here as x · (1/√2).
    save("gelu-erf-dynamo",
         [n("Mul", ["x", "r"], ["s"]), n("Erf", ["s"], ["e"]), n("Add", ["e", "one"], ["a"]), n("Mul", ["half", "a"], ["h"]),
          n("Mul", ["x", "h"], ["y"])], [X2], [io("y", ["N", 4])],
         [init("r", np.array(0.5 ** 0.5, np.float32)), init("one", np.array(1, np.float32)), init("half", np.array(0.5, np.float32))])
    save("bad-erf-alone", [n("Erf", ["x"], ["y"], name="erf")], [X2], [io("y", ["N", 4])])
    save("softmax-trailing", [n("Gemm", ["x", "W"], ["h"], transB=1), n("LogSoftmax", ["h"], ["y"], axis=1)], [X2],
         [io("y", ["N", 3])], [init("W", arange([3, 4]))])
    save("bad-softmax-inside", [n("Softmax", ["x"], ["s"], axis=1), n("Relu", ["s"], ["y"])], [X2], [io("y", ["N", 4])])
    # The TorchScript shape sub-graph of x.view(x.size(0), -1): Shape, Gather, Unsqueeze, Concat.
    save("shape-subgraph-torchscript",
         [n("Shape", ["x"], ["shape"]), n("Constant", [], ["zero"], value=helper.make_tensor("zero", TensorProto.INT64, [], [0])),
          n("Gather", ["shape", "zero"], ["batch"], axis=0),
          n("Constant", [], ["axes"], value=helper.make_tensor("axes", TensorProto.INT64, [1], [0])),
          n("Unsqueeze", ["batch", "axes"], ["batch1"]),
          n("Constant", [], ["minus"], value=helper.make_tensor("minus", TensorProto.INT64, [1], [-1])),
          n("Concat", ["batch1", "minus"], ["target"], axis=0), n("Reshape", ["x", "target"], ["y"])],
         [X4], [io("y", ["N", 50])])
    # The dynamo form: Shape(start, end), Squeeze, Reshape to [-1], Concat, Cast, Slice.
    save("shape-subgraph-dynamo",
         [n("Shape", ["x"], ["s0"], start=0, end=1), n("Squeeze", ["s0"], ["b0"]),
          n("Reshape", ["b0", "m1"], ["b1"]), n("Shape", ["x"], ["full"]), n("Slice", ["full", "one", "end"], ["chw"]),
          n("Cast", ["chw"], ["chw64"], to=TensorProto.INT64), n("Constant", [], ["fifty"], value_ints=[50]),
          n("Concat", ["b1", "fifty"], ["target"], axis=0), n("Reshape", ["x", "target"], ["y"], allowzero=1)],
         [X4], [io("y", ["N", 50])],
         [init("m1", np.array([-1], np.int64)), init("one", np.array([1], np.int64)), init("end", np.array([2**63 - 1], np.int64))])
    save("bad-dynamic-shape",
         [n("Shape", ["x"], ["shape"]), n("Mul", ["shape", "two"], ["twice"]), n("Reshape", ["x", "twice"], ["y"])],
         [X2], [io("y", ["N", 4])], [init("two", np.array([2, 1], np.int64))])
    # A fixed batch of 1 and a Reshape that names it.
    save("fixed-batch", [n("Reshape", ["x", "s"], ["y"])], [io("x", [1, 2, 5, 5])], [io("y", [1, 50])],
         [init("s", np.array([1, 50], np.int64))])
    # value_info that disagrees with the inferred shape.
    save("bad-value-info", [n("Relu", ["x"], ["r"]), n("Abs", ["r"], ["y"])], [X2], [io("y", ["N", 4])],
         value_info=[io("r", ["N", 5])], check=False)


def dtype_cases():
    X2 = io("x", ["N", 4])
    w = arange([3, 4], 0.375, -1.5)
    for dtype, name in [(np.float32, "f32"), (np.float16, "f16"), (np.float64, "f64")]:
        for raw in (True, False):
            save(f"dtype-{name}-{'raw' if raw else 'typed'}", [n("Gemm", ["x", "W"], ["y"], transB=1)], [X2], [io("y", ["N", 3])],
                 [init("W", w.astype(dtype), raw)])
    # bfloat16: the upper halves of the float32 bit patterns (the values are exact in bfloat16).
    bits = (w.view(np.uint32) >> 16).astype(np.uint16)
    raw = helper.make_tensor("W", TensorProto.BFLOAT16, [3, 4], bits.tobytes(), raw=True)
    save("dtype-bf16-raw", [n("Gemm", ["x", "W"], ["y"], transB=1)], [X2], [io("y", ["N", 3])], [raw])
    typed = TensorProto(name="W", data_type=TensorProto.BFLOAT16, dims=[3, 4], int32_data=bits.astype(np.int32).flatten().tolist())
    save("dtype-bf16-typed", [n("Gemm", ["x", "W"], ["y"], transB=1)], [X2], [io("y", ["N", 3])], [typed])


def hostile_cases():
    X2 = io("x", ["N", 4])
    good = save("mlp-good", [n("Gemm", ["x", "W", "b"], ["h"], transB=1), n("Relu", ["h"], ["r"]),
                             n("Gemm", ["r", "W2", "b2"], ["y"], transB=1)], [X2], [io("y", ["N", 2])],
                [init("W", arange([3, 4])), init("b", arange([3])), init("W2", arange([2, 3])), init("b2", arange([2]))])
    data = open(good, "rb").read()
    with open(os.path.join(HERE, "bad-truncated.onnx"), "wb") as f:
        f.write(data[: len(data) * 2 // 3])
    with open(os.path.join(HERE, "bad-not-protobuf.onnx"), "wb") as f:
        f.write(b"\x93NUMPY this is not a protobuf \xff\xff\xff\xff\xff")
    # Wrong types: an attribute of the wrong type, an initializer of type STRING.
    save("bad-attribute-type", [helper.make_node("LeakyRelu", ["x"], ["y"], name="leaky", alpha=[1, 2])], [X2], [io("y", ["N", 4])], check=False)
    bad_string = helper.make_tensor("W", TensorProto.STRING, [1], [b"abc"])
    save("bad-initializer-type", [n("Gemm", ["x", "W"], ["y"], transB=1)], [X2], [io("y", ["N", 3])], [bad_string], check=False)
    # A cycle.
    save("bad-cycle", [n("Relu", ["x", "b"], ["a"], name="first"), n("Abs", ["a"], ["b"], name="second"), n("Relu", ["b"], ["y"])],
         [X2], [io("y", ["N", 4])], check=False)
    # Huge declared shapes: an initializer with no data for 2^40 elements, an input of 10^10 values.
    huge = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[1 << 20, 1 << 20])
    save("bad-huge-initializer", [n("Gemm", ["x", "W"], ["y"], transB=1)], [X2], [io("y", ["N", 3])], [huge], check=False)
    save("bad-huge-input", [n("Relu", ["x"], ["y"])], [io("x", ["N", 1, 100000, 100000])], [io("y", ["N", 1, 100000, 100000])], check=False)
    short = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[3, 4], float_data=[1.0, 2.0])
    save("bad-short-initializer", [n("Gemm", ["x", "W"], ["y"], transB=1)], [X2], [io("y", ["N", 3])], [short], check=False)
    # A missing initializer, an unsupported operator, external data, two inputs.
    save("bad-missing-initializer", [n("Gemm", ["x", "W", "b"], ["y"], transB=1)], [X2], [io("y", ["N", 3])],
         [init("W", arange([3, 4]))], check=False)
    save("bad-unsupported", [n("Cos", ["x"], ["y"], name="cosine")], [X2], [io("y", ["N", 4])])
    external = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[3, 4], data_location=TensorProto.EXTERNAL)
    external.external_data.add(key="location", value="weights.bin")
    save("bad-external-data", [n("Gemm", ["x", "W"], ["y"], transB=1)], [X2], [io("y", ["N", 3])], [external], check=False)
    # Weights in a file beside the model, as the dynamo exporter writes by default; and a reference
    # past the end of that file.
    for name, cut in [("external-data", 0), ("bad-external-data-short", 8)]:
        graph = helper.make_graph([n("Gemm", ["x", "W"], ["y"], transB=1)], name, [X2], [io("y", ["N", 3])], [init("W", arange([3, 4]))])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        onnx.save_model(model, os.path.join(HERE, name + ".onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=name + ".onnx.data", size_threshold=0)
        if cut:
            data_path = os.path.join(HERE, name + ".onnx.data")
            data = open(data_path, "rb").read()
            open(data_path, "wb").write(data[:-cut])
    save("bad-two-inputs", [n("Add", ["x", "z"], ["y"])], [X2, io("z", ["N", 4])], [io("y", ["N", 4])])
    save("bad-huge-pads", [n("Conv", ["x", "W"], ["y"], pads=[1 << 40, 0, 0, 0])], [io("x", ["N", 1, 3, 3])], [io("y", ["N", 1, 3, 3])],
         [init("W", arange([1, 1, 1, 1]))], check=False)


def torch_cases():
    import torch
    import torch.nn as nn
    from safetensors.torch import save_file

    warnings.filterwarnings("ignore")
    torch.manual_seed(0)

    # The MLP: its ONNX graph must be the chain of its state_dict.
    mlp = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3)).eval()
    save_file({k: v.contiguous() for k, v in mlp.state_dict().items()}, os.path.join(HERE, "torch-mlp.safetensors"))
    x = torch.randn(2, 6)
    torch.onnx.export(mlp, (x,), os.path.join(HERE, "torch-mlp-torchscript.onnx"), dynamo=False, opset_version=13,
                      input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}})
    torch.onnx.export(mlp, (x,), os.path.join(HERE, "torch-mlp-dynamo.onnx"), dynamo=True, opset_version=18, external_data=False,
                      input_names=["x"], output_names=["y"], dynamic_shapes=({0: torch.export.Dim("batch")},))

    # nn.GELU as the TorchScript exporter spells it out (Div, Erf, Add, Mul, Mul).
    gelu = nn.Sequential(nn.Linear(4, 3), nn.GELU(), nn.Linear(3, 2)).eval()
    torch.onnx.export(gelu, (torch.randn(2, 4),), os.path.join(HERE, "torch-gelu-torchscript.onnx"), dynamo=False, opset_version=13,
                      input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}})

    # A CNN with BatchNorm and x.view(x.size(0), -1), exported keeping the state_dict's names, and a
    # checkpoint (another initialisation, trained BN statistics) to load in place of its initializers.
    class CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3, padding=1)
            self.bn = nn.BatchNorm2d(4)
            self.pool = nn.MaxPool2d(2)
            self.fc = nn.Linear(4 * 4 * 4, 3)

        def forward(self, x):
            x = self.pool(torch.relu(self.bn(self.conv(x))))
            return self.fc(x.view(x.size(0), -1))

    cnn = CNN().eval()
    x = torch.randn(2, 1, 8, 8)
    torch.onnx.export(cnn, (x,), os.path.join(HERE, "torch-cnn-torchscript.onnx"), dynamo=False, opset_version=13,
                      input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}}, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.EVAL)
    torch.onnx.export(cnn, (x,), os.path.join(HERE, "torch-cnn-dynamo.onnx"), dynamo=True, opset_version=18, external_data=False,
                      optimize=False, input_names=["x"], output_names=["y"], dynamic_shapes=({0: torch.export.Dim("batch")},))
    torch.manual_seed(1)
    trained = CNN()
    trained.train()
    for _ in range(3):
        trained(torch.randn(8, 1, 8, 8))  # moves the running statistics
    state = {k: v.contiguous() for k, v in trained.state_dict().items()}
    save_file(state, os.path.join(HERE, "torch-cnn-checkpoint.safetensors"))
    save_file({k: v for k, v in state.items() if k != "bn.running_var"}, os.path.join(HERE, "torch-cnn-checkpoint-missing.safetensors"))
    save_file(dict(state, extra=torch.zeros(2)), os.path.join(HERE, "torch-cnn-checkpoint-extra.safetensors"))
    save_file(dict(state, **{"fc.bias": torch.zeros(4)}), os.path.join(HERE, "torch-cnn-checkpoint-shape.safetensors"))


if __name__ == "__main__":
    operator_cases()
    dtype_cases()
    hostile_cases()
    if "--no-torch" not in sys.argv:
        torch_cases()
    print("wrote", len([f for f in os.listdir(HERE) if f.endswith(".onnx")]), "ONNX files to", HERE)

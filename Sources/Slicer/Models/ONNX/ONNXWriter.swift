// GraphModel -> ONNX bytes (float64 initializers, so every parameter is kept exactly): the fuzz
// target's seeds and the reader's round-trip tests.

import Foundation
import SwiftProtobuf

extension ONNXModel {
    /// The model as an ONNX file (opset 17, or 20 when it uses GELU), input [N] + inputShape.
    public static func encode(_ model: GraphModel) throws -> [UInt8] {
        var writer = ONNXWriter()
        return try writer.encode(model)
    }
}

struct ONNXWriter {
    private var graph = Onnx_GraphProto()
    private var opset: Int64 = 17

    mutating func encode(_ model: GraphModel) throws -> [UInt8] {
        graph.name = "tessera"
        graph.input = [valueInfo(model.inputName, [1] + model.inputShape, symbolicBatch: true)]
        var names = [model.inputName]
        for (index, node) in model.nodes.enumerated() {
            let output = "\(node.name)#\(index)"
            names.append(output)
            write(node, inputs: node.inputs.map { names[$0] }, output: output, prefix: "\(index)")
        }
        graph.output = [valueInfo(names[model.outputValue], [1] + model.shape(ofValue: model.outputValue), symbolicBatch: true)]
        var proto = Onnx_ModelProto()
        proto.irVersion = 8
        proto.producerName = "tessera"
        var set = Onnx_OperatorSetIdProto()
        set.domain = ""
        set.version = opset
        proto.opsetImport = [set]
        proto.graph = graph
        return try proto.serializedBytes()
    }

    private func valueInfo(_ name: String, _ shape: [Int], symbolicBatch: Bool) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var tensorShape = Onnx_TensorShapeProto()
        tensorShape.dim = shape.enumerated().map { axis, size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if axis == 0 && symbolicBatch { dimension.dimParam = "N" } else { dimension.dimValue = Int64(size) }
            return dimension
        }
        tensor.shape = tensorShape
        info.type.tensorType = tensor
        return info
    }

    /// Adds a float64 initializer and returns its name.
    private mutating func constant(_ name: String, _ shape: [Int], _ values: [Double]) -> String {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.double.rawValue)
        tensor.doubleData = values
        graph.initializer.append(tensor)
        return name
    }

    private mutating func integers(_ name: String, _ values: [Int]) -> String {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = [Int64(values.count)]
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.int64Data = values.map(Int64.init)
        graph.initializer.append(tensor)
        return name
    }

    private func attribute(_ name: String, int value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name; attribute.type = .int; attribute.i = Int64(value)
        return attribute
    }

    private func attribute(_ name: String, ints values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name; attribute.type = .ints; attribute.ints = values.map(Int64.init)
        return attribute
    }

    private func attribute(_ name: String, float value: Double) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name; attribute.type = .float; attribute.f = Float(value)
        return attribute
    }

    private func attribute(_ name: String, string value: String) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name; attribute.type = .string; attribute.s = Data(value.utf8)
        return attribute
    }

    private mutating func node(_ opType: String, _ name: String, _ inputs: [String], _ output: String, _ attributes: [Onnx_AttributeProto] = []) {
        var node = Onnx_NodeProto()
        node.opType = opType; node.name = name; node.input = inputs; node.output = [output]; node.attribute = attributes
        graph.node.append(node)
    }

    private func poolAttributes(_ pool: Pool2D) -> [Onnx_AttributeProto] {
        [attribute("kernel_shape", ints: [pool.kernelH, pool.kernelW]), attribute("strides", ints: [pool.strideH, pool.strideW]),
         attribute("pads", ints: pool.pads), attribute("dilations", ints: [pool.dilationH, pool.dilationW]),
         attribute("ceil_mode", int: pool.ceilMode ? 1 : 0)]
    }

    private mutating func write(_ graphNode: GraphNode, inputs: [String], output: String, prefix: String) {
        let name = graphNode.name
        switch graphNode.op {
        case .dense(let layer):
            let weight = constant("\(prefix).weight", [layer.outputs, layer.inputs], layer.weights)
            let bias = constant("\(prefix).bias", [layer.outputs], layer.bias)
            node("Gemm", name, inputs + [weight, bias], output, [attribute("transB", int: 1)])
        case .conv(let conv):
            let weight = constant("\(prefix).weight", [conv.outChannels, conv.inChannels / conv.groups, conv.kernelH, conv.kernelW], conv.weights)
            let bias = constant("\(prefix).bias", [conv.outChannels], conv.bias)
            node("Conv", name, inputs + [weight, bias], output,
                 [attribute("strides", ints: [conv.strideH, conv.strideW]), attribute("pads", ints: conv.pads),
                  attribute("dilations", ints: [conv.dilationH, conv.dilationW]), attribute("group", int: conv.groups)])
        case .channelAffine(let scale, let shift):
            // Mean 0, variance 1, epsilon 0: the reader's γ/√(σ²+ε) is then γ exactly.
            let count = scale.count
            let parts = [constant("\(prefix).weight", [count], scale), constant("\(prefix).bias", [count], shift),
                         constant("\(prefix).running_mean", [count], .init(repeating: 0, count: count)),
                         constant("\(prefix).running_var", [count], .init(repeating: 1, count: count))]
            node("BatchNormalization", name, inputs + parts, output, [attribute("epsilon", float: 0)])
        case .addConstant(let values):
            node("Add", name, inputs + [constant("\(prefix).constant", graphNode.shape, values)], output)
        case .averagePool(let pool, let includePad):
            node("AveragePool", name, inputs, output, poolAttributes(pool) + [attribute("count_include_pad", int: includePad ? 1 : 0)])
        case .maxPool(let pool):
            node("MaxPool", name, inputs, output, poolAttributes(pool))
        case .globalAveragePool:
            node("GlobalAveragePool", name, inputs, output)
        case .reshape:
            node("Reshape", name, inputs + [integers("\(prefix).shape", [0] + graphNode.shape)], output)
        case .add:
            node("Add", name, inputs, output)
        case .activation(let activation):
            switch activation {
            case .relu: node("Relu", name, inputs, output)
            case .leakyReLU(let alpha):
                node("PRelu", name, inputs + [constant("\(prefix).slope", [1], [alpha])], output)
            case .abs: node("Abs", name, inputs, output)
            case .sigmoid: node("Sigmoid", name, inputs, output)
            case .tanh: node("Tanh", name, inputs, output)
            case .gelu, .geluTanh:
                opset = 20
                node("Gelu", name, inputs, output, [attribute("approximate", string: activation == .gelu ? "none" : "tanh")])
            case .silu:
                node("Sigmoid", "\(name).sigmoid", inputs, "\(output).sigmoid")
                node("Mul", name, inputs + ["\(output).sigmoid"], output)
            }
        }
    }
}

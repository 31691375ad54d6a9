// Reads an ONNX model (protobuf) into a GraphModel: checks the file, sorts the nodes, runs one
// converter per node, checks the inferred shapes against the file's, and drops what the output
// does not need.

import Foundation
import SwiftProtobuf

/// What the reader learned about a file: the model and the notes `inspect` shows.
struct ONNXReading {
    var model: GraphModel
    var notes: [String]
    /// The batch dimension as the file declares it: a name, a fixed size, or nil when unnamed.
    var batchName: String
}

enum ONNXReader {
    /// Parses the protobuf; any decoding failure is one line.
    static func parse(_ bytes: [UInt8]) throws -> Onnx_ModelProto {
        let model: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            model = try Onnx_ModelProto(serializedBytes: bytes, options: options)
        } catch {
            throw ONNXNodeError(message: "is not a readable ONNX model (protobuf: \(error))")
        }
        guard model.hasGraph else { throw ONNXNodeError(message: "holds no graph (not an ONNX model?)") }
        return model
    }

    /// The initializers by name, decoded (nodes' names unchecked); duplicates are an error.
    static func initializers(_ graph: Onnx_GraphProto, directory: String? = nil) throws -> [(name: String, value: ONNXConstant)] {
        guard graph.sparseInitializer.isEmpty else { throw ONNXNodeError(message: "has sparse initializers, which are not supported") }
        var seen = Set<String>()
        return try graph.initializer.map { tensor in
            guard !tensor.name.isEmpty else { throw ONNXNodeError(message: "has an initializer without a name") }
            guard seen.insert(tensor.name).inserted else { throw ONNXNodeError(message: "initializer '\(tensor.name)' appears twice") }
            return (tensor.name, try ONNXTensorDecoding.decode(tensor, what: "initializer '\(tensor.name)'", directory: directory))
        }
    }

    /// Names that stand for an initializer's tensor: the initializers and the outputs of Identity
    /// nodes that copy one (the TorchScript exporter shares equal initializers that way, e.g. a
    /// fresh BatchNorm's running_var as an Identity of its weight).
    static func initializerAliases(_ graph: Onnx_GraphProto, initializers: Set<String>) -> [String: String] {
        var alias: [String: String] = [:]
        var changed = true
        while changed {
            changed = false
            for node in graph.node where node.opType == "Identity" && node.input.count == 1 && node.output.count == 1 {
                let source = node.input[0], target = node.output[0]
                guard alias[target] == nil, !initializers.contains(target) else { continue }
                if initializers.contains(source) { alias[target] = source; changed = true }
                else if let root = alias[source] { alias[target] = root; changed = true }
            }
        }
        return alias
    }

    /// Reads `model`; `overrides` replace initializers (and Identity aliases of them) by name.
    /// `directory` is where external data files are read from (the model file's directory).
    static func read(_ model: Onnx_ModelProto, overrides: [String: ONNXConstant] = [:], directory: String? = nil) throws -> ONNXReading {
        let graph = model.graph
        for opset in model.opsetImport where opset.domain.isEmpty || opset.domain == "ai.onnx" {
            guard opset.version >= 7 else { throw ONNXNodeError(message: "uses ONNX opset \(opset.version); tessera reads opset 7 and later (13 and later recommended)") }
        }
        var values: [String: ONNXValue] = [:]
        for (name, constant) in try initializers(graph, directory: directory) {
            values[name] = .constant(overrides[name] ?? constant)
        }

        // The one data input: a graph input that is not an initializer.
        let dataInputs = graph.input.filter { values[$0.name] == nil }
        guard dataInputs.count == 1, let input = dataInputs.first else {
            throw ONNXNodeError(message: "has \(dataInputs.count) data inputs (\(dataInputs.map { "'\($0.name)'" }.joined(separator: ", "))); tessera reads models with one")
        }
        let (inputShape, fixedBatch, batchName) = try dataShape(input)

        guard graph.output.count == 1, let output = graph.output.first else {
            throw ONNXNodeError(message: "has \(graph.output.count) outputs; tessera reads models with one")
        }
        var uses: [String: Int] = [output.name: 1]
        for node in graph.node { for name in node.input where !name.isEmpty { uses[name, default: 0] += 1 } }

        var builder = ONNXGraphBuilder(inputName: input.name, inputShape: inputShape, fixedBatch: fixedBatch, uses: uses)
        values[input.name] = .computed(0)
        for index in try topologicalOrder(graph.node, defined: Set(values.keys)) {
            let node = graph.node[index]
            let name = node.name.isEmpty ? (node.output.first ?? "#\(index)") : node.name
            do {
                let outputs = try convert(node, name: name, values: values, builder: &builder)
                for (position, outputName) in node.output.enumerated() where !outputName.isEmpty {
                    if let override = overrides[outputName] {
                        values[outputName] = .constant(override)  // an Identity alias of an initializer
                    } else if position < outputs.count {
                        values[outputName] = outputs[position]
                    } else if uses[outputName, default: 0] > 0 {
                        throw ONNXNodeError(message: "output \(position + 1) '\(outputName)' is read but not supported")
                    }
                }
            } catch let error as ONNXNodeError {
                throw ONNXNodeError(message: "node '\(name)' (\(node.opType)): \(error.message)")
            }
        }

        // The softmax the converter dropped must be the last operation.
        for node in graph.node where node.opType == "Softmax" || node.opType == "LogSoftmax" {
            if let result = node.output.first, result != output.name || uses[result, default: 0] > 1 {
                let name = node.name.isEmpty ? result : node.name
                throw ONNXNodeError(message: "node '\(name)' (\(node.opType)): only a softmax at the output is supported")
            }
        }
        guard case .computed(let outputValue) = values[output.name] else {
            throw ONNXNodeError(message: "output '\(output.name)' is not computed from the input (a constant, or part of a GELU)")
        }
        try ONNXShapeCheck.check(graph, values: values, builder: builder)
        let pruned = ONNXPruning.pruned(builder.nodes, output: outputValue)
        let reading = GraphModel(inputName: input.name, inputShape: inputShape, nodes: pruned.nodes,
                                 outputValue: pruned.output, hasBatchNormScale: builder.hasBatchNormScale)
        return ONNXReading(model: reading, notes: builder.notes, batchName: batchName)
    }

    /// Runs the node's converter on its resolved inputs.
    private static func convert(_ node: Onnx_NodeProto, name: String, values: [String: ONNXValue],
                                builder: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw ONNXNodeError(message: "unsupported operator (domain '\(node.domain)')")
        }
        guard let converter = ONNXConverters.byOpType[node.opType] else { throw ONNXNodeError(message: "unsupported operator") }
        let inputs = node.input.map { $0.isEmpty ? nil : values[$0] }
        let context = ONNXNodeContext(name: name, opType: node.opType, attributes: try ONNXAttributes(node),
                                      inputs: inputs, inputNames: node.input, outputNames: node.output)
        return try converter.convert(context, &builder)
    }

    /// The data input's per-sample shape, fixed batch size (if any) and batch name for messages.
    private static func dataShape(_ input: Onnx_ValueInfoProto) throws -> ([Int], Int?, String) {
        func bad(_ problem: String) -> ONNXNodeError { ONNXNodeError(message: "input '\(input.name)' \(problem)") }
        guard input.type.isTensor else { throw bad("is not a tensor") }
        let tensor = input.type.tensorType
        let type = Onnx_TensorProto.DataType(rawValue: Int(tensor.elemType)) ?? .undefined
        guard [.float, .double, .float16, .bfloat16].contains(type) else { throw bad("has element type \(type.onnxName); expected a float type") }
        guard tensor.hasShape else { throw bad("has no shape; export with a fixed sample shape") }
        let dimensions = tensor.shape.dim
        guard dimensions.count >= 2, dimensions.count <= 5 else {
            throw bad("has rank \(dimensions.count); expected [N, D] or [N, C, H, W]")
        }
        var fixedBatch: Int?
        var batchName = "N"
        switch dimensions[0].value {
        case .dimValue(let size)?:
            guard size >= 1, size <= 1 << 31 else { throw bad("has batch size \(size)") }
            fixedBatch = Int(size); batchName = "\(size)"
        case .dimParam(let name)?: if !name.isEmpty { batchName = name }
        case nil: break
        }
        var shape: [Int] = []
        for (axis, dimension) in dimensions.enumerated().dropFirst() {
            guard case .dimValue(let size)? = dimension.value, size >= 1, size <= Int64(ONNXLimits.maximumElements) else {
                throw bad("dimension \(axis) is not a fixed positive size (a dynamic shape tessera cannot fix)")
            }
            shape.append(Int(size))
        }
        guard let count = elementCount(shape), count <= ONNXLimits.maximumElements else { throw bad("declares more than 2^31 values per sample") }
        return (shape, fixedBatch, batchName)
    }

    /// Node indices in an order where every input is defined before it is read (Kahn's algorithm,
    /// stable: the file's order when it is already sorted, as ONNX requires).
    static func topologicalOrder(_ nodes: [Onnx_NodeProto], defined: Set<String>) throws -> [Int] {
        var producer: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for name in node.output where !name.isEmpty {
                let label = node.name.isEmpty ? name : node.name
                guard !defined.contains(name), producer[name] == nil else {
                    throw ONNXNodeError(message: "node '\(label)' (\(node.opType)): output '\(name)' is defined twice")
                }
                producer[name] = index
            }
        }
        var waiting = [Int](repeating: 0, count: nodes.count)
        var readers: [[Int]] = Array(repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for name in node.input where !name.isEmpty {
                if let source = producer[name] {
                    waiting[index] += 1
                    readers[source].append(index)
                } else if !defined.contains(name) {
                    let label = node.name.isEmpty ? (node.output.first ?? "#\(index)") : node.name
                    throw ONNXNodeError(message: "node '\(label)' (\(node.opType)): input '\(name)' is not defined (no initializer, input or node output has that name)")
                }
            }
        }
        // ONNX requires the file's order to be topological: keep it when it is.
        var definedSoFar = defined
        var sorted = true
        for node in nodes where sorted {
            sorted = node.input.allSatisfy { $0.isEmpty || definedSoFar.contains($0) }
            definedSoFar.formUnion(node.output)
        }
        if sorted { return Array(nodes.indices) }
        var ready = (0..<nodes.count).filter { waiting[$0] == 0 }
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        var cursor = 0
        while cursor < ready.count {
            let index = ready[cursor]
            cursor += 1
            order.append(index)
            for reader in readers[index] {
                waiting[reader] -= 1
                if waiting[reader] == 0 { ready.append(reader) }
            }
        }
        if order.count < nodes.count, let stuck = (0..<nodes.count).first(where: { waiting[$0] > 0 }) {
            let node = nodes[stuck]
            let label = node.name.isEmpty ? (node.output.first ?? "#\(stuck)") : node.name
            throw ONNXNodeError(message: "node '\(label)' (\(node.opType)): the graph has a cycle through this node")
        }
        return order
    }
}

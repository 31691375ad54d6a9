// The inferred shapes against the shapes the file declares (value_info and the graph output).

enum ONNXShapeCheck {
    static func check(_ graph: Onnx_GraphProto, values: [String: ONNXValue], builder: ONNXGraphBuilder) throws {
        var producer: [String: Onnx_NodeProto] = [:]
        for node in graph.node { for name in node.output { producer[name] = node } }
        for info in graph.valueInfo + graph.output where info.type.isTensor && info.type.tensorType.hasShape {
            guard let value = values[info.name] else { continue }
            let declared = info.type.tensorType.shape.dim.map { dimension -> Int? in
                if case .dimValue(let size)? = dimension.value { return Int(size) }
                return nil
            }
            let inferred: [Int?]
            let type = Onnx_TensorProto.DataType(rawValue: Int(info.type.tensorType.elemType)) ?? .undefined
            switch value {
            case .computed(let index):
                inferred = [builder.fixedBatch] + builder.shape(of: index).map { Optional($0) }
                guard type == .undefined || [.float, .double, .float16, .bfloat16].contains(type) else {
                    throw mismatch(info.name, producer, "the file declares element type \(type.onnxName) for a float value")
                }
            case .constant(let constant):
                inferred = constant.shape.map { Optional($0) }
            case .geluPart:
                continue  // an intermediate of GELU: its node is the whole GELU
            }
            let agrees = declared.count == inferred.count && zip(declared, inferred).allSatisfy { pair in
                guard let file = pair.0, let ours = pair.1 else { return true }
                return file == ours
            }
            if !agrees {
                let shown = declared.map { $0.map(String.init) ?? "?" }.joined(separator: ", ")
                let ours = inferred.map { $0.map(String.init) ?? "N" }.joined(separator: ", ")
                throw mismatch(info.name, producer, "inferred shape [\(ours)] for '\(info.name)' but the file declares [\(shown)]")
            }
        }
    }

    private static func mismatch(_ name: String, _ producer: [String: Onnx_NodeProto], _ message: String) -> ONNXNodeError {
        guard let node = producer[name] else { return ONNXNodeError(message: message) }
        return ONNXNodeError(message: "node '\(node.name.isEmpty ? name : node.name)' (\(node.opType)): \(message)")
    }
}

enum ONNXPruning {
    /// The nodes the output depends on, renumbered (order kept).
    static func pruned(_ nodes: [GraphNode], output: Int) -> (nodes: [GraphNode], output: Int) {
        var needed = [Bool](repeating: false, count: nodes.count + 1)
        needed[output] = true
        for value in stride(from: nodes.count, through: 1, by: -1) where needed[value] {
            for input in nodes[value - 1].inputs { needed[input] = true }
        }
        var renumbered = [Int](repeating: 0, count: nodes.count + 1)
        var kept: [GraphNode] = []
        for value in 1...max(1, nodes.count) where value <= nodes.count && needed[value] {
            var node = nodes[value - 1]
            node.inputs = node.inputs.map { renumbered[$0] }
            kept.append(node)
            renumbered[value] = kept.count
        }
        return (kept, renumbered[output])
    }
}

// The MLP as the chain case of a graph model, both ways.

extension GraphModel {
    /// The chain dense, activation, dense, ..., dense of an MLP, with nodes named like an
    /// `nn.Sequential`'s state_dict (Linear layers at even indices, activations between).
    public init(network: Network) {
        var nodes: [GraphNode] = []
        for (position, layer) in network.layers.enumerated() {
            if position > 0 {
                nodes.append(GraphNode(name: "\(2 * position - 1)", opType: network.activation.onnxOpType,
                                       op: .activation(network.activation), inputs: [nodes.count], shape: [layer.inputs]))
            }
            nodes.append(GraphNode(name: "\(2 * position)", opType: "Gemm", op: .dense(layer), inputs: [nodes.count], shape: [layer.outputs]))
        }
        self.init(inputName: "input", inputShape: [network.inputDimension], nodes: nodes, outputValue: nodes.count)
    }

    /// The model as an MLP when it is one: a chain of dense layers with one piecewise-affine
    /// activation (the same everywhere) between consecutive layers and none after the last;
    /// reshapes, identities and constant additions directly after a dense layer (folded into its
    /// bias when the sum is exact) are allowed. Nil otherwise, so the fast MLP engine serves
    /// exactly the models it can.
    public var chainNetwork: Network? {
        var layers: [DenseLayer] = []
        var activation: Activation?
        var pendingActivation = false
        var previous = 0
        for (index, node) in nodes.enumerated() {
            guard node.inputs == [previous] else { return nil }
            previous = index + 1
            switch node.op {
            case .reshape:
                continue
            case .dense(let layer):
                guard layers.isEmpty || pendingActivation else { return nil }
                guard layer.inputs == (layers.last?.outputs ?? inputDimension) else { return nil }
                layers.append(layer)
                pendingActivation = false
            case .activation(let kind):
                guard kind.isPiecewiseAffine, !layers.isEmpty, !pendingActivation, activation == nil || activation == kind else { return nil }
                activation = kind
                pendingActivation = true
            case .addConstant(let constant):
                guard !pendingActivation, var layer = layers.popLast(), constant.count == layer.outputs else { return nil }
                for row in 0..<layer.outputs {
                    let sum = layer.bias[row] + constant[row]
                    // Two-sum error term: zero exactly when the float64 sum is exact.
                    let other = sum - layer.bias[row]
                    guard (layer.bias[row] - (sum - other)) + (constant[row] - other) == 0 else { return nil }
                    layer.bias[row] = sum
                }
                layers.append(layer)
            default:
                return nil
            }
        }
        guard previous == outputValue, !layers.isEmpty, !pendingActivation else { return nil }
        return try? Network(layers: layers, activation: activation ?? .relu)
    }
}

extension Activation {
    /// The ONNX operator that writes this activation.
    var onnxOpType: String {
        switch self {
        case .relu: return "Relu"
        case .leakyReLU: return "LeakyRelu"
        case .abs: return "Abs"
        case .gelu, .geluTanh: return "Gelu"
        case .sigmoid: return "Sigmoid"
        case .tanh: return "Tanh"
        case .silu: return "Silu"
        }
    }
}

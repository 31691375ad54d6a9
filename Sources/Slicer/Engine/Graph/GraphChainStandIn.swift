// Temporary stand-ins until the ONNX branch's `GraphModel(network:)` and `GraphModel.chainNetwork`
// land on main; then these two functions should call (or be replaced by) those.

/// The MLP as a graph: dense, activation, dense, …, dense.
func graphModelOfNetwork(_ network: Network) -> GraphModel {
    var nodes: [GraphNode] = []
    for (index, layer) in network.layers.enumerated() {
        nodes.append(GraphNode(name: "\(2 * index)", opType: "Gemm", op: .dense(layer), inputs: [nodes.count], shape: [layer.outputs]))
        if index < network.layers.count - 1 {
            nodes.append(GraphNode(name: "\(2 * index + 1)", opType: "Relu", op: .activation(network.activation),
                                   inputs: [nodes.count], shape: [layer.outputs]))
        }
    }
    return GraphModel(inputName: "input", inputShape: [network.inputDimension], nodes: nodes, outputValue: nodes.count)
}

/// The graph as an MLP when it is a chain of dense layers with one piecewise-affine activation
/// between consecutive ones (reshapes ignored), else nil.
func graphChainNetwork(_ graph: GraphModel) -> Network? {
    var layers: [DenseLayer] = []
    var activation: Activation? = nil
    var expectingDense = true
    var previous = 0
    for (index, node) in graph.nodes.enumerated() {
        guard node.inputs == [previous] else { return nil }
        previous = index + 1
        switch node.op {
        case .reshape: continue
        case .dense(let layer):
            guard expectingDense else { return nil }
            layers.append(layer); expectingDense = false
        case .activation(let a):
            guard !expectingDense, a.isPiecewiseAffine, activation == nil || activation == a else { return nil }
            activation = a; expectingDense = true
        default: return nil
        }
    }
    guard !expectingDense, graph.outputValue == graph.nodes.count, let first = layers.first,
          first.inputs == graph.inputDimension else { return nil }
    return try? Network(layers: layers, activation: activation ?? .relu)
}

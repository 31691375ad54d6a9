// STOPGAP: delete this file when the ONNX reader's `GraphModel(network:)` is merged into main.

extension GraphModel {
    /// The chain graph of an MLP: dense, activation, dense, ..., dense.
    public init(network: Network) {
        var nodes: [GraphNode] = []
        for (index, layer) in network.layers.enumerated() {
            nodes.append(GraphNode(name: "linear\(index + 1)", opType: "Gemm", op: .dense(layer), inputs: [nodes.count],
                                   shape: [layer.outputs]))
            guard index + 1 < network.layers.count else { break }
            nodes.append(GraphNode(name: "\(network.activation)\(index + 1)", opType: "Relu", op: .activation(network.activation),
                                   inputs: [nodes.count], shape: [layer.outputs]))
        }
        self.init(inputName: "input", inputShape: [network.inputDimension], nodes: nodes, outputValue: nodes.count)
    }
}

import Models

/// Builds graph models node by node, computing each node's shape (for seeded test families and
/// workloads). Every method returns the value index of the node it adds.
struct GraphBuilder {
    var graph: GraphModel

    init(inputShape: [Int]) {
        graph = GraphModel(inputName: "input", inputShape: inputShape, nodes: [], outputValue: 0)
    }

    func shape(_ v: Int) -> [Int] { graph.shape(ofValue: v) }

    @discardableResult
    mutating func add(_ op: GraphOp, _ opType: String, inputs: [Int], shape: [Int]) -> Int {
        graph.nodes.append(GraphNode(name: "\(opType.lowercased())\(graph.nodes.count)", opType: opType, op: op, inputs: inputs, shape: shape))
        graph.outputValue = graph.nodes.count
        return graph.nodes.count
    }

    mutating func conv(_ v: Int, _ conv: Conv2D) -> Int {
        let s = shape(v)
        let oh = (s[1] + conv.pads[0] + conv.pads[2] - (conv.kernelH - 1) * conv.dilationH - 1) / conv.strideH + 1
        let ow = (s[2] + conv.pads[1] + conv.pads[3] - (conv.kernelW - 1) * conv.dilationW - 1) / conv.strideW + 1
        return add(.conv(conv), "Conv", inputs: [v], shape: [conv.outChannels, oh, ow])
    }

    @discardableResult
    mutating func activation(_ v: Int, _ activation: Activation) -> Int {
        add(.activation(activation), activation == .abs ? "Abs" : "Relu", inputs: [v], shape: shape(v))
    }

    mutating func batchNorm(_ v: Int, scale: [Double], shift: [Double]) -> Int {
        graph.hasBatchNormScale = true
        return add(.channelAffine(scale: scale, shift: shift), "BatchNormalization", inputs: [v], shape: shape(v))
    }

    mutating func averagePool(_ v: Int, kernel: Int, stride: Int, pad: Int, countIncludePad: Bool) -> Int {
        let s = shape(v)
        let oh = (s[1] + 2 * pad - kernel) / stride + 1, ow = (s[2] + 2 * pad - kernel) / stride + 1
        let pool = Pool2D(kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride, pads: [pad, pad, pad, pad])
        return add(.averagePool(pool, countIncludePad: countIncludePad), "AveragePool", inputs: [v], shape: [s[0], oh, ow])
    }

    mutating func globalAveragePool(_ v: Int) -> Int {
        add(.globalAveragePool, "GlobalAveragePool", inputs: [v], shape: [shape(v)[0], 1, 1])
    }

    mutating func flatten(_ v: Int) -> Int { add(.reshape, "Flatten", inputs: [v], shape: [shape(v).reduce(1, *)]) }

    @discardableResult
    mutating func dense(_ v: Int, _ layer: DenseLayer) -> Int { add(.dense(layer), "Gemm", inputs: [v], shape: [layer.outputs]) }

    mutating func sum(_ a: Int, _ b: Int) -> Int { add(.add, "Add", inputs: [a, b], shape: shape(a)) }

    mutating func addConstant(_ v: Int, _ constant: [Double]) -> Int { add(.addConstant(constant), "Add", inputs: [v], shape: shape(v)) }
}

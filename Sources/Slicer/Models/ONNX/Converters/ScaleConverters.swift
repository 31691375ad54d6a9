// Mul, Div and Sub of the data by constants (input normalisation inside a model, (x − μ)/σ):
// a per-channel affine map, or a constant added.

/// The data scaled by a constant that is one value, or one value per channel (shape[0] of a sample).
enum ChannelScale {
    /// The per-channel factors of `constant` against a per-sample `shape`, or nil when the constant
    /// varies inside a channel.
    static func factors(_ constant: ONNXConstant, shape: [Int], _ node: ONNXNodeContext) throws -> [Double] {
        guard case .floats(let cShape, let values) = constant else { throw node.fail("multiplies the network's data by integers") }
        guard let channels = shape.first, let full = Broadcast.toPerSample(values, shape: cShape, target: shape) else {
            throw node.fail("constant of shape \(cShape) does not broadcast to [N] + \(shape) without changing it")
        }
        let perChannel = full.count / channels
        var factors: [Double] = []
        for channel in 0..<channels {
            let block = full[(channel * perChannel)..<((channel + 1) * perChannel)]
            guard let first = block.first, block.allSatisfy({ $0 == first }) else {
                throw node.fail("constant of shape \(cShape) varies inside a channel; only one factor per channel is supported")
            }
            factors.append(first)
        }
        return factors
    }

    /// A `.channelAffine` node y = factor·x.
    static func append(_ factors: [Double], to x: Int, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        guard factors.allSatisfy(\.isFinite) else { throw node.fail("scales by a non-finite factor") }
        return try graph.append(node, .channelAffine(scale: factors, shift: [Double](repeating: 0, count: factors.count)),
                                inputs: [x], shape: graph.shape(of: x))
    }
}

/// Mul(x, c) or Mul(c, x) with a per-channel or single constant.
enum ScaledData {
    static func multiplied(_ x: Int, by constant: ONNXConstant, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try ChannelScale.append(try ChannelScale.factors(constant, shape: graph.shape(of: x), node), to: x, node, &graph)
    }

    /// Div(x, c): the reciprocal factors, rounded to float64 unless c is a power of two (noted).
    static func divided(_ x: Int, by constant: ONNXConstant, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        let divisors = try ChannelScale.factors(constant, shape: graph.shape(of: x), node)
        guard divisors.allSatisfy({ $0 != 0 && $0.isFinite }) else { throw node.fail("divides by zero or a non-finite constant") }
        if divisors.contains(where: { $0.significand != 1 }) {
            graph.note("Div by a constant that is not a power of two: reciprocal rounded to float64 (node '\(node.name)')")
        }
        return try ChannelScale.append(divisors.map { 1 / $0 }, to: x, node, &graph)
    }

    /// Sub(x, c) = x + (−c), exact.
    static func subtracted(_ constant: ONNXConstant, from x: Int, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        guard case .floats(let shape, let values) = constant else { throw node.fail("subtracts integers from the network's data") }
        return try AddConverter.addConstant(.floats(shape: shape, values: values.map { -$0 }), to: x, node, &graph)
    }
}

// Elementwise activations: Relu, LeakyRelu, PRelu, Abs (piecewise affine); Sigmoid, Tanh, Gelu and
// x·sigmoid(x) (smooth, for the LC estimator only).

/// An elementwise activation node on the node's first input.
private func activationNode(_ activation: Activation, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
    let x = try node.computed(0)
    return [try graph.append(node, .activation(activation), inputs: [x], shape: graph.shape(of: x))]
}

struct ReluConverter: ONNXOperatorConverter {
    static let opTypes = ["Relu"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        return try activationNode(.relu, node, &graph)
    }
}

struct LeakyReluConverter: ONNXOperatorConverter {
    static let opTypes = ["LeakyRelu"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["alpha"])
        return try activationNode(.leakyReLU(alpha: try node.attributes.float("alpha", default: 0.01)), node, &graph)
    }
}

/// PRelu with a constant slope: one value, or one per channel that are all equal.
struct PReluConverter: ONNXOperatorConverter {
    static let opTypes = ["PRelu"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        let (_, slopes) = try node.floats(1)
        guard let slope = slopes.first, slope.isFinite else { throw node.fail("slope is empty or not finite") }
        guard slopes.allSatisfy({ $0 == slope }) else {
            throw node.fail("has \(slopes.count) different slopes; only a PReLU with one slope (num_parameters=1, or all equal) is supported")
        }
        return try activationNode(.leakyReLU(alpha: slope), node, &graph)
    }
}

struct AbsConverter: ONNXOperatorConverter {
    static let opTypes = ["Abs"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        return try activationNode(.abs, node, &graph)
    }
}

struct SigmoidConverter: ONNXOperatorConverter {
    static let opTypes = ["Sigmoid"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        return try activationNode(.sigmoid, node, &graph)
    }
}

struct TanhConverter: ONNXOperatorConverter {
    static let opTypes = ["Tanh"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        return try activationNode(.tanh, node, &graph)
    }
}

/// Gelu (opset 20): the erf form, or the tanh approximation.
struct GeluConverter: ONNXOperatorConverter {
    static let opTypes = ["Gelu"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["approximate"])
        switch try node.attributes.string("approximate", default: "none") {
        case "none": return try activationNode(.gelu, node, &graph)
        case "tanh": return try activationNode(.geluTanh, node, &graph)
        case let other: throw node.fail("approximate '\(other)' is not none or tanh")
        }
    }
}

/// Mul: x·sigmoid(x) (SiLU, as exporters write it) or a product of constants.
struct MulConverter: ONNXOperatorConverter {
    static let opTypes = ["Mul"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        switch (try node.input(0), try node.input(1)) {
        case (.computed(let a), .computed(let b)):
            for (x, gate) in [(a, b), (b, a)] where gate > 0 {
                if graph.nodes[gate - 1].op == .activation(.sigmoid) && graph.nodes[gate - 1].inputs == [x] {
                    return [try graph.append(node, .activation(.silu), inputs: [x], shape: graph.shape(of: x))]
                }
            }
            throw node.fail("multiplies two computed values; only x·sigmoid(x) (SiLU) is supported")
        case (.constant(let a), .constant(let b)):
            return [.constant(try ConstantArithmetic.elementwise(a, b, node, float: *, integer: { $0.multipliedReportingOverflow(by: $1) }))]
        default:
            throw node.fail("scales the network's data by a constant, which is not supported")
        }
    }
}

/// A trailing Softmax or LogSoftmax over the class axis: dropped (it does not change the argmax).
/// The reader checks afterwards that nothing but the graph output reads it.
struct SoftmaxConverter: ONNXOperatorConverter {
    static let opTypes = ["Softmax", "LogSoftmax"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["axis"])
        let x = try node.computed(0)
        let rank = graph.shape(of: x).count + 1
        let axis = try node.attributes.int("axis", default: -1, in: -rank...(rank - 1))
        guard (axis + rank) % rank == rank - 1, rank == 2 else {
            throw node.fail("axis \(axis) of a rank-\(rank) value; only a softmax over the classes of [N, K] is supported")
        }
        graph.note("\(node.opType) at the output dropped: the logits are its input")
        return [.computed(x)]
    }
}

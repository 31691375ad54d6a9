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

/// Mul: x·sigmoid(x) (SiLU, as exporters write it), the data times a per-channel constant, or a
/// product of constants.
struct MulConverter: ONNXOperatorConverter {
    static let opTypes = ["Mul"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        if let result = try GELUPattern.multiplied(node, &graph) { return [result] }
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
        case (.computed(let x), .constant(let c)), (.constant(let c), .computed(let x)):
            return [try ScaledData.multiplied(x, by: c, node, &graph)]
        case (.geluPart, _), (_, .geluPart):
            throw node.fail(ONNXNodeContext.partialGELU)
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

/// Erf: only inside the erf form of GELU.
struct ErfConverter: ONNXOperatorConverter {
    static let opTypes = ["Erf"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        guard case .geluPart(let part) = try node.input(0), part.stage == .scaled else {
            throw node.fail("erf is supported only inside GELU, x·½·(1 + erf(x/√2))")
        }
        return [.geluPart(GELUPart(stage: .erf, x: part.x))]
    }
}

/// The erf form of GELU as the exporters spell it out: TorchScript Mul(Mul(x, 1 + erf(x/√2)), ½),
/// dynamo Mul(x, Mul(½, 1 + erf(x/√2))); x/√2 as Div by √2 or Mul by 1/√2 (compared in float32,
/// the precision the exporters store them in).
enum GELUPattern {
    static func isRootTwo(_ value: Double?) -> Bool { value.map { Float($0) == Float(2.0.squareRoot()) } ?? false }
    static func isInverseRootTwo(_ value: Double?) -> Bool { value.map { Float($0) == Float(0.5.squareRoot()) } ?? false }

    /// x/√2 from Div.
    static func divided(_ node: ONNXNodeContext) -> GELUPart? {
        guard node.inputs.count == 2, case .computed(let x)? = node.inputs[0], isRootTwo(node.scalar(1)) else { return nil }
        return GELUPart(stage: .scaled, x: x)
    }

    /// 1 + erf(x/√2) from Add.
    static func added(_ node: ONNXNodeContext) -> GELUPart? {
        guard node.inputs.count == 2 else { return nil }
        for (part, other) in [(0, 1), (1, 0)] {
            if case .geluPart(let gelu)? = node.inputs[part], gelu.stage == .erf, node.scalar(other) == 1 {
                return GELUPart(stage: .onePlusErf, x: gelu.x)
            }
        }
        return nil
    }

    /// The Mul steps: x/√2, x·(…), ½·(…), and the final product, which becomes one GELU node.
    static func multiplied(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> ONNXValue? {
        guard node.inputs.count == 2 else { return nil }
        for (first, second) in [(0, 1), (1, 0)] {
            let scalar = node.scalar(second)
            switch node.inputs[first] {
            case .computed(let x)? where isInverseRootTwo(scalar):
                return .geluPart(GELUPart(stage: .scaled, x: x))
            case .geluPart(let part)? where part.stage == .onePlusErf:
                if scalar == 0.5 { return .geluPart(GELUPart(stage: .timesHalf, x: part.x)) }
                if case .computed(let x)? = node.inputs[second], x == part.x { return .geluPart(GELUPart(stage: .timesX, x: x)) }
            case .geluPart(let part)? where part.stage == .timesX && scalar == 0.5:
                return try gelu(part.x, node, &graph)
            case .geluPart(let part)? where part.stage == .timesHalf:
                if case .computed(let x)? = node.inputs[second], x == part.x { return try gelu(x, node, &graph) }
            default:
                continue
            }
        }
        return nil
    }

    private static func gelu(_ x: Int, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try graph.append(node, .activation(.gelu), inputs: [x], shape: graph.shape(of: x), opType: "Gelu")
    }
}

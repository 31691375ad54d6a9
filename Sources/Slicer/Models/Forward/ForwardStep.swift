/// One node of a graph model prepared for the forward pass: its parameters checked against the shapes
/// it reads and writes, its parameters rounded to the pass's scalar, and what its kernel needs
/// precomputed (window geometry, pooling divisors).
package enum ForwardStep<T: ForwardScalar>: Sendable {
    case dense(ForwardDense<T>)
    case conv(ForwardConv<T>)
    case channelAffine(scale: [T], shift: [T], plane: Int)
    case addConstant([T])
    case averagePool(ForwardAveragePool<T>)
    case globalAveragePool(channels: Int, plane: Int)
    case maxPool(ForwardMaxPool)
    case reshape
    case add
    case activation(Activation)

    /// Scalars of per-worker scratch space the step needs (a convolution's column matrix or padded input).
    var scratchSize: Int {
        if case .conv(let conv) = self { return conv.scratchSize }
        return 0
    }

    /// True for steps that can apply a ReLU to their input as they read it (Winograd convolutions).
    var rectifiesOnRead: Bool {
        if case .conv(let conv) = self { return conv.winograd != nil }
        return false
    }

    /// True for the elementwise steps whose output may overwrite their (first) input.
    var isElementwise: Bool {
        switch self {
        case .channelAffine, .addConstant, .add, .activation: return true
        default: return false
        }
    }

    /// True for operations that are affine in their inputs (everything but activations and max-pooling).
    package var isAffine: Bool {
        switch self {
        case .activation, .maxPool: return false
        default: return true
        }
    }

    /// The step with every constant term removed (biases, shifts, added constants): the linear part of
    /// an affine step, which maps a direction v to the change it causes. Other steps are unchanged.
    var linearPart: ForwardStep {
        switch self {
        case .dense(var layer):
            layer.bias = [T](repeating: 0, count: layer.outputs)
            return .dense(layer)
        case .conv(let step):
            var conv = step.conv
            conv.bias = [Double](repeating: 0, count: conv.outChannels)
            return .conv(ForwardConv(conv, window: step.window))
        case .channelAffine(let scale, _, let plane):
            return .channelAffine(scale: scale, shift: [T](repeating: 0, count: scale.count), plane: plane)
        case .addConstant(let constant):
            return .addConstant([T](repeating: 0, count: constant.count))
        default:
            return self
        }
    }

    /// Checks node `index` of `model` and prepares its step; a malformed node is one error naming it.
    init(node index: Int, of model: GraphModel) throws {
        let node = model.nodes[index]
        func bad(_ problem: String) -> TesseraError {
            .badInput("node \(index + 1) '\(node.name)' (\(node.opType)): \(problem)")
        }
        let arity: Int
        if case .add = node.op { arity = 2 } else { arity = 1 }
        guard node.inputs.count == arity else { throw bad("expected \(arity) input(s), got \(node.inputs.count)") }
        guard node.inputs.allSatisfy({ $0 >= 0 && $0 <= index }) else {
            throw bad("reads a value that is not computed before it (inputs \(node.inputs))")
        }
        guard !node.shape.isEmpty, node.shape.allSatisfy({ $0 > 0 }) else { throw bad("bad output shape \(node.shape)") }
        let inShape = model.shape(ofValue: node.inputs[0])
        let inSize = inShape.reduce(1, *), outSize = node.shape.reduce(1, *)
        func finite(_ values: [Double], _ what: String) throws {
            guard values.allSatisfy(\.isFinite) else { throw bad("\(what) holds a NaN or infinite value") }
            guard values.allSatisfy({ T($0).isFinite }) else {
                throw bad("\(what) holds a value beyond the \(T.precision.rawValue) range (use --precision float64)")
            }
        }
        func image(_ shape: [Int]) throws -> (c: Int, h: Int, w: Int) {
            guard shape.count == 3 else { throw bad("expected a [C, H, W] input, got \(shape)") }
            return (shape[0], shape[1], shape[2])
        }
        switch node.op {
        case .dense(let layer):
            guard layer.inputs == inSize, layer.outputs == outSize,
                  layer.weights.count == layer.inputs * layer.outputs, layer.bias.count == layer.outputs else {
                throw bad("a \(layer.outputs)×\(layer.inputs) layer between sizes \(inSize) and \(outSize)")
            }
            try finite(layer.weights, "the weight"); try finite(layer.bias, "the bias")
            self = .dense(ForwardDense(layer))
        case .conv(let conv):
            let (c, h, w) = try image(inShape)
            guard conv.groups > 0, conv.inChannels == c, conv.inChannels % conv.groups == 0, conv.outChannels % conv.groups == 0,
                  conv.weights.count == conv.outChannels * (conv.inChannels / conv.groups) * conv.kernelH * conv.kernelW,
                  conv.bias.count == conv.outChannels else {
                throw bad("weights, bias or groups do not fit \(conv.inChannels) → \(conv.outChannels) channels on input \(inShape)")
            }
            guard let window = WindowGeometry(inH: h, inW: w, kernelH: conv.kernelH, kernelW: conv.kernelW,
                                              strideH: conv.strideH, strideW: conv.strideW, pads: conv.pads,
                                              dilationH: conv.dilationH, dilationW: conv.dilationW) else {
                throw bad("kernel, strides, pads or dilations do not fit input \(inShape)")
            }
            guard node.shape == [conv.outChannels, window.outH, window.outW] else {
                throw bad("output shape \(node.shape), expected \([conv.outChannels, window.outH, window.outW])")
            }
            try finite(conv.weights, "the weight"); try finite(conv.bias, "the bias")
            self = .conv(ForwardConv(conv, window: window))
        case .channelAffine(let scale, let shift):
            guard node.shape == inShape, scale.count == inShape[0], shift.count == inShape[0] else {
                throw bad("\(scale.count) scales and \(shift.count) shifts for input \(inShape) and output \(node.shape)")
            }
            try finite(scale, "the scale"); try finite(shift, "the shift")
            self = .channelAffine(scale: scale.map(T.init), shift: shift.map(T.init), plane: inSize / inShape[0])
        case .addConstant(let constant):
            guard constant.count == inSize, outSize == inSize else { throw bad("a constant of \(constant.count) values for size \(inSize)") }
            try finite(constant, "the constant")
            self = .addConstant(constant.map(T.init))
        case .averagePool(let pool, let countIncludePad):
            let (window, c) = try ForwardStep.poolWindow(pool, inShape, node.shape, bad)
            self = .averagePool(ForwardAveragePool(window: window, channels: c, countIncludePad: countIncludePad))
        case .maxPool(let pool):
            let (window, c) = try ForwardStep.poolWindow(pool, inShape, node.shape, bad)
            self = .maxPool(ForwardMaxPool(window: window, channels: c))
        case .globalAveragePool:
            let (c, h, w) = try image(inShape)
            guard outSize == c else { throw bad("output shape \(node.shape) for \(c) channels") }
            self = .globalAveragePool(channels: c, plane: h * w)
        case .reshape:
            guard outSize == inSize else { throw bad("reshapes \(inSize) values into \(node.shape)") }
            self = .reshape
        case .add:
            let other = model.shape(ofValue: node.inputs[1]).reduce(1, *)
            guard inSize == outSize, other == outSize else { throw bad("adds sizes \(inSize) and \(other) into \(outSize)") }
            self = .add
        case .activation(let activation):
            guard inSize == outSize else { throw bad("maps \(inSize) values to \(outSize)") }
            if case .leakyReLU(let alpha) = activation, !alpha.isFinite { throw bad("the slope is not finite") }
            self = .activation(activation)
        }
    }

    /// The window of a pooling node on a [C, H, W] input, checked against the node's output shape and
    /// such that every window holds at least one input position.
    package static func poolWindow(_ pool: Pool2D, _ inShape: [Int], _ outShape: [Int],
                           _ bad: (String) -> TesseraError) throws -> (WindowGeometry, Int) {
        guard inShape.count == 3 else { throw bad("expected a [C, H, W] input, got \(inShape)") }
        guard let window = WindowGeometry(inH: inShape[1], inW: inShape[2], kernelH: pool.kernelH, kernelW: pool.kernelW,
                                          strideH: pool.strideH, strideW: pool.strideW, pads: pool.pads,
                                          dilationH: pool.dilationH, dilationW: pool.dilationW, ceilMode: pool.ceilMode) else {
            throw bad("kernel, strides, pads or dilations do not fit input \(inShape)")
        }
        guard outShape == [inShape[0], window.outH, window.outW] else {
            throw bad("output shape \(outShape), expected \([inShape[0], window.outH, window.outW])")
        }
        for oh in 0..<window.outH {
            for ow in 0..<window.outW where window.windowCounts(oh, ow).inside == 0 {
                throw bad("window (\(oh), \(ow)) lies entirely in the padding")
            }
        }
        return (window, inShape[0])
    }
}

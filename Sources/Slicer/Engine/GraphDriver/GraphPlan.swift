import Models

/// A graph model checked and compiled for the engine: each node's operation unit, the activation
/// nodes that split faces (the "layers" of the slice, in topological order), and when each value is
/// last read (so a face keeps only the values still needed).
struct GraphPlan: Sendable {
    enum Step: Sendable {
        case affine(any AffineOperation)
        case piecewise(ActivationOperation)
        /// A level like `piecewise`, whose pattern bits are each window's winner.
        case maxPool(MaxPoolOperation)
    }

    let graph: GraphModel
    /// One per node.
    let steps: [Step]
    /// Node indices of the activation nodes, in order.
    let activationNodes: [Int]
    /// Offset of each activation node's units in the concatenated pattern.
    let patternOffsets: [Int]
    let patternBits: Int
    /// lastUse[v]: the last node index reading value v (`nodes.count` for the output value; −1 if unread).
    let lastUse: [Int]
    /// Units of each value.
    let valueCounts: [Int]

    init(_ graph: GraphModel) throws {
        self.graph = graph
        let nodes = graph.nodes
        guard !graph.inputShape.isEmpty, graph.inputShape.allSatisfy({ $0 > 0 }) else {
            throw TesseraError.badInput("the graph's input shape \(graph.inputShape) is not a positive shape")
        }
        guard graph.outputValue >= 0, graph.outputValue <= nodes.count else {
            throw TesseraError.badInput("the graph's output value \(graph.outputValue) does not exist")
        }
        var counts = [graph.inputDimension]
        var steps: [Step] = []
        var activations: [Int] = [], offsets: [Int] = []
        var bits = 0
        var lastUse = [Int](repeating: -1, count: nodes.count + 1)
        for (index, node) in nodes.enumerated() {
            for v in node.inputs {
                guard v >= 0, v <= index else {
                    throw TesseraError.badInput("node '\(node.name)' reads value \(v), which is not computed before it")
                }
                lastUse[v] = index
            }
            let inputShapes = node.inputs.map { graph.shape(ofValue: $0) }
            let step = try GraphPlan.step(for: node, inputShapes: inputShapes)
            let count = node.shape.reduce(1, *)
            switch step {
            case .affine(let operation):
                guard operation.outputCount == count else {
                    throw TesseraError.badInput("node '\(node.name)' (\(node.opType)) produces \(operation.outputCount) values but its shape \(node.shape) holds \(count)")
                }
            case .piecewise(let operation):
                guard operation.count == count else {
                    throw TesseraError.badInput("node '\(node.name)' (\(node.opType)) changes the number of values")
                }
                activations.append(index)
                offsets.append(bits)
                bits += count
            case .maxPool(let operation):
                guard operation.windows == count else {
                    throw TesseraError.badInput("node '\(node.name)' (\(node.opType)) produces \(operation.windows) windows but its shape \(node.shape) holds \(count)")
                }
                activations.append(index)
                offsets.append(bits)
                bits += operation.patternBits
            }
            steps.append(step)
            counts.append(count)
        }
        lastUse[graph.outputValue] = nodes.count
        self.steps = steps
        activationNodes = activations
        patternOffsets = offsets
        patternBits = bits
        self.lastUse = lastUse
        valueCounts = counts
    }

    var levels: Int { activationNodes.count }

    /// Pattern bits of level m: one per unit of an activation, one per (window, kernel position) of a max pool.
    func levelBits(_ m: Int) -> Int { (m + 1 < levels ? patternOffsets[m + 1] : patternBits) - patternOffsets[m] }

    /// Level m's max pool, or nil for an activation level.
    func maxPool(level m: Int) -> MaxPoolOperation? {
        if case .maxPool(let operation) = steps[activationNodes[m]] { return operation }
        return nil
    }

    /// The registry: the operation unit of each node kind, with its shapes checked.
    static func step(for node: GraphNode, inputShapes: [[Int]]) throws -> Step {
        func fail(_ why: String) -> TesseraError { TesseraError.badInput("node '\(node.name)' (\(node.opType)): \(why)") }
        func finite(_ values: [Double]) throws {
            if values.contains(where: { !$0.isFinite }) { throw fail("a NaN or infinite parameter") }
        }
        let expectedInputs: Int
        if case .add = node.op { expectedInputs = 2 } else { expectedInputs = 1 }
        guard inputShapes.count == expectedInputs else { throw fail("expected \(expectedInputs) input(s), got \(inputShapes.count)") }
        let input = inputShapes[0]
        let inputCount = input.reduce(1, *)
        func imageShape() throws -> (c: Int, h: Int, w: Int) {
            guard input.count == 3 else { throw fail("expected a [C, H, W] input, got \(input)") }
            return (input[0], input[1], input[2])
        }
        switch node.op {
        case .dense(let layer):
            try finite(layer.weights); try finite(layer.bias)
            guard layer.inputs == inputCount, layer.weights.count == layer.inputs * layer.outputs, layer.bias.count == layer.outputs else {
                throw fail("a dense layer of \(layer.inputs) inputs on \(inputCount) values")
            }
            return .affine(DenseOperation(layer: layer))
        case .conv(let conv):
            try finite(conv.weights); try finite(conv.bias)
            let (c, h, w) = try imageShape()
            let groupsOK = conv.groups > 0 && conv.inChannels % conv.groups == 0 && conv.outChannels % conv.groups == 0
            guard c == conv.inChannels, groupsOK, conv.pads.count == 4, conv.pads.allSatisfy({ $0 >= 0 }),
                  conv.kernelH > 0, conv.kernelW > 0, conv.strideH > 0, conv.strideW > 0, conv.dilationH > 0, conv.dilationW > 0,
                  conv.weights.count == conv.outChannels * (conv.inChannels / conv.groups) * conv.kernelH * conv.kernelW,
                  conv.bias.count == conv.outChannels else {
                throw fail("inconsistent convolution parameters for input \(input)")
            }
            let oh = (h + conv.pads[0] + conv.pads[2] - (conv.kernelH - 1) * conv.dilationH - 1) / conv.strideH + 1
            let ow = (w + conv.pads[1] + conv.pads[3] - (conv.kernelW - 1) * conv.dilationW - 1) / conv.strideW + 1
            guard oh > 0, ow > 0 else { throw fail("the kernel does not fit the padded \(h)×\(w) input") }
            guard node.shape == [conv.outChannels, oh, ow] else {
                throw fail("output shape \(node.shape) is not the convolution's [\(conv.outChannels), \(oh), \(ow)]")
            }
            return .affine(ConvOperation(conv: conv, inputHeight: h, inputWidth: w, outputHeight: oh, outputWidth: ow))
        case .channelAffine(let scale, let shift):
            try finite(scale); try finite(shift)
            guard !input.isEmpty, input[0] == scale.count, shift.count == scale.count, scale.count > 0 else {
                throw fail("\(scale.count) channels on input \(input)")
            }
            return .affine(ChannelAffineOperation(scale: scale, shift: shift, unitsPerChannel: inputCount / scale.count))
        case .addConstant(let constant):
            try finite(constant)
            guard constant.count == inputCount else { throw fail("a constant of \(constant.count) values on \(inputCount)") }
            return .affine(AddConstantOperation(constant: constant))
        case .averagePool(let pool, let countIncludePad):
            let (c, h, w) = try imageShape()
            guard pool.dilationH == 1, pool.dilationW == 1 else { throw fail("dilated average pooling is not supported") }
            guard pool.kernelH > 0, pool.kernelW > 0, pool.strideH > 0, pool.strideW > 0, pool.pads.count == 4,
                  pool.pads.allSatisfy({ $0 >= 0 }) else { throw fail("inconsistent pooling parameters") }
            func size(_ n: Int, _ low: Int, _ high: Int, _ k: Int, _ s: Int) -> Int {
                let span = n + low + high - k
                var out = (pool.ceilMode ? (span + s - 1) / s : span / s) + 1
                // PyTorch: the last window must start inside the input or its left padding.
                if pool.ceilMode, (out - 1) * s >= n + low { out -= 1 }
                return out
            }
            let oh = size(h, pool.pads[0], pool.pads[2], pool.kernelH, pool.strideH)
            let ow = size(w, pool.pads[1], pool.pads[3], pool.kernelW, pool.strideW)
            guard oh > 0, ow > 0 else { throw fail("the window does not fit the padded \(h)×\(w) input") }
            guard node.shape == [c, oh, ow] else {
                throw fail("output shape \(node.shape) is not the pool's [\(c), \(oh), \(ow)]")
            }
            return .affine(AveragePoolOperation(pool: pool, countIncludePad: countIncludePad, channels: c, inputHeight: h,
                                                inputWidth: w, outputHeight: oh, outputWidth: ow))
        case .globalAveragePool:
            guard input.count >= 2, input[0] > 0 else { throw fail("expected a [C, H, W] input, got \(input)") }
            return .affine(GlobalAveragePoolOperation(channels: input[0], unitsPerChannel: inputCount / input[0]))
        case .maxPool(let pool):
            let (window, c) = try ForwardStep<Double>.poolWindow(pool, input, node.shape, { fail($0) })
            guard window.kernelH * window.kernelW < 1 << 15 else { throw fail("a window of more than 32767 positions") }
            return .maxPool(MaxPoolOperation(geometry: window, channels: c))
        case .reshape:
            return .affine(ReshapeOperation(outputCount: inputCount))
        case .add:
            guard inputShapes[1].reduce(1, *) == inputCount else {
                throw fail("adds values of shapes \(input) and \(inputShapes[1])")
            }
            return .affine(ResidualAddOperation(outputCount: inputCount))
        case .activation(let activation):
            guard activation.isPiecewiseAffine else {
                throw fail("activation \(activation) is not piecewise affine: the exact engine cannot slice it")
            }
            if case .leakyReLU(let alpha) = activation, !alpha.isFinite { throw fail("a non-finite leaky_relu slope") }
            return .piecewise(ActivationOperation(activation: activation, count: inputCount))
        }
    }
}

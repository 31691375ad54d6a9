import Models
import Polytope

extension CombinatorialSignature {
    init(_ engine: GraphSubdivision) {
        self.init(engine, faces: engine.topology.faces, edges: engine.topology.edges, patterns: engine.facePattern,
                  layers: engine.layerStats)
    }
}

/// A seeded small graph model and slice on which both arithmetics are compared.
public struct GraphVerificationCase: Sendable, CustomStringConvertible {
    public var graph: GraphModel
    public var anchors: [[Double]]
    public var domain: DomainSpec
    public var family: String
    public var description: String {
        "\(family): \(graph.inputShape) → " + graph.nodes.map(\.opType).joined(separator: ",") + ", \(domain)"
    }
}

/// The families of graph cases, in the order `graphVerificationCase` cycles through them: four
/// network shapes, then degenerate families, each on one of those shapes in turn.
public let graphVerificationFamilies = ["conv", "residual", "pool-batchnorm", "dense",
                                        "zero-bias", "concurrent", "duplicated-dead", "integer"]
/// The network shapes the degenerate families are built on.
let graphVerificationShapes = ["conv", "residual", "pool-batchnorm", "dense"]

/// The i-th graph verification case of a seed: small convolutional networks with strides, padding,
/// dilations and groups; residual blocks with batch norm (scales γ/√(σ²+ε) rounded once to float64);
/// 3×3 average pools (non-dyadic 1/9, 1/6, 1/4 weights) and global average pools; dense chains;
/// LeakyReLU and Abs. The degenerate families, on each of those shapes in turn: zero biases with the
/// origin in the domain (every unit's line through it), lines concurrent at another point x0 of the
/// domain (the first operation's bias −W·x0, exact; zero biases after it), duplicated and dead
/// channels (coincident and absent lines), small-integer weights (many coincidences).
public func graphVerificationCase(_ index: Int, seed: UInt64 = 1) -> GraphVerificationCase {
    var random = SeededGenerator(seed: seed &* 2_000_003 &+ UInt64(index))
    func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    func float32(_ x: Double) -> Double { Double(Float(x)) }
    let family = graphVerificationFamilies[index % graphVerificationFamilies.count]
    let shape = graphVerificationShapes.contains(family) ? family
        : graphVerificationShapes[(index / graphVerificationFamilies.count) % graphVerificationShapes.count]
    let activation = pick([Activation.relu, .relu, .leakyReLU(alpha: 0.1), .abs])
    let zeroBias = family == "zero-bias" || family == "concurrent"
    // Small binary fractions, so that −W·x0 and every product below are exact in float64.
    let smallNumbers = family == "integer" || family == "concurrent"
    func weights(_ count: Int, fanIn: Int) -> [Double] {
        smallNumbers ? (0..<count).map { _ in Double(Int(random.next() % 5) - 2) / (family == "concurrent" ? 2 : 1) }
            : (0..<count).map { _ in float32(random.workloadNormal() / Double(fanIn).squareRoot()) }
    }
    func biases(_ count: Int) -> [Double] {
        zeroBias ? [Double](repeating: 0, count: count)
            : family == "integer" ? (0..<count).map { _ in Double(Int(random.next() % 5) - 2) / 2 }
            : (0..<count).map { _ in float32(random.workloadNormal() * 0.3) }
    }
    /// Batch norm as an exported model holds it: scale γ/√(σ²+ε) correctly rounded (53 significant
    /// bits, not a float32), shift β − scale·μ (zero in the zero-bias families).
    func batchNorm(_ builder: inout GraphBuilder, _ v: Int, channels: Int) -> Int {
        let gamma = (0..<channels).map { _ in float32(0.5 + random.nextUnit()) }
        let variance = (0..<channels).map { _ in float32(0.2 + random.nextUnit()) }
        let scale = (0..<channels).map { BatchNormFolding.scale(gamma: gamma[$0], variance: variance[$0], epsilon: Double(Float(1e-5)))! }
        let shift = zeroBias ? [Double](repeating: 0, count: channels)
            : (0..<channels).map { BatchNormFolding.shift(beta: float32(random.workloadNormal() * 0.2), scale: scale[$0],
                                                          mean: float32(random.workloadNormal() * 0.2)) }
        return builder.batchNorm(v, scale: scale, shift: shift)
    }
    func conv(_ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, pad: Int = 0, dilation: Int = 1, groups: Int = 1) -> Conv2D {
        var w = weights(cout * (cin / groups) * kernel * kernel, fanIn: (cin / groups) * kernel * kernel)
        var b = biases(cout)
        if family == "duplicated-dead", cout >= 3 {
            // Channel 1 copies channel 0; the last channel is dead.
            let per = (cin / groups) * kernel * kernel
            if groups == 1 { for i in 0..<per { w[per + i] = w[i] }; b[1] = b[0] }
            for i in 0..<per { w[(cout - 1) * per + i] = 0 }
            b[cout - 1] = 0
        }
        return Conv2D(inChannels: cin, outChannels: cout, kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride,
                      pads: [pad, pad, pad, pad], dilationH: dilation, dilationW: dilation, groups: groups, weights: w, bias: b)
    }
    func dense(_ inputs: Int, _ outputs: Int) -> DenseLayer {
        var layer = DenseLayer(inputs: inputs, outputs: outputs, weights: weights(inputs * outputs, fanIn: inputs), bias: biases(outputs))
        if family == "duplicated-dead", outputs >= 3 {
            for i in 0..<inputs { layer.weights[inputs + i] = layer.weights[i]; layer.weights[(outputs - 1) * inputs + i] = 0 }
            layer.bias[1] = layer.bias[0]; layer.bias[outputs - 1] = 0
        }
        return layer
    }
    let classes = pick([1, 2, 3, 4])
    var builder: GraphBuilder
    switch shape {
    case "residual":
        builder = GraphBuilder(inputShape: [2, 3, 3])
        let stem = builder.activation(builder.conv(0, conv(2, 2, kernel: 3, pad: 1)), activation)
        var branch = builder.conv(stem, conv(2, 2, kernel: 3, pad: 1))
        branch = batchNorm(&builder, branch, channels: 2)
        branch = builder.activation(branch, activation)
        let sum = builder.activation(builder.sum(branch, stem), activation)
        let pooled = builder.flatten(builder.globalAveragePool(sum))
        builder.dense(pooled, dense(2, classes))
    case "pool-batchnorm":
        builder = GraphBuilder(inputShape: [1, 4, 4])
        var v = builder.conv(0, conv(1, 2, kernel: 3, pad: 1))
        v = batchNorm(&builder, v, channels: 2)
        v = builder.activation(v, activation)
        v = builder.averagePool(v, kernel: 3, stride: pick([1, 2]), pad: pick([0, 1]), countIncludePad: pick([true, false]))
        v = builder.addConstant(v, biases(builder.shape(v).reduce(1, *)))
        v = builder.activation(v, activation)
        v = builder.flatten(v)
        builder.dense(v, dense(builder.shape(v)[0], classes))
    case "dense":
        let inputs = pick([2, 3, 5])
        builder = GraphBuilder(inputShape: [inputs])
        var v = 0, width = inputs
        for _ in 0..<pick([1, 2, 3]) {
            let next = pick([2, 4, 6, 8])
            v = builder.activation(builder.dense(v, dense(width, next)), activation)
            width = next
        }
        builder.dense(v, dense(width, classes))
    default:
        // Strides, padding, dilations and groups.
        builder = GraphBuilder(inputShape: [2, 4, 4])
        let groups = pick([1, 2])
        let kernel = pick([2, 3]), stride = pick([1, 2]), pad = pick([0, 1])
        var dilation = pick([1, 2])
        if (kernel - 1) * dilation + 1 > 4 + 2 * pad { dilation = 1 }
        var v = builder.conv(0, conv(2, 4, kernel: kernel, stride: stride, pad: pad, dilation: dilation, groups: groups))
        v = builder.activation(v, activation)
        let s = builder.shape(v)
        if s[1] >= 2 && s[2] >= 2 && pick([true, false]) {
            v = builder.activation(builder.conv(v, conv(4, 3, kernel: 2, groups: 1)), activation)
        } else {
            v = builder.activation(builder.conv(v, conv(4, 4, kernel: 1, groups: pick([1, 2, 4]))), activation)
        }
        v = builder.flatten(v)
        builder.dense(v, dense(builder.shape(v)[0], classes))
    }
    let dimension = builder.graph.inputDimension
    var anchors: [[Double]]
    var domains = [DomainSpec.square(scale: 1.5), .square(scale: 3), .triangle(scale: 2),
                   .disk(radius: 0.7, anchor: 1), .diamond(radius: 0.5, anchor: 2)]
    repeat {
        switch family {
        case "zero-bias", "concurrent":
            // A plane through x0 (the origin for zero-bias): with x3 = 2·x0 − x1, x0 = (x1 + x3)/2,
            // exactly, on an edge of the anchor triangle, so inside every domain that holds the triangle.
            let x0 = family == "zero-bias" ? [Double](repeating: 0, count: dimension) : concurrencyPoint(builder.graph, &random)
            let x1 = (0..<dimension).map { _ in Double(Int(random.next() % 9) - 4) / 4 }
            let x2 = (0..<dimension).map { _ in Double(Int(random.next() % 9) - 4) / 4 }
            anchors = [x1, x2, zip(x0, x1).map { 2 * $0 - $1 }]
            domains = [.square(scale: 1.5), .square(scale: 3), .triangle(scale: 2)]
        case "integer":
            anchors = (0..<3).map { _ in (0..<dimension).map { _ in Double(Int(random.next() % 5) - 2) / 2 } }
        default:
            anchors = (0..<3).map { _ in (0..<dimension).map { _ in float32(random.nextUnit()) } }
        }
    } while (try? SlicePlane(anchors: anchors)) == nil
    if family == "concurrent" { builder.graph = concurrent(builder.graph, at: concurrencyCentre(anchors)) }
    return GraphVerificationCase(graph: builder.graph, anchors: anchors, domain: pick(domains), family: family)
}

/// A point for the concurrent family: one small binary fraction per input channel, the same at every
/// pixel, so that a convolution's interior outputs all see it alike.
private func concurrencyPoint(_ graph: GraphModel, _ random: inout SeededGenerator) -> [Double] {
    let shape = graph.inputShape
    let perChannel = shape.count == 3 ? shape[1] * shape[2] : 1
    let channels = (0..<(graph.inputDimension / perChannel)).map { _ in Double(Int(random.next() % 5) - 2) / 2 }
    return (0..<graph.inputDimension).map { channels[$0 / perChannel] }
}

/// The midpoint of anchors 1 and 3: x0 of the concurrent family.
private func concurrencyCentre(_ anchors: [[Double]]) -> [Double] { zip(anchors[0], anchors[2]).map { ($0 + $1) / 2 } }

/// The graph with its first operation's bias set to −W·x0 (computed exactly: weights and x0 are small
/// binary fractions), so every unit of it that does not reach into padding vanishes at x0; later
/// biases are zero, so the network is positively homogeneous about x0 and every later unit's line
/// passes through x0 too.
private func concurrent(_ graph: GraphModel, at x0: [Double]) -> GraphModel {
    var graph = graph
    let first = graph.nodes[0]
    switch first.op {
    case .dense(var layer):
        for j in 0..<layer.outputs { layer.bias[j] = -(0..<layer.inputs).reduce(0.0) { $0 + layer.weight(j, $1) * x0[$1] } }
        graph.nodes[0].op = .dense(layer)
    case .conv(var c):
        // x0 is constant per channel: an output channel's interior value is Σ w·x0[channel of w].
        let per = c.inChannels / c.groups, taps = c.kernelH * c.kernelW, pixels = x0.count / c.inChannels
        for o in 0..<c.outChannels {
            let group = o / (c.outChannels / c.groups)
            var sum = 0.0
            for ci in 0..<per { for k in 0..<taps { sum += c.weights[(o * per + ci) * taps + k] * x0[(group * per + ci) * pixels] } }
            c.bias[o] = -sum
        }
        graph.nodes[0].op = .conv(c)
    default:
        preconditionFailure("the concurrent family starts with a dense layer or a convolution")
    }
    return graph
}

/// Runs the graph engine on a case in one arithmetic (certified: on `threads` threads).
func runGraphEngine(_ graph: GraphModel, anchors: [[Double]], domain: DomainSpec, arithmetic: Arithmetic,
                    maxRegions: Int = 1_000_000, threads: Int = 1, roundRobin: Bool = false) throws -> GraphSubdivision {
    let plane = try SlicePlane(anchors: anchors)
    let engine = try GraphSubdivision(graph: graph, plane: plane, arithmetic: arithmetic, maxRegions: maxRegions,
                                      parallelism: Parallelism(threads: threads))
    engine.roundRobin = roundRobin
    engine.setUpDomain(try domain.corners(plane: plane))
    try engine.run()
    return engine
}

/// Slices a graph case in both arithmetics (certified on `threads` threads, exact on one) and
/// returns nil when their combinatorial outputs are identical, else a description of the first
/// difference. Edges are compared numbered by first appearance, the order several threads give.
/// `injectFault` (tests only) reverses the certified output's first face.
public func compareGraphArithmetics(_ testCase: GraphVerificationCase, threads: Int = 2, injectFault: Bool = false) throws -> String? {
    var signatures = try [(Arithmetic.certified, threads), (.exact, 1)].map { arithmetic, threads in
        let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain,
                                        arithmetic: arithmetic, threads: threads, roundRobin: true)
        engine.renumberEdgesByFirstAppearance()
        return CombinatorialSignature(engine)
    }
    if injectFault { signatures[0].injectFault() }
    return CombinatorialSignature.difference(certified: signatures[0], exact: signatures[1])
}

/// Slices a graph case in certified arithmetic on one thread and on `threads`, and returns nil when
/// the subdivisions are identical (edges numbered by first appearance), else the first difference.
func compareGraphThreads(_ graph: GraphModel, anchors: [[Double]], domain: DomainSpec, threads: Int,
                         roundRobin: Bool = true) throws -> String? {
    let signatures = try [1, threads].map { threads in
        let engine = try runGraphEngine(graph, anchors: anchors, domain: domain, arithmetic: .certified, threads: threads,
                                        roundRobin: roundRobin)
        engine.renumberEdgesByFirstAppearance()
        return CombinatorialSignature(engine)
    }
    return CombinatorialSignature.difference(certified: signatures[0], exact: signatures[1])
}

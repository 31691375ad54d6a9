import Polytope

/// The combinatorial output of a graph subdivision, for comparing arithmetics.
struct GraphSignature: Equatable {
    var faces: [[Int32]]
    var patterns: [ActivationPattern]
    var edges: [[Int32]]
    var vertexLines: [[LineRef]]
    var classCells: [[[Int32]]]
    var classLabels: [[Int]]
    var uniformClasses: [Int?]
    var layers: [LayerStats]

    init(_ engine: GraphSubdivision) {
        faces = engine.topology.faces.map(\.vertices)
        patterns = engine.facePattern
        edges = engine.topology.edges.map { [$0.from, $0.to, $0.faceA, $0.faceB, $0.layer, $0.neuron] }
        let partitionVertices = engine.vertexRecords.count
        vertexLines = (0..<partitionVertices).map { [engine.vertexRecords[$0].lineA, engine.vertexRecords[$0].lineB] }
        var cells: [[[Int32]]] = [], labels: [[Int]] = [], uniform: [Int?] = []
        for f in engine.topology.faces.indices {
            let (winner, faceCells) = engine.classCells(face: Int32(f))
            uniform.append(winner)
            cells.append(faceCells.map(\.polygon.vertices))
            labels.append(faceCells.map(\.label))
        }
        classCells = cells
        classLabels = labels
        uniformClasses = uniform
        layers = engine.layerStats
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

/// The families of graph cases, in the order `graphVerificationCase` cycles through them.
public let graphVerificationFamilies = ["conv", "residual", "pool-batchnorm", "zero-bias", "duplicated-dead", "integer", "dense"]

/// The i-th graph verification case of a seed: small convolutional networks with strides, padding,
/// dilations and groups; residual blocks with batch norm; 3×3 average pools (non-dyadic 1/9, 1/6,
/// 1/4 weights) and global average pools; LeakyReLU and Abs; and degenerate families (zero biases
/// through the origin, duplicated and dead channels, small-integer weights).
public func graphVerificationCase(_ index: Int, seed: UInt64 = 1) -> GraphVerificationCase {
    var random = SeededGenerator(seed: seed &* 2_000_003 &+ UInt64(index))
    func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    func float32(_ x: Double) -> Double { Double(Float(x)) }
    let family = graphVerificationFamilies[index % graphVerificationFamilies.count]
    let activation = pick([Activation.relu, .relu, .leakyReLU(alpha: 0.1), .abs])
    let zeroBias = family == "zero-bias"
    func weights(_ count: Int, fanIn: Int) -> [Double] {
        family == "integer" ? (0..<count).map { _ in Double(Int(random.next() % 5) - 2) }
            : (0..<count).map { _ in float32(random.workloadNormal() / Double(fanIn).squareRoot()) }
    }
    func biases(_ count: Int) -> [Double] {
        zeroBias ? [Double](repeating: 0, count: count)
            : family == "integer" ? (0..<count).map { _ in Double(Int(random.next() % 5) - 2) / 2 }
            : (0..<count).map { _ in float32(random.workloadNormal() * 0.3) }
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
        DenseLayer(inputs: inputs, outputs: outputs, weights: weights(inputs * outputs, fanIn: inputs), bias: biases(outputs))
    }
    let classes = pick([1, 2, 3, 4])
    var builder: GraphBuilder
    switch family {
    case "residual":
        builder = GraphBuilder(inputShape: [2, 3, 3])
        let stem = builder.activation(builder.conv(0, conv(2, 2, kernel: 3, pad: 1)), activation)
        var branch = builder.conv(stem, conv(2, 2, kernel: 3, pad: 1))
        branch = builder.batchNorm(branch, scale: (0..<2).map { _ in float32(0.5 + random.nextUnit()) },
                                   shift: (0..<2).map { _ in float32(random.workloadNormal() * 0.2) })
        branch = builder.activation(branch, activation)
        let sum = builder.activation(builder.sum(branch, stem), activation)
        let pooled = builder.flatten(builder.globalAveragePool(sum))
        builder.dense(pooled, dense(2, classes))
    case "pool-batchnorm":
        builder = GraphBuilder(inputShape: [1, 4, 4])
        var v = builder.conv(0, conv(1, 2, kernel: 3, pad: 1))
        v = builder.batchNorm(v, scale: (0..<2).map { _ in float32(0.5 + random.nextUnit()) },
                              shift: (0..<2).map { _ in float32(random.workloadNormal() * 0.2) })
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
        // conv, zero-bias, duplicated-dead, integer: strides, padding, dilations and groups.
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
    repeat {
        switch family {
        case "zero-bias":
            // A plane through the origin: with x3 = −x1, the origin is (x1 + x3)/2, exactly.
            let x1 = (0..<dimension).map { _ in float32(random.nextUnit() * 2 - 1) }
            let x2 = (0..<dimension).map { _ in float32(random.nextUnit() * 2 - 1) }
            anchors = [x1, x2, x1.map { -$0 }]
        case "integer":
            anchors = (0..<3).map { _ in (0..<dimension).map { _ in Double(Int(random.next() % 5) - 2) / 2 } }
        default:
            anchors = (0..<3).map { _ in (0..<dimension).map { _ in float32(random.nextUnit()) } }
        }
    } while (try? SlicePlane(anchors: anchors)) == nil
    let domain = pick([DomainSpec.square(scale: 1.5), .square(scale: 3), .triangle(scale: 2),
                       .disk(radius: 0.7, anchor: 1), .diamond(radius: 0.5, anchor: 2)])
    return GraphVerificationCase(graph: builder.graph, anchors: anchors, domain: domain, family: family)
}

/// Runs the graph engine on a case in one arithmetic.
func runGraphEngine(_ graph: GraphModel, anchors: [[Double]], domain: DomainSpec, arithmetic: Arithmetic,
                    maxRegions: Int = 1_000_000) throws -> GraphSubdivision {
    let plane = try SlicePlane(anchors: anchors)
    let engine = try GraphSubdivision(graph: graph, plane: plane, arithmetic: arithmetic, maxRegions: maxRegions)
    engine.setUpDomain(try domain.corners(plane: plane))
    try engine.run()
    return engine
}

/// Slices a graph case in both arithmetics and returns nil when their combinatorial outputs are
/// identical, else a description of the first difference.
public func compareGraphArithmetics(_ testCase: GraphVerificationCase) throws -> String? {
    let signatures = try [Arithmetic.certified, .exact].map {
        GraphSignature(try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: $0))
    }
    let (a, b) = (signatures[0], signatures[1])
    if a == b { return nil }
    if a.faces != b.faces { return "faces differ: \(a.faces.count) certified vs \(b.faces.count) exact" }
    if a.patterns != b.patterns { return "patterns differ" }
    if a.edges != b.edges { return "edges differ" }
    if a.vertexLines != b.vertexLines { return "vertices differ" }
    if a.layers != b.layers { return "layer statistics differ" }
    return "decision boundary differs"
}

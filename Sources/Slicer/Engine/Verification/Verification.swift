import Models
import Polytope

/// The combinatorial output of a subdivision, for comparing arithmetics: every face's vertex cycle
/// and pattern, every edge (endpoints, faces, neuron), every vertex's defining lines, and the class
/// cells of the decision boundary.
struct CombinatorialSignature: Equatable {
    var faces: [[Int32]]
    var patterns: [ActivationPattern]
    var edges: [[Int32]]
    var vertexLines: [[LineRef]]
    var classCells: [[[Int32]]]
    var classLabels: [[Int]]
    var uniformClasses: [Int?]
    var boundary: [[Int32]]
    var layers: [LayerStats]

    /// The signature of either engine, given its faces, edges, patterns and layer statistics.
    init<Engine: DecisionBoundaryGeometry>(_ engine: Engine, faces: [Face], edges: [Edge], patterns: [ActivationPattern],
                                           layers: [LayerStats]) {
        self.faces = faces.map(\.vertices)
        self.patterns = patterns
        self.edges = edges.map { [$0.from, $0.to, $0.faceA, $0.faceB, $0.layer, $0.neuron] }
        let partitionVertices = engine.vertexRecords.count
        vertexLines = (0..<partitionVertices).map { [engine.vertexRecords[$0].lineA, engine.vertexRecords[$0].lineB] }
        var cells: [[[Int32]]] = [], labels: [[Int]] = [], uniform: [Int?] = []
        var regionCells: [Int: RegionCells] = [:]
        for f in faces.indices {
            let (winner, faceCells) = engine.classCells(face: f)
            uniform.append(winner)
            if winner == nil { regionCells[f] = faceCells }
            cells.append(faceCells.map(\.polygon.vertices))
            labels.append(faceCells.map(\.label))
        }
        classCells = cells
        classLabels = labels
        uniformClasses = uniform
        boundary = engine.boundarySegments(cells: regionCells).map { [$0.0, $0.1] }
        self.layers = layers
    }

    init(_ engine: Subdivision) {
        self.init(engine, faces: engine.faces, edges: engine.edges, patterns: engine.facePattern, layers: engine.layerStats)
    }

    /// Tests only: the first face's vertex cycle reversed (same counts, a different subdivision).
    mutating func injectFault() { faces[0].reverse() }

    /// nil when both signatures are identical, else a description of the first difference.
    static func difference(certified a: CombinatorialSignature, exact b: CombinatorialSignature) -> String? {
        if a == b { return nil }
        if a.faces != b.faces {
            let first = a.faces.indices.first { $0 >= b.faces.count || a.faces[$0] != b.faces[$0] } ?? a.faces.count
            return "faces differ: \(a.faces.count) certified vs \(b.faces.count) exact, first at face \(first)"
        }
        if a.patterns != b.patterns { return "patterns differ" }
        if a.edges != b.edges { return "edges differ" }
        if a.vertexLines != b.vertexLines { return "vertices differ" }
        if a.layers != b.layers { return "layer statistics differ" }
        return "decision boundary differs"
    }
}

/// A seeded family of small networks and slices on which both arithmetics are compared.
public struct VerificationCase: Sendable, CustomStringConvertible {
    public var network: Network
    public var anchors: [[Double]]
    public var domain: DomainSpec
    public var family: String
    public var description: String {
        "\(family): widths \([network.inputDimension] + network.layers.map(\.outputs)), \(network.activation), \(domain)"
    }
}

/// The i-th verification case of a seed: random float32 networks of varied depth, width,
/// activation and domain (up to 24 neurons a layer in the "wide" family), and degenerate families (zero biases through the origin, duplicated and
/// dead neurons, small-integer weights with many coincidences).
public func verificationCase(_ index: Int, seed: UInt64 = 1) -> VerificationCase {
    var random = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(index))
    func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    func float32(_ x: Double) -> Double { Double(Float(x)) }
    let families = ["random", "random", "zero-bias", "integer", "duplicated-dead", "wide"]
    let family = families[index % families.count]
    let inputs = family == "wide" ? 12 : pick([2, 3, 5])
    let depth = pick([1, 1, 2, 2, 3])
    let widths = family == "wide"
        ? [inputs] + (0..<depth).map { _ in pick([12, 16, 24]) } + [pick([2, 5, 10])]
        : [inputs] + (0..<depth).map { _ in pick([2, 3, 4, 6, 8]) } + [pick([1, 2, 3, 4])]
    let activation = pick([Activation.relu, .relu, .leakyReLU(alpha: 0.1), .abs])
    var layers: [DenseLayer] = []
    for (n, m) in zip(widths, widths.dropFirst()) {
        var weights: [Double], bias: [Double]
        switch family {
        case "integer":
            weights = (0..<(n * m)).map { _ in Double(Int(random.next() % 5) - 2) }
            bias = (0..<m).map { _ in Double(Int(random.next() % 5) - 2) / 2 }
        case "zero-bias":
            weights = (0..<(n * m)).map { _ in float32(random.workloadNormal() / Double(n).squareRoot()) }
            bias = Array(repeating: 0, count: m)
        default:
            weights = (0..<(n * m)).map { _ in float32(random.workloadNormal() / Double(n).squareRoot()) }
            bias = (0..<m).map { _ in float32(random.workloadNormal() * 0.3) }
        }
        if family == "duplicated-dead", m >= 2, layers.count < depth {
            // Neuron 1 copies neuron 0; the last neuron is dead.
            for i in 0..<n { weights[n + i] = weights[i] }
            bias[1] = bias[0]
            for i in 0..<n { weights[(m - 1) * n + i] = 0 }
            bias[m - 1] = 0
        }
        layers.append(DenseLayer(inputs: n, outputs: m, weights: weights, bias: bias))
    }
    let network = try! Network(layers: layers, activation: activation)
    var anchors: [[Double]]
    repeat {
        switch family {
        case "zero-bias":
            // A plane through the origin: with x3 = −x1, the origin is (x1 + x3)/2, exactly.
            let x1 = (0..<inputs).map { _ in float32(random.nextUnit() * 2 - 1) }
            let x2 = (0..<inputs).map { _ in float32(random.nextUnit() * 2 - 1) }
            anchors = [x1, x2, x1.map { -$0 }]
        case "integer":
            anchors = (0..<3).map { _ in (0..<inputs).map { _ in Double(Int(random.next() % 5) - 2) / 2 } }
        default:
            anchors = (0..<3).map { _ in (0..<inputs).map { _ in float32(random.nextUnit()) } }
        }
    } while (try? SlicePlane(anchors: anchors)) == nil
    let domain = pick([DomainSpec.square(scale: 1.5), .square(scale: 3), .triangle(scale: 2),
                       .disk(radius: 0.7, anchor: 1), .diamond(radius: 0.5, anchor: 2)])
    return VerificationCase(network: network, anchors: anchors, domain: domain, family: family)
}

/// Slices a case in both arithmetics and returns nil when their combinatorial outputs are identical,
/// else a description of the first difference. `injectFault` (tests only) reverses the certified
/// output's first face, so that a test can see a sweep catch a difference.
public func compareArithmetics(_ testCase: VerificationCase, injectFault: Bool = false) throws -> String? {
    let plane = try SlicePlane(anchors: testCase.anchors)
    let corners = try testCase.domain.corners(plane: plane)
    var signatures: [CombinatorialSignature] = []
    for arithmetic in [Arithmetic.certified, .exact] {
        let engine = try Subdivision(network: testCase.network, plane: plane, arithmetic: arithmetic, maxRegions: 1_000_000)
        engine.setUpDomain(corners)
        try engine.run()
        signatures.append(CombinatorialSignature(engine))
    }
    if injectFault { signatures[0].injectFault() }
    return CombinatorialSignature.difference(certified: signatures[0], exact: signatures[1])
}

import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// The graph engine's invariants on every region and every edge, one small seeded network per
/// operation family: each region's pattern is an exact rational forward pass's at an interior point,
/// areas sum exactly to the domain, and neighbours differ in exactly the unit of their edge (one
/// unit's sign, or one max-pool window's winner). The cases are small so that every region is checked.
@Suite(.timeLimit(.minutes(20))) struct GraphEveryRegionTests {
    struct Case: CustomStringConvertible {
        var family: String
        var graph: GraphModel
        var anchors: [[Double]]
        var domain: DomainSpec
        /// The operator the family is about; it must be in the graph.
        var operation: String
        var description: String { "\(family): " + graph.nodes.map(\.opType).joined(separator: ",") + ", \(domain)" }
    }

    static let families = ["conv-stride-padding", "conv-dilation-groups", "batch-norm", "average-pool",
                           "residual", "leaky-relu", "abs", "max-pool"]

    /// The family's network: seeded float32 weights (He-like), biases N(0, 0.3²).
    static func makeCase(_ family: String) -> Case {
        var random = SeededGenerator(seed: 4_242 &+ UInt64(families.firstIndex(of: family)!))
        func float32(_ x: Double) -> Double { Double(Float(x)) }
        func weights(_ count: Int, fanIn: Int) -> [Double] {
            (0..<count).map { _ in float32(random.workloadNormal() * (2 / Double(fanIn)).squareRoot()) }
        }
        func biases(_ count: Int) -> [Double] { (0..<count).map { _ in float32(random.workloadNormal() * 0.3) } }
        func conv(_ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, pad: Int = 0, dilation: Int = 1, groups: Int = 1) -> Conv2D {
            let fanIn = (cin / groups) * kernel * kernel
            return Conv2D(inChannels: cin, outChannels: cout, kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride,
                          pads: [pad, pad, pad, pad], dilationH: dilation, dilationW: dilation, groups: groups,
                          weights: weights(cout * fanIn, fanIn: fanIn), bias: biases(cout))
        }
        func head(_ builder: inout GraphBuilder, _ v: Int, classes: Int = 3) {
            let flat = builder.flatten(v)
            let inputs = builder.shape(flat)[0]
            builder.dense(flat, DenseLayer(inputs: inputs, outputs: classes, weights: weights(classes * inputs, fanIn: inputs), bias: biases(classes)))
        }
        var builder: GraphBuilder
        var operation = "Conv"
        var domain = DomainSpec.square(scale: 1.5)
        switch family {
        case "conv-stride-padding":
            builder = GraphBuilder(inputShape: [1, 5, 5])
            var v = builder.activation(builder.conv(0, conv(1, 3, kernel: 3, stride: 2, pad: 1)), .relu)
            v = builder.activation(builder.conv(v, conv(3, 2, kernel: 2, stride: 1, pad: 0)), .relu)
            head(&builder, v)
        case "conv-dilation-groups":
            builder = GraphBuilder(inputShape: [2, 4, 4])
            var v = builder.activation(builder.conv(0, conv(2, 4, kernel: 2, pad: 1, dilation: 2, groups: 2)), .relu)
            v = builder.activation(builder.conv(v, conv(4, 4, kernel: 1, groups: 4)), .relu)
            head(&builder, v)
        case "batch-norm":
            // Scales γ/√(σ²+ε) correctly rounded to float64, as an exported model holds them.
            builder = GraphBuilder(inputShape: [1, 4, 4])
            var v = builder.conv(0, conv(1, 3, kernel: 3, pad: 1))
            let scale = (0..<3).map { _ in
                BatchNormFolding.scale(gamma: float32(0.5 + random.nextUnit()), variance: float32(0.2 + random.nextUnit()), epsilon: Double(Float(1e-5)))!
            }
            let shift = (0..<3).map { c in
                BatchNormFolding.shift(beta: float32(random.workloadNormal() * 0.2), scale: scale[c], mean: float32(random.workloadNormal() * 0.2))
            }
            v = builder.activation(builder.batchNorm(v, scale: scale, shift: shift), .relu)
            head(&builder, v)
            operation = "BatchNormalization"
        case "average-pool":
            // 3×3 windows, stride 2, padding not counted: weights 1/4, 1/6 and 1/9.
            builder = GraphBuilder(inputShape: [1, 5, 5])
            var v = builder.activation(builder.conv(0, conv(1, 2, kernel: 3, pad: 1)), .relu)
            v = builder.averagePool(v, kernel: 3, stride: 2, pad: 1, countIncludePad: false)
            v = builder.activation(builder.addConstant(v, biases(builder.shape(v).reduce(1, *))), .relu)
            head(&builder, v)
            operation = "AveragePool"
            domain = .square(scale: 3)
        case "residual":
            builder = GraphBuilder(inputShape: [2, 3, 3])
            let stem = builder.activation(builder.conv(0, conv(2, 2, kernel: 3, pad: 1)), .relu)
            let branch = builder.activation(builder.conv(stem, conv(2, 2, kernel: 3, pad: 1)), .relu)
            let sum = builder.activation(builder.sum(branch, stem), .relu)
            head(&builder, builder.globalAveragePool(sum))
            operation = "Add"
            domain = .square(scale: 3)
        case "leaky-relu":
            builder = GraphBuilder(inputShape: [1, 4, 4])
            var v = builder.activation(builder.conv(0, conv(1, 2, kernel: 3, pad: 1)), .leakyReLU(alpha: 0.1))
            v = builder.activation(builder.conv(v, conv(2, 2, kernel: 2)), .leakyReLU(alpha: 0.1))
            head(&builder, v)
        case "abs":
            builder = GraphBuilder(inputShape: [1, 4, 4])
            var v = builder.activation(builder.conv(0, conv(1, 2, kernel: 3, pad: 1)), .abs)
            v = builder.activation(builder.conv(v, conv(2, 2, kernel: 2)), .abs)
            head(&builder, v)
            operation = "Abs"
            domain = .square(scale: 3)
        default:
            builder = GraphBuilder(inputShape: [1, 4, 4])
            let v = builder.activation(builder.conv(0, conv(1, 2, kernel: 3, pad: 1)), .relu)
            head(&builder, builder.maxPool(v, Pool2D(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2)))
            operation = "MaxPool"
        }
        let anchors = (0..<3).map { _ in (0..<builder.graph.inputDimension).map { _ in float32(random.nextUnit()) } }
        return Case(family: family, graph: builder.graph, anchors: anchors, domain: domain, operation: operation)
    }

    /// A point strictly inside a region: its float centroid when that is strictly left of every
    /// counter-clockwise edge (checked exactly; a dyadic point keeps the rational forward pass
    /// cheap), else the exact vertex average (interior to any convex polygon of positive area).
    static func interiorPoint(_ points: [ExactPoint]) -> (s: Rational, t: Rational) {
        let approximate = points.map(\.approximate)
        let s = approximate.map(\.x).reduce(0, +) / Double(points.count)
        let t = approximate.map(\.y).reduce(0, +) / Double(points.count)
        if s.isFinite && t.isFinite {
            let candidate = ExactPoint(x: Dyadic(s), y: Dyadic(t))
            let inside = points.indices.allSatisfy { i in
                ExactLine(through: points[i], points[(i + 1) % points.count]).side(of: candidate) > 0
            }
            if inside { return (Rational(Dyadic(s)), Rational(Dyadic(t))) }
        }
        let count = Rational(points.count)
        return (points.map(\.s).reduce(Rational.zero, +) / count, points.map(\.t).reduce(Rational.zero, +) / count)
    }

    @Test(arguments: families)
    func everyRegionAndEdge(family: String) throws {
        let testCase = Self.makeCase(family)
        #expect(testCase.graph.nodes.contains { $0.opType == testCase.operation }, "\(testCase)")
        if family == "leaky-relu" { #expect(testCase.graph.nodes.contains { $0.op == .activation(.leakyReLU(alpha: 0.1)) }) }
        let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        let plan = engine.plan
        let faces = engine.topology.faces
        #expect(faces.count >= 20, "a partition worth checking: \(faces.count) regions in \(testCase)")

        // Areas: every region positive (counter-clockwise), their sum exactly the domain's.
        let areas = exactAreas(engine)
        #expect(areas.faces.allSatisfy { $0.signum > 0 }, "every region has positive area: \(testCase)")
        #expect(exactSum(areas.faces) == areas.domain, "areas sum exactly to the domain: \(testCase)")

        // Every region's pattern is the exact forward pass's at an interior point.
        let point = exactPlanePoint(testCase.anchors)
        func levelInputs(s: Rational, t: Rational) -> [[Rational]] { rationalForward(testCase.graph, at: point(s, t)).activationInputs }
        var mismatches = 0
        for (f, face) in faces.enumerated() {
            let (s, t) = Self.interiorPoint(face.vertices.map { engine.exactVertex($0) })
            if engine.facePattern[f] != exactPattern(plan, levelInputs: levelInputs(s: s, t: t)) { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(faces.count) regions' patterns differ from the forward pass: \(testCase)")

        // Neighbours differ in exactly the unit of their edge: its sign bit, or its window's winner
        // (the old winner's bit and the new one's). Any other difference must hold all along the edge,
        // checked exactly at both ends: a unit whose input vanishes there (relu(b) + relu(s) with s off
        // turns with b), or a window whose two winners tie there (a window of dead units).
        var atVertex: [Int32: [[Rational]]] = [:]
        func inputs(at v: Int32) -> [[Rational]] {
            if let known = atVertex[v] { return known }
            let p = engine.exactVertex(v)
            let values = levelInputs(s: p.s, t: p.t)
            atVertex[v] = values
            return values
        }
        func level(ofBit bit: Int) -> Int { (0..<plan.levels).last { plan.patternOffsets[$0] <= bit }! }
        var interior = 0, exactlyOne = 0, wrong: [String] = []
        for edge in engine.topology.edges where edge.faceB >= 0 {
            interior += 1
            let a = engine.facePattern[Int(edge.faceA)], b = engine.facePattern[Int(edge.faceB)]
            let differences = a.differences(from: b)
            let m = Int(edge.layer) - 1
            let own: Range<Int>
            if let pool = plan.maxPool(level: m) {
                own = (plan.patternOffsets[m] + Int(edge.neuron) * pool.taps)..<(plan.patternOffsets[m] + (Int(edge.neuron) + 1) * pool.taps)
            } else {
                own = (plan.patternOffsets[m] + Int(edge.neuron))..<(plan.patternOffsets[m] + Int(edge.neuron) + 1)
            }
            let ownDifferences = differences.filter { own.contains($0) }
            guard ownDifferences.count == (own.count == 1 ? 1 : 2) else {
                wrong.append("edge of level \(m) unit \(edge.neuron): its own bits \(ownDifferences) of \(differences)")
                continue
            }
            if ownDifferences.count == differences.count { exactlyOne += 1; continue }
            for v in [edge.from, edge.to] {
                let values = inputs(at: v)
                for bit in differences where !own.contains(bit) {
                    let k = level(ofBit: bit), index = bit - plan.patternOffsets[k]
                    if let pool = plan.maxPool(level: k) {
                        let window = index / pool.taps, base = plan.patternOffsets[k] + window * pool.taps
                        let candidates = pool.inputs(of: window)
                        let winners = [a, b].map { p in candidates.first { p[base + $0.slot] }!.unit }
                        if values[k][winners[0]] != values[k][winners[1]] {
                            wrong.append("edge of level \(m) unit \(edge.neuron): window \(window) of level \(k) changes winner without a tie")
                        }
                    } else if values[k][index].signum != 0 {
                        wrong.append("edge of level \(m) unit \(edge.neuron): unit \(index) of level \(k) flips without vanishing on the edge")
                    }
                }
            }
        }
        #expect(interior > faces.count, "interior edges: \(testCase)")
        #expect(exactlyOne * 2 > interior, "most edges change exactly their own unit: \(exactlyOne) of \(interior) in \(testCase)")
        #expect(wrong.isEmpty, "\(wrong.count) edges whose regions differ otherwise, e.g. \(wrong.prefix(3)): \(testCase)")

        let result = engine.makeResult(domain: testCase.domain, seconds: 0)
        #expect(result.vertices.count - result.edges.count + result.regions.count == 1, "Euler's formula: \(testCase)")
    }
}

import Foundation
import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Max pooling in the graph engine: certified ≡ exact, cells of upper envelopes counted by hand, and
/// every region's winners against an exact forward pass.
@Suite(.timeLimit(.minutes(20))) struct MaxPoolEngineTests {
    /// Two cases of each max-pool family (the full sweep is `tessera verify --graphs --max-pool`).
    static let cases = (0..<10).map { maxPoolVerificationCase($0, seed: 5) }

    @Test(arguments: 0..<10)
    func certifiedEqualsExact(index: Int) throws {
        let testCase = Self.cases[index]
        #expect(try compareGraphArithmetics(testCase) == nil, "case \(index): \(testCase)")
    }

    /// Slices a graph over the (s, t) square [−r, r]² in one arithmetic.
    func engine(_ graph: GraphModel, anchors: [[Double]], radius: Double = 1, arithmetic: Arithmetic = .certified) throws -> GraphSubdivision {
        let engine = try GraphSubdivision(graph: graph, plane: try SlicePlane(anchors: anchors), arithmetic: arithmetic, maxRegions: 100_000)
        engine.setUpDomain([(-radius, -radius), (radius, -radius), (radius, radius), (-radius, radius)])
        try engine.run()
        return engine
    }

    /// Areas, winners at every region's centroid, neighbours' patterns, layer statistics, Euler.
    func checkInvariants(_ engine: GraphSubdivision, anchors: [[Double]], _ label: String) {
        let areas = exactAreas(engine)
        #expect(areas.faces.allSatisfy { $0.signum > 0 }, "every region has positive area, counter-clockwise: \(label)")
        #expect(exactSum(areas.faces) == areas.domain, "areas sum to the domain's: \(label)")
        let point = exactPlanePoint(anchors)
        let stride = max(1, engine.topology.faces.count / 30)
        for (f, face) in engine.topology.faces.enumerated() where f % stride == 0 {
            let points = face.vertices.map { engine.exactVertex($0) }
            let s = points.map(\.s).reduce(Rational.zero, +) / Rational(points.count)
            let t = points.map(\.t).reduce(Rational.zero, +) / Rational(points.count)
            let expected = exactPattern(engine.plan, levelInputs: rationalForward(engine.plan.graph, at: point(s, t)).activationInputs)
            #expect(engine.facePattern[f] == expected, "region \(f)'s winners and signs are the forward pass's: \(label)")
        }
        // One cell per winner: neighbours differ, across a max-pool edge in its window's winner.
        for edge in engine.topology.edges where edge.faceB >= 0 {
            let a = engine.facePattern[Int(edge.faceA)], b = engine.facePattern[Int(edge.faceB)]
            #expect(a != b, "neighbouring regions \(edge.faceA) and \(edge.faceB) have one pattern: \(label)")
            let m = Int(edge.layer) - 1
            if let pool = engine.plan.maxPool(level: m) {
                let base = engine.plan.patternOffsets[m] + Int(edge.neuron) * pool.taps
                #expect(!a.differences(from: b).filter { (base..<(base + pool.taps)).contains($0) }.isEmpty,
                        "a max-pool edge separates two winners of its window: \(label)")
            }
        }
        let stats = engine.layerStats
        for m in 0..<engine.plan.levels {
            guard let pool = engine.plan.maxPool(level: m) else { continue }
            let changing = (0..<pool.windows).filter { w in
                let base = engine.plan.patternOffsets[m] + w * pool.taps
                return Set(engine.facePattern.map { p in (0..<pool.taps).first { p[base + $0] }! }).count > 1
            }.count
            #expect(stats[m].neuronsCut == changing, "windows changing winner: \(label)")
            #expect(stats[m].neurons == pool.windows)
        }
        let result = engine.makeResult(domain: .square(scale: 1), seconds: 0)
        #expect(result.vertices.count - result.edges.count + result.regions.count == 1, "Euler's formula: \(label)")
    }

    @Test(arguments: 0..<5)
    func invariants(index: Int) throws {
        let testCase = Self.cases[index + 5]
        let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        #expect(engine.topology.faces.count > 1, "a non-trivial partition: \(testCase)")
        checkInvariants(engine, anchors: testCase.anchors, "\(testCase)")
    }

    /// One window over k inputs z_i = cos θ_i·s + sin θ_i·t (θ_i = 2πi/5) and two that never split:
    /// −10, below everything, and a copy of z_0. The upper envelope of the five planes through the
    /// origin is five sectors meeting there: 5 cells, 4 corners + 5 boundary points + the centre.
    @Test func oneWindowIsItsUpperEnvelope() throws {
        let angles = (0..<5).map { 2 * Double.pi * Double($0) / 5 }
        let x2 = angles.map { cos($0) } + [0, cos(angles[0])]
        let x3 = angles.map { sin($0) } + [0, sin(angles[0])]
        let x1 = [Double](repeating: 0, count: 5) + [-10, 0]
        var builder = GraphBuilder(inputShape: [1, 1, 7])
        let pooled = builder.maxPool(0, Pool2D(kernelH: 1, kernelW: 7, strideH: 1, strideW: 1))
        builder.dense(builder.flatten(pooled), DenseLayer(inputs: 1, outputs: 1, weights: [1], bias: [0]))
        let anchors = [x1, zip(x1, x2).map { $0 + $1 }, zip(x1, x3).map { $0 + $1 }]
        for arithmetic in [Arithmetic.certified, .exact] {
            let engine = try engine(builder.graph, anchors: anchors, arithmetic: arithmetic)
            #expect(engine.topology.faces.count == 5)
            #expect(engine.vertexRecords.count == 10)
            #expect(engine.topology.edges.count == 14)
            let winners = Set(engine.facePattern.map { p in (0..<7).first { p[$0] }! })
            #expect(winners == [0, 1, 2, 3, 4], "each plane wins one sector; −10 and the copy never do")
            #expect(engine.layerStats[0].neuronsCut == 1)
            checkInvariants(engine, anchors: anchors, "one window, \(arithmetic)")
        }
    }

    /// max(x_j, −x_j) is |x_j|: n windows of a unit and its negation cut the plane as n Abs units do.
    @Test func maxPoolOfPlusMinusIsAbs() throws {
        let n = 5
        var weights: [Double] = [], bias: [Double] = []
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<n {
            let w = [Double(Float(generator.workloadNormal())), Double(Float(generator.workloadNormal()))]
            let b = Double(Float(generator.workloadNormal() * 0.4))
            weights += w + w.map { -$0 }; bias += [b, -b]
        }
        var pool = GraphBuilder(inputShape: [2])
        let pairs = pool.add(.reshape, "Reshape", inputs: [pool.dense(0, DenseLayer(inputs: 2, outputs: 2 * n, weights: weights, bias: bias))],
                             shape: [n, 1, 2])
        let pooled = pool.flatten(pool.maxPool(pairs, Pool2D(kernelH: 1, kernelW: 2, strideH: 1, strideW: 2)))
        pool.dense(pooled, DenseLayer(inputs: n, outputs: 2, weights: (0..<(2 * n)).map { Double($0 % 3) - 1 }, bias: [0, 0.5]))
        var abs = GraphBuilder(inputShape: [2])
        let units = abs.dense(0, DenseLayer(inputs: 2, outputs: n, weights: (0..<n).flatMap { Array(weights[(4 * $0)..<(4 * $0 + 2)]) },
                                            bias: (0..<n).map { bias[2 * $0] }))
        abs.dense(abs.activation(units, .abs), DenseLayer(inputs: n, outputs: 2, weights: (0..<(2 * n)).map { Double($0 % 3) - 1 }, bias: [0, 0.5]))
        let anchors = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
        let a = try engine(pool.graph, anchors: anchors, radius: 2), b = try engine(abs.graph, anchors: anchors, radius: 2)
        func polygons(_ e: GraphSubdivision) -> Set<[Rational]> {
            Set(e.topology.faces.map { face in
                let points = face.vertices.map { e.exactVertex($0) }
                return [points.map(\.s).reduce(.zero, +) / Rational(points.count), points.map(\.t).reduce(.zero, +) / Rational(points.count),
                        ConvexPolygon(vertices: points).area]
            })
        }
        #expect(a.topology.faces.count > 2 * n)
        #expect(a.topology.faces.count == b.topology.faces.count)
        #expect(a.vertexRecords.count == b.vertexRecords.count)
        #expect(polygons(a) == polygons(b), "the same regions (centroid and area)")
        #expect(a.layerStats[0].neuronsCut == b.layerStats[0].neuronsCut)
        checkInvariants(a, anchors: anchors, "±x pool")
    }

    /// max(relu(s), relu(t)) on [−1, 1]²: quadrants by the ReLUs; in the first max(s, t) is cut by
    /// s = t; in the third both are dead (equal, zero) and do not cut: 5 regions.
    @Test func maxOfTwoReLUs() throws {
        var builder = GraphBuilder(inputShape: [2])
        let hidden = builder.activation(builder.dense(0, DenseLayer(inputs: 2, outputs: 2, weights: [1, 0, 0, 1], bias: [0, 0])), .relu)
        let pairs = builder.add(.reshape, "Reshape", inputs: [hidden], shape: [1, 1, 2])
        let pooled = builder.flatten(builder.maxPool(pairs, Pool2D(kernelH: 1, kernelW: 2, strideH: 1, strideW: 1)))
        builder.dense(pooled, DenseLayer(inputs: 1, outputs: 1, weights: [1], bias: [-0.5]))
        let anchors = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
        for arithmetic in [Arithmetic.certified, .exact] {
            let engine = try engine(builder.graph, anchors: anchors, arithmetic: arithmetic)
            #expect(engine.topology.faces.count == 5, "\(arithmetic)")
            checkInvariants(engine, anchors: anchors, "max of two ReLUs, \(arithmetic)")
            // The dead quadrant's winner is the first input (ties go to the lowest index).
            let dead = engine.topology.faces.indices.first { !engine.facePattern[$0][0] && !engine.facePattern[$0][1] }!
            #expect(engine.facePattern[dead][2], "ties go to the first input")
        }
    }

    @Test func refusesWindowsInThePaddingAndSmoothActivations() throws {
        var builder = GraphBuilder(inputShape: [1, 2, 2])
        let pooled = builder.add(.maxPool(Pool2D(kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, pads: [0, 0, 2, 2])), "MaxPool",
                                 inputs: [0], shape: [1, 3, 3])
        builder.dense(builder.flatten(pooled), DenseLayer(inputs: 9, outputs: 1, weights: [Double](repeating: 1, count: 9), bias: [0]))
        let anchors = (0..<3).map { k in (0..<4).map { Double(($0 * 7 + k * 3) % 5) } }
        #expect(throws: TesseraError.self) { try slice(graph: builder.graph, anchors: anchors) }
    }
}

import BigInt
import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// The graph engine: certified ≡ exact on seeded families of every operation, and invariants.
@Suite(.timeLimit(.minutes(20))) struct GraphEngineTests {
    /// Two cases of each family (the full sweep is `tessera verify --graphs`).
    static let cases = (0..<16).map { graphVerificationCase($0, seed: 5) }

    @Test(arguments: 0..<16)
    func certifiedEqualsExact(index: Int) throws {
        let testCase = Self.cases[index]
        #expect(try compareGraphArithmetics(testCase) == nil, "case \(index): \(testCase)")
    }

    @Test func degenerateFamiliesReachTheExactFallback() throws {
        var exact = 0
        for testCase in Self.cases where ["zero-bias", "concurrent", "duplicated-dead", "integer"].contains(testCase.family) {
            exact += try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified).counts.exact
        }
        #expect(exact > 0, "the degenerate families must reach the exact fallback, or the comparison proves little")
    }

    @Test func everyFamilyAndOperationIsCovered() {
        #expect(Set(Self.cases.map(\.family)) == Set(graphVerificationFamilies))
        let operations = Set(Self.cases.flatMap { $0.graph.nodes.map(\.opType) })
        for op in ["Conv", "BatchNormalization", "AveragePool", "GlobalAveragePool", "Add", "Relu", "Abs", "Gemm", "Flatten"] {
            #expect(operations.contains(op), "no \(op) among \(operations)")
        }
        // The degenerate families run on every network shape across the sweep.
        let shapes = Set((0..<64).map { graphVerificationCase($0, seed: 5) }.filter { $0.family == "concurrent" }
            .map { $0.graph.nodes.contains { $0.opType == "AveragePool" } ? "pool" : $0.graph.nodes.contains { $0.opType == "Add" } ? "add" : $0.graph.nodes[0].opType })
        #expect(shapes.count == 4, "\(shapes)")
    }

    @Test func zeroBiasAndConcurrentFamiliesHoldTheirPointInTheDomain() throws {
        var checked = 0
        for index in 0..<64 {
            let testCase = graphVerificationCase(index, seed: 5)
            guard testCase.family == "zero-bias" || testCase.family == "concurrent" else { continue }
            let a = testCase.anchors
            // x0 = (x1 + x3)/2 is (s, t) = (0, 1/2) on the plane; it must lie in the (convex) domain.
            let plane = try SlicePlane(anchors: a)
            let corners = try testCase.domain.corners(plane: plane).map { ExactPoint(x: Dyadic($0.s), y: Dyadic($0.t)) }
            let x0 = ExactPoint(x: Dyadic(0), y: Dyadic(0.5))
            for i in corners.indices {
                #expect(ExactLine(through: corners[i], corners[(i + 1) % corners.count]).side(of: x0) >= 0, "\(testCase)")
            }
            if testCase.family == "zero-bias" {
                #expect(a[0].count == a[2].count && zip(a[0], a[2]).allSatisfy { $0 + $1 == 0 })
            }
            checked += 1
        }
        // Two of the eight families: 16 of the 64 cases.
        #expect(checked == 16, "checked \(checked) cases")
    }

    /// One case of each family.
    @Test(arguments: 0..<8)
    func invariants(index: Int) throws {
        let testCase = Self.cases[index]
        let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        #expect(engine.topology.faces.count > 1 || ["zero-bias", "duplicated-dead"].contains(testCase.family), "a non-trivial partition: \(testCase)")
        // Areas sum exactly to the domain's.
        let areas = exactAreas(engine)
        #expect(areas.faces.allSatisfy { $0.signum > 0 }, "every region has positive area, counter-clockwise")
        #expect(exactSum(areas.faces) == areas.domain, "\(testCase)")
        // Each region's pattern is the sign pattern of an exact forward pass at an interior point.
        let point = exactPlanePoint(testCase.anchors)
        // A rational forward pass through convolutions is slow in a debug build: every region of a
        // partition of up to 47 regions, about 24 evenly spread regions of a larger one.
        let faceStride = max(1, engine.topology.faces.count / 24)
        for (f, face) in engine.topology.faces.enumerated() where f % faceStride == 0 {
            let points = face.vertices.map { engine.exactVertex($0) }
            let count = Rational(points.count)
            let s = points.map(\.s).reduce(Rational.zero, +) / count
            let t = points.map(\.t).reduce(Rational.zero, +) / count
            let expected = exactPattern(engine.plan, levelInputs: rationalForward(testCase.graph, at: point(s, t)).activationInputs)
            #expect(engine.facePattern[f] == expected, "region \(f) of \(testCase)")
        }
        // Neighbours differ in the unit of their edge, and in no other unit unless that unit's input
        // is zero all along the edge (duplicated units, or relu(b) + relu(s) where s is off: its zero
        // set there is b's).
        for edge in engine.topology.edges where edge.faceB >= 0 {
            let a = engine.facePattern[Int(edge.faceA)], b = engine.facePattern[Int(edge.faceB)]
            let unit = engine.plan.patternOffsets[Int(edge.layer) - 1] + Int(edge.neuron)
            let differences = a.differences(from: b)
            #expect(differences.contains(unit), "\(testCase)")
            let others = differences.filter { $0 != unit }
            if others.isEmpty { continue }
            for v in [edge.from, edge.to] {
                let p = engine.exactVertex(v)
                let (inputs, _) = rationalForward(testCase.graph, at: point(p.s, p.t))
                let flat = inputs.flatMap { $0 }
                #expect(others.allSatisfy { flat[$0].signum == 0 }, "units \(others) flip across an edge of unit \(unit) without vanishing on it: \(testCase)")
            }
        }
        let result = engine.makeResult(domain: testCase.domain, seconds: 0)
        #expect(result.vertices.count - result.edges.count + result.regions.count == 1, "Euler's formula")
    }

    @Test func refusesSmoothActivations() throws {
        var smooth = GraphBuilder(inputShape: [2])
        smooth.activation(smooth.dense(0, DenseLayer(inputs: 2, outputs: 2, weights: [1, 0, 0, 1], bias: [0, 0])), .gelu)
        #expect(throws: TesseraError.self) { try slice(graph: smooth.graph, anchors: unitAnchors) }
    }
}

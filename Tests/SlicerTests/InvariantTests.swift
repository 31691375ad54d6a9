import BigInt
import Polytope
import Slicer
import Testing
import TestSupport
@testable import Engine

/// Invariants of the exact partition on seeded random networks, checked with exact arithmetic.
@Suite(.timeLimit(.minutes(20))) struct InvariantTests {
    // The small families; the wide one (exact arithmetic on 24-wide layers) is slow in debug
    // builds and runs in `tessera verify`. Two cases of each family (random four), 24 with `fullTests`.
    static let cases: [VerificationCase] = {
        noteFullTestsOnly("InvariantTests", "cases 10 to 23 of the 24 small-family cases")
        return (0..<40).map { verificationCase($0, seed: 11) }.filter { $0.family != "wide" }.prefix(fullTests ? 24 : 10).map { $0 }
    }()

    @Test(arguments: InvariantTests.cases.indices)
    func areasSumExactlyToTheDomain(index: Int) throws {
        let testCase = Self.cases[index]
        let (engine, _) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        let domain = ConvexPolygon(vertices: (0..<engine.domainCorners.count).map { engine.exactVertex(Int32($0)) })
        var total = Rational.zero
        for face in engine.faces {
            let area = ConvexPolygon(vertices: face.vertices.map { engine.exactVertex($0) }).area
            #expect(area.signum > 0, "every region has positive area, counter-clockwise")
            total = total + area
        }
        #expect(total == domain.area, "\(testCase)")
    }

    /// Every hidden neuron's pre-activation at the plane point (s, t), in exact rational arithmetic.
    static func exactPreActivations(_ testCase: VerificationCase, s: Rational, t: Rational) -> [Rational] {
        let x1 = testCase.anchors[0].map { Rational(Dyadic($0)) }
        let d1 = zip(testCase.anchors[1], testCase.anchors[0]).map { Rational(Dyadic($0)) - Rational(Dyadic($1)) }
        let u = zip(testCase.anchors[2], testCase.anchors[0]).map { Rational(Dyadic($0)) - Rational(Dyadic($1)) }
        var activations = (0..<x1.count).map { x1[$0] + s * d1[$0] + t * u[$0] }
        var preActivations: [Rational] = []
        for layer in testCase.network.layers.dropLast() {
            var next: [Rational] = []
            for j in 0..<layer.outputs {
                var z = Rational(Dyadic(layer.bias[j]))
                for i in 0..<layer.inputs { z = z + Rational(Dyadic(layer.weight(j, i))) * activations[i] }
                preActivations.append(z)
                next.append(z.signum > 0 ? z : z * Rational(Dyadic(testCase.network.activation.negativeSlope)))
            }
            activations = next
        }
        return preActivations
    }

    @Test(arguments: InvariantTests.cases.indices)
    func patternsMatchAnExactForwardPass(index: Int) throws {
        let testCase = Self.cases[index]
        let (engine, _) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        for (f, face) in engine.faces.enumerated() {
            // The vertex average is interior to a convex polygon with positive area.
            let points = face.vertices.map { engine.exactVertex($0) }
            let count = Rational(points.count)
            let s = points.map(\.s).reduce(Rational.zero, +) / count
            let t = points.map(\.t).reduce(Rational.zero, +) / count
            var expected = ActivationPattern(count: engine.totalHidden)
            for (j, z) in Self.exactPreActivations(testCase, s: s, t: t).enumerated() { expected[j] = z.signum > 0 }
            #expect(engine.facePattern[f] == expected, "region \(f) of \(testCase)")
        }
    }

    /// Across an edge, two regions differ in the neuron that made it and otherwise only in neurons whose
    /// zero set holds the whole edge (a duplicated neuron, or a coincident line of any layer), checked
    /// with exact pre-activations at both ends of the edge. Every family, degenerate ones included.
    @Test(arguments: InvariantTests.cases.indices)
    func neighboursDifferOnlyInNeuronsZeroAlongTheirEdge(index: Int) throws {
        let testCase = Self.cases[index]
        let (engine, result) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        var atVertex: [Int32: [Rational]] = [:]
        func preActivations(_ v: Int32) -> [Rational] {
            if let known = atVertex[v] { return known }
            let point = engine.exactVertex(v)
            let values = Self.exactPreActivations(testCase, s: point.s, t: point.t)
            atVertex[v] = values
            return values
        }
        for edge in engine.edges where edge.faceB >= 0 {
            let differing = engine.facePattern[Int(edge.faceA)].differences(from: engine.facePattern[Int(edge.faceB)])
            let maker = engine.patternOffsets[Int(edge.layer) - 1] + Int(edge.neuron)
            #expect(differing.contains(maker), "edge of neuron \(maker) in \(testCase)")
            let (from, to) = (preActivations(edge.from), preActivations(edge.to))
            for j in differing {
                #expect(from[j].signum == 0 && to[j].signum == 0, "neuron \(j) differs across an edge it is not zero on: \(testCase)")
            }
        }
        #expect(result.vertices.count - result.edges.count + result.regions.count == 1, "Euler's formula")
    }

    @Test func certifiedAndExactAgreeOnRandomAndDegenerateFamilies() throws {
        var exactDecisions = 0
        for index in 0..<180 {
            let testCase = verificationCase(index, seed: 3)
            if testCase.family == "wide" && index > 30 { continue }
            #expect(try compareArithmetics(testCase) == nil, "case \(index): \(testCase)")
            let (engine, _) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
            exactDecisions += engine.counts.exact
        }
        // The degenerate families must reach the exact fallback, or the comparison proves little.
        #expect(exactDecisions > 0)
    }
}

import Testing
@testable import Slicer
import Polytope
import BigInt

/// Invariants of the exact partition on seeded random networks, checked with exact arithmetic.
@Suite struct InvariantTests {
    // The small families; the wide one (exact arithmetic on 24-wide layers) is slow in debug
    // builds and runs in `tessera verify`.
    static let cases = (0..<40).map { verificationCase($0, seed: 11) }.filter { $0.family != "wide" }.prefix(24).map { $0 }

    @Test(arguments: 0..<24)
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

    @Test(arguments: 0..<24)
    func patternsMatchAnExactForwardPass(index: Int) throws {
        let testCase = Self.cases[index]
        let (engine, _) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        let x1 = testCase.anchors[0].map { Rational(Dyadic($0)) }
        let d1 = zip(testCase.anchors[1], testCase.anchors[0]).map { Rational(Dyadic($0)) - Rational(Dyadic($1)) }
        let u = zip(testCase.anchors[2], testCase.anchors[0]).map { Rational(Dyadic($0)) - Rational(Dyadic($1)) }
        for (f, face) in engine.faces.enumerated() {
            // The vertex average is interior to a convex polygon with positive area.
            let points = face.vertices.map { engine.exactVertex($0) }
            let count = Rational(points.count)
            let s = points.map(\.s).reduce(Rational.zero, +) / count
            let t = points.map(\.t).reduce(Rational.zero, +) / count
            var activations = (0..<x1.count).map { x1[$0] + s * d1[$0] + t * u[$0] }
            var expected = ActivationPattern(count: engine.totalHidden)
            for k in 0..<engine.hiddenCount {
                let layer = testCase.network.layers[k]
                var next: [Rational] = []
                for j in 0..<layer.outputs {
                    var z = Rational(Dyadic(layer.bias[j]))
                    for i in 0..<layer.inputs { z = z + Rational(Dyadic(layer.weight(j, i))) * activations[i] }
                    expected[engine.patternOffsets[k] + j] = z.signum > 0
                    let slope = z.signum > 0 ? 1 : testCase.network.activation.negativeSlope
                    next.append(z * Rational(Dyadic(slope)))
                }
                activations = next
            }
            #expect(engine.facePattern[f] == expected, "region \(f) of \(testCase)")
        }
    }

    @Test(arguments: 0..<24)
    func neighboursDifferInTheNeuronOfTheirEdge(index: Int) throws {
        // Generic networks only: a duplicated neuron legitimately flips together with its twin.
        let testCase = Self.cases[index]
        guard testCase.family == "random" else { return }
        let (engine, result) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        for edge in engine.edges where edge.faceB >= 0 {
            let a = engine.facePattern[Int(edge.faceA)], b = engine.facePattern[Int(edge.faceB)]
            #expect(a.differences(from: b) == [engine.patternOffsets[Int(edge.layer) - 1] + Int(edge.neuron)])
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

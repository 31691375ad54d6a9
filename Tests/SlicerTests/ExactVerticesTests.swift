import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// The exact vertices recomputed from a finished slice alone (for `slice --exact-vertices`) are the
/// engine's own exact vertices, on random and degenerate networks (zero biases through the origin,
/// duplicated and dead neurons, small integers with many coincident lines).
@Suite(.timeLimit(.minutes(20))) struct ExactVerticesTests {
    static let cases = (0..<30).map { verificationCase($0, seed: 23) }.filter { $0.family != "wide" }.prefix(16).map { $0 }

    @Test(arguments: 0..<16)
    func recomputedVerticesAreTheEnginesExactVertices(index: Int) throws {
        let testCase = Self.cases[index]
        let (engine, result) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        let vertices = try ExactVertices.compute(result, network: testCase.network, anchors: testCase.anchors, domain: testCase.domain)
        #expect(vertices.count == result.vertices.count)
        let rho = try SlicePlane(anchors: testCase.anchors).exactRho()
        for v in vertices.indices {
            let reference = engine.exactVertex(Int32(v))
            // The engine works in the anchor triangle's (s', t'); the export in the orthogonal frame's (s, t).
            #expect(vertices[v].t == reference.t, "\(testCase), vertex \(v)")
            #expect(vertices[v].s == reference.s + reference.t * rho, "\(testCase), vertex \(v)")
        }
    }

    @Test func aSliceFromAnotherDomainIsRejected() throws {
        let testCase = Self.cases[0]
        let (_, result) = try runEngine(testCase.network, anchors: testCase.anchors, domain: .square(scale: 2), arithmetic: .certified)
        #expect(throws: TesseraError.self) {
            try ExactVertices.compute(result, network: testCase.network, anchors: testCase.anchors, domain: .triangle(scale: 1))
        }
    }
}

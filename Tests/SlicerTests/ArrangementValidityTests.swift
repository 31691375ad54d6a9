import Polytope
import Slicer
import Testing
@testable import Engine

/// The arrangement's validity check (`arrangementProblems`): both engines' subdivisions pass it in
/// both arithmetics, and each kind of damage makes it fail.
@Suite struct ArrangementValidityTests {
    static let mlpCases = (0..<24).map { verificationCase($0, seed: 5) }.filter { $0.family != "wide" }.prefix(8).map { $0 }

    @Test(arguments: 0..<8)
    func mlpSubdivisionsAreValid(index: Int) throws {
        let testCase = Self.mlpCases[index]
        for arithmetic in Arithmetic.allCases {
            let (engine, _) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: arithmetic)
            #expect(engine.faces.count > 1, "\(testCase) is cut")
            #expect(engine.arrangementProblems() == [], "\(arithmetic) \(testCase)")
        }
    }

    @Test(arguments: 0..<8)
    func graphSubdivisionsAreValid(index: Int) throws {
        for testCase in [graphVerificationCase(index, seed: 5), maxPoolVerificationCase(index, seed: 5)] {
            for arithmetic in Arithmetic.allCases {
                let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain,
                                                arithmetic: arithmetic, threads: arithmetic == .certified ? 2 : 1, roundRobin: true)
                #expect(engine.arrangementProblems() == [], "\(arithmetic) \(testCase)")
            }
        }
    }

    /// A valid subdivision with several faces, to damage.
    static func subdivision() throws -> Subdivision {
        let testCase = mlpCases.first { (try? runEngine($0.network, anchors: $0.anchors, domain: $0.domain, arithmetic: .certified).0.faces.count) ?? 0 > 4 }!
        return try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified).0
    }

    @Test func aMissingTwinFails() throws {
        let engine = try Self.subdivision()
        let e = engine.faces[0].edges.first { engine.edges[Int($0)].faceB >= 0 }!
        engine.edges[Int(e)].faceB = -1
        #expect(engine.arrangementProblems().contains { $0.hasPrefix("edge \(e) is in the cycles") })
    }

    @Test func aDroppedFaceLeavesEdgesWithoutTheirTwin() throws {
        let engine = try Self.subdivision()
        engine.faces.removeLast()
        #expect(engine.arrangementProblems().contains { $0.contains("is in the cycles of faces") })
    }

    /// Two triangles that share an edge are a disk; two apart are not (V − E + F = 2), though
    /// every edge is in the cycle of the one face it names.
    @Test func twoDisksBreakEuler() {
        func triangle(_ v: [Int32], _ e: [Int32]) -> Face { Face(vertices: v, edges: e) }
        let joined = PlanarTopology(faces: [triangle([0, 1, 2], [0, 1, 2]), triangle([2, 1, 3], [1, 3, 4])],
                                    edges: [Edge(from: 0, to: 1, faceA: 0, faceB: -1, layer: 0, neuron: -1),
                                            Edge(from: 1, to: 2, faceA: 0, faceB: 1, layer: 1, neuron: 0),
                                            Edge(from: 2, to: 0, faceA: 0, faceB: -1, layer: 0, neuron: -1),
                                            Edge(from: 1, to: 3, faceA: 1, faceB: -1, layer: 0, neuron: -1),
                                            Edge(from: 3, to: 2, faceA: 1, faceB: -1, layer: 0, neuron: -1)])
        #expect(joined.topologyProblems() == [])
        let apart = PlanarTopology(faces: [triangle([0, 1, 2], [0, 1, 2]), triangle([3, 4, 5], [3, 4, 5])],
                                   edges: [(0, 1, 0), (1, 2, 0), (2, 0, 0), (3, 4, 1), (4, 5, 1), (5, 3, 1)].map {
                                       Edge(from: $0.0, to: $0.1, faceA: $0.2, faceB: -1, layer: 0, neuron: -1) })
        #expect(apart.topologyProblems() == ["V − E + F = 6 − 6 + 2 = 2, not 1"])
    }

    @Test func aReversedFaceIsNotConvex() throws {
        let engine = try Self.subdivision()
        let face = engine.faces[1]
        let n = face.vertices.count
        // The same cycle clockwise: each edge k then joins vertex k + 1 back to vertex k.
        engine.faces[1] = Face(vertices: face.vertices.reversed(), edges: (0..<n).map { face.edges[(2 * n - 2 - $0) % n] })
        #expect(engine.arrangementProblems().contains { $0.hasPrefix("face 1: vertex") })
    }

    @Test func aVertexOffItsLineFails() throws {
        let engine = try Self.subdivision()
        let e = engine.faces[0].edges.first { engine.edges[Int($0)].layer > 0 }!
        // Give the edge the line of another edge that misses its start.
        let from = engine.exactVertex(engine.edges[Int(e)].from)
        let other = (0..<engine.edges.count).first { engine.exactLine(engine.edgeLines[$0].ref).side(of: from) != 0 }!
        engine.edgeLines[Int(e)] = engine.edgeLines[other]
        #expect(engine.arrangementProblems().contains { $0.contains("is not on the line of edge \(e)") })
    }
}

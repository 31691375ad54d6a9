import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Decision boundaries of degenerate networks, counted by hand. Anchors (0,0), (1,0), (0,1) with
/// `square:2`: the domain is [−0.5, 1.5]² and frame coordinates are (x, y). The graph engine, given
/// each network as a graph, must give the same segments (they share the boundary code).
@Suite(.timeLimit(.minutes(20))) struct DecisionBoundaryTests {
    /// relu(x − 0.5) and relu(0.5 − x): one line, x = 0.5, made twice.
    static let halves: [([Double], Double)] = [([1, 0], -0.5), ([-1, 0], 0.5)]

    func boundary(_ network: Network, _ arithmetic: Arithmetic) throws -> (SliceResult, [(Point2, Point2)]) {
        let (_, result) = try runEngine(network, anchors: unitAnchors, arithmetic: arithmetic)
        // Each segment from its lower end, in order of lower ends.
        func lower(_ p: Point2, _ q: Point2) -> Bool { p.y < q.y || (p.y == q.y && p.x < q.x) }
        func oriented(_ result: SliceResult) -> [(Point2, Point2)] {
            result.boundarySegments.map { lower($0.0, $0.1) ? $0 : ($0.1, $0.0) }.sorted { lower($0.0, $1.0) }
        }
        let viaGraph = try sliceWithGraphEngine(graph: GraphModel(network: network), plane: SlicePlane(anchors: unitAnchors),
                                                options: SliceOptions(domain: .square(scale: 2), arithmetic: arithmetic))
        let (mine, theirs) = (oriented(result), oriented(viaGraph))
        #expect(mine.count == theirs.count && zip(mine, theirs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 },
                "graph engine: \(theirs), MLP engine: \(mine)")
        #expect(viaGraph.regions.map(\.predictedClass) == result.regions.map(\.predictedClass))
        return (result, mine)
    }

    func expectBothArithmeticsAgree(_ network: Network, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let testCase = VerificationCase(network: network, anchors: unitAnchors, domain: .square(scale: 2), family: "hand")
        #expect(try compareArithmetics(testCase) == nil, sourceLocation: sourceLocation)
        let graphCase = GraphVerificationCase(graph: GraphModel(network: network), anchors: unitAnchors, domain: .square(scale: 2), family: "hand")
        #expect(try compareGraphArithmetics(graphCase) == nil, sourceLocation: sourceLocation)
    }

    @Test(arguments: Arithmetic.allCases)
    func boundaryAlongANeuronsLine(arithmetic: Arithmetic) throws {
        // l0 = relu(0.5 − x), l1 = relu(x − 0.5): l1 − l0 = x − 0.5 is zero exactly on the region edge
        // x = 0.5, so the boundary is that whole edge, from (0.5, −0.5) to (0.5, 1.5), and nothing else.
        let network = makeNetwork([Self.halves, [([0, 1], 0), ([1, 0], 0)]])
        let (result, segments) = try boundary(network, arithmetic)
        #expect(result.regions.count == 2)
        #expect(segments.count == 1)
        #expect(segments.first.map { $0.0 == Point2(0.5, -0.5) && $0.1 == Point2(0.5, 1.5) } == true, "\(segments)")
        #expect(Set(result.regions.map(\.predictedClass)) == [0, 1])
        try expectBothArithmeticsAgree(network)
    }

    @Test(arguments: Arithmetic.allCases)
    func classesTiedOnAWholeRegionGoToTheLowerIndex(arithmetic: Arithmetic) throws {
        // l0 = 0, l1 = relu(x − 0.5): the two tie on all of x < 0.5, which is class 0's (as argmax
        // picks the first maximum); class 1 wins on x > 0.5. The boundary is the edge x = 0.5.
        let network = makeNetwork([[([1, 0], -0.5)], [([0], 0), ([1], 0)]])
        let (result, segments) = try boundary(network, arithmetic)
        #expect(result.regions.count == 2)
        #expect(segments.count == 1 && abs(result.boundaryLength - 2) == 0, "\(segments)")
        let left = try #require(result.regions.first { region in region.vertexIndices.allSatisfy { result.vertices[$0].x <= 0.5 } })
        #expect(left.predictedClass == 0)
        // The tied region is one cell of class 0 (before, neither tied class kept a cell).
        #expect(left.classCells.map(\.label) == [0])
        try expectBothArithmeticsAgree(network)
    }

    @Test(arguments: Arithmetic.allCases)
    func singleOutputZeroLineAlongAnEdge(arithmetic: Arithmetic) throws {
        // One output l = relu(x − 0.5) − relu(0.5 − x) = x − 0.5: its zero line is the region edge.
        let network = makeNetwork([Self.halves, [([1, -1], 0)]])
        let (_, segments) = try boundary(network, arithmetic)
        #expect(segments.count == 1 && segments.first.map { $0.0 == Point2(0.5, -0.5) && $0.1 == Point2(0.5, 1.5) } == true, "\(segments)")
        // One output l = relu(x − 0.5): zero on all of x < 0.5 (class 0 there), positive beyond.
        let flat = makeNetwork([[([1, 0], -0.5)], [([1], 0)]])
        let (_, flatSegments) = try boundary(flat, arithmetic)
        #expect(flatSegments.count == 1 && flatSegments.first.map { ($0.1 - $0.0).length == 2 && $0.0.x == 0.5 } == true, "\(flatSegments)")
        try expectBothArithmeticsAgree(network)
        try expectBothArithmeticsAgree(flat)
    }

    @Test(arguments: Arithmetic.allCases)
    func boundaryAlongPartOfAnEdge(arithmetic: Arithmetic) throws {
        // l0 = relu(0.5 − x), l1 = relu(x − 0.5), l2 = relu(y + 1) − 1.75 = y − 0.75 (y + 1 > 0 on the
        // domain, so that neuron cuts nothing): 2 regions. On the edge x = 0.5, l0 = l1 = 0 beat l2 below
        // y = 0.75, so classes 0 | 1 meet along (0.5, −0.5)–(0.5, 0.75); above, class 2 wins on both
        // sides. Inside the regions, l1 = l2 on y = x + 0.25 from (0.5, 0.75) to (1.25, 1.5) and l0 = l2
        // on y = 1.25 − x from (0.5, 0.75) to (−0.25, 1.5). Three segments, length 1.25 + 1.5·√2.
        let network = makeNetwork([Self.halves + [([0, 1], 1)], [([0, 1, 0], 0), ([1, 0, 0], 0), ([0, 0, 1], -1.75)]])
        let (result, segments) = try boundary(network, arithmetic)
        #expect(result.regions.count == 2)
        #expect(segments.count == 3, "\(segments)")
        let edgePiece = segments.first { $0.0.x == 0.5 && $0.1.x == 0.5 }
        #expect(edgePiece.map { $0.0 == Point2(0.5, -0.5) && $0.1 == Point2(0.5, 0.75) } == true, "\(segments)")
        #expect(abs(result.boundaryLength - (1.25 + 1.5 * 2.0.squareRoot())) < 1e-12)
        try expectBothArithmeticsAgree(network)
    }

    @Test(arguments: Arithmetic.allCases)
    func threeClassesTiedAlongOneLineMeetOnce(arithmetic: Arithmetic) throws {
        // One region (relu(y + 1) = y + 1 on the whole domain). With g = y − 0.5: the logits are
        // α·g for α in `slopes` (class order), so class argmin α wins below y = 0.5, argmax α above,
        // and the third class never wins. The boundary is y = 0.5 across the domain: one segment of
        // length 2, whichever classes play which part.
        for slopes in [[1.0, 0, 2], [2, 0, 1], [0, 1, 2], [1, 2, 0], [0, 2, 1]] {
            let network = makeNetwork([[([0, 1], 1)], slopes.map { ([$0], -1.5 * $0) }])
            let (result, segments) = try boundary(network, arithmetic)
            #expect(result.regions.count == 1)
            #expect(segments.count == 1, "slopes \(slopes): \(segments)")
            #expect(segments.first.map { $0.0 == Point2(-0.5, 0.5) && $0.1 == Point2(1.5, 0.5) } == true, "slopes \(slopes): \(segments)")
            try expectBothArithmeticsAgree(network)
        }
    }

    @Test(arguments: Arithmetic.allCases)
    func aWinnerByLessThanTheFloatErrorIsFoundExactly(arithmetic: Arithmetic) throws {
        // One region (relu(x + 2) = x + 2 on the domain); l0 = 0, l1 = 3x + 1. The triangle's corner
        // is x = y = −fl(1/3), where l1 = 1 − 3·fl(1/3) = 2^−54 > 0 exactly but 3x + 1 rounds to 0, so
        // the float argmax ties there and picks class 0. Class 1 wins strictly at every corner, so the
        // region is uniformly class 1 (before, the unconfirmed float guess made it "no strict winner").
        let network = makeNetwork([[([1, 0], 2)], [([0], 0), ([3], -5)]])
        let (engine, result) = try runEngine(network, anchors: unitAnchors, domain: .triangle(scale: 2), arithmetic: arithmetic)
        let corner = engine.vertexRecords[0]
        #expect(corner.s == -(1.0 / 3) && 3 * corner.s + 1 == 0, "the corner the case is built on: \(corner)")
        #expect(result.regions.count == 1)
        #expect(engine.classCells(face: 0).uniform == 1)
        #expect(result.regions.map(\.predictedClass) == [1] && result.boundarySegments.isEmpty)
    }

    @Test func integerNetworksWithNearTiesAgreeInBothArithmetics() throws {
        // Cases of the MLP verify sweep (seed 1) whose logits nearly tie at domain corners: the float
        // argmax at the two arithmetics' vertex coordinates differed, and so did their class cells.
        for index in [3909, 4473] {
            #expect(try compareArithmetics(verificationCase(index, seed: 1)) == nil, "case \(index)")
        }
    }
}

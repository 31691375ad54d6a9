import Foundation
import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Small cases whose counts are worked out by hand. With anchors (0,0), (1,0), (0,1) and
/// `square:2` the domain is [−0.5, 1.5]².
@Suite(.timeLimit(.minutes(20))) struct HandCountTests {
    @Test(arguments: Arithmetic.allCases)
    func threeLinesInGeneralPosition(arithmetic: Arithmetic) throws {
        // y = 0.2, x = 0.3, x + y = 0.9 meet pairwise at (0.3, 0.2), (0.7, 0.2), (0.3, 0.6), all inside:
        // 1 + 3 + 3 = 7 regions; 4 corners + 6 boundary crossings + 3 crossings = 13 vertices; E = V + F − 1.
        let net = makeNetwork([[([0, 1], -0.2), ([1, 0], -0.3), ([1, 1], -0.9)], [([1, 1, 1], 0)]])
        let (_, result) = try runEngine(net, anchors: unitAnchors, arithmetic: arithmetic)
        #expect(result.regions.count == 7)
        #expect(result.vertices.count == 13)
        #expect(result.edges.count == 19)
        #expect(result.layers == [LayerStats(index: 1, neurons: 3, neuronsCut: 3, regions: 7)])
    }

    @Test(arguments: Arithmetic.allCases)
    func kLinesInGeneralPosition(arithmetic: Arithmetic) throws {
        // Lines tangent to a small circle around (0.5, 0.5): every pair meets inside the domain,
        // no three meet in a point, so k lines give 1 + k + k(k−1)/2 regions.
        for k in [1, 2, 5, 8] {
            var rows: [([Double], Double)] = []
            for i in 0..<k {
                let angle = Double(i) * 3.0 / Double(k) + 0.1
                let (c, s) = (Double(Float(cos(angle))), Double(Float(sin(angle))))
                rows.append(([c, s], -(c * 0.5 + s * 0.5) - 0.1))
            }
            let net = makeNetwork([rows, [(Array(repeating: 1, count: k), 0)]])
            let (_, result) = try runEngine(net, anchors: unitAnchors, arithmetic: arithmetic)
            #expect(result.regions.count == 1 + k + k * (k - 1) / 2, "k = \(k)")
            #expect(result.vertices.count - result.edges.count + result.regions.count == 1, "Euler, k = \(k)")
        }
    }

    @Test(arguments: Arithmetic.allCases)
    func twoLayerNetworkByHand(arithmetic: Arithmetic) throws {
        // h = relu(x), relu(y); g = relu(h1 + h2 − 1). Layer 1 makes the 4 quadrants of (0,0).
        // Layer 2: x + y = 1 in the first quadrant, x = 1 where y < 0, y = 1 where x < 0, nothing in the
        // third quadrant: 4 + 3 = 7 regions.
        let net = makeNetwork([[([1, 0], 0), ([0, 1], 0)], [([1, 1], -1)], [([1], 0)]])
        let (_, result) = try runEngine(net, anchors: unitAnchors, arithmetic: arithmetic)
        #expect(result.layers.map(\.regions) == [4, 7])
        #expect(result.layers.map(\.neuronsCut) == [2, 1])
        #expect(result.regions.count == 7)
    }

    @Test(arguments: Arithmetic.allCases)
    func zeroBiasLinesThroughTheOrigin(arithmetic: Arithmetic) throws {
        // n lines through one point give exactly 2n regions.
        var random = TestRandom(seed: 7)
        for n in [2, 3, 6, 11] {
            let rows = (0..<n).map { _ in ([random.uniform(), random.uniform()], 0.0) }
            let net = makeNetwork([rows, [(Array(repeating: 1, count: n), 0)]])
            // A plane through the origin of R⁵ whose anchors are not at the origin.
            let net5 = try Network(layers: [DenseLayer(inputs: 5, outputs: n,
                weights: rows.flatMap { [$0.0[0], $0.0[1], 0.5 * $0.0[0], 0, -$0.0[1]] }, bias: Array(repeating: 0, count: n)),
                net.layers[1]], activation: .relu)
            let anchors: [[Double]] = [[0.25, 0.5, 0.125, 0, -0.5], [-0.5, 0.25, -0.25, 0, -0.25], [0.5, -1, 0.25, 0, 1]]
            let (_, result) = try runEngine(net5, anchors: anchors, arithmetic: arithmetic)
            #expect(result.regions.count == 2 * n, "n = \(n)")
        }
    }

    @Test(arguments: Arithmetic.allCases)
    func lineThroughCorners(arithmetic: Arithmetic) throws {
        // x = y passes through the corners (−0.5, −0.5) and (1.5, 1.5): 2 regions, 4 vertices, 5 edges.
        let net = makeNetwork([[([1, -1], 0)], [([1], 0)]])
        let (_, result) = try runEngine(net, anchors: unitAnchors, arithmetic: arithmetic)
        #expect(result.regions.count == 2)
        #expect(result.vertices.count == 4)
        #expect(result.edges.count == 5)
    }

    @Test(arguments: Arithmetic.allCases)
    func deadAndDuplicatedNeurons(arithmetic: Arithmetic) throws {
        // A dead neuron (zero row, zero bias) and a duplicate of x = 0.3 change nothing.
        let base = makeNetwork([[([0, 1], -0.2), ([1, 0], -0.3)], [([1, 1], 0)]])
        let degenerate = makeNetwork([[([0, 1], -0.2), ([0, 0], 0), ([1, 0], -0.3), ([1, 0], -0.3), ([2, 0], -0.6)],
                                      [([1, 1, 1, 1, 1], 0)]])
        let (_, a) = try runEngine(base, anchors: unitAnchors, arithmetic: arithmetic)
        let (_, b) = try runEngine(degenerate, anchors: unitAnchors, arithmetic: arithmetic)
        #expect(a.regions.count == 4)
        #expect(b.regions.count == 4)
        #expect(b.vertices.count == a.vertices.count)
        #expect(b.layers[0].neuronsCut == 4)
    }
}

@Suite(.timeLimit(.minutes(20))) struct BudgetTests {
    @Test func regionAndMemoryLimitsStopTheSliceWithAClearError() throws {
        var random = TestRandom(seed: 5)
        let network = randomNetwork(widths: [4, 16, 16, 3], activation: .relu, random: &random)
        let anchors = (0..<3).map { _ in (0..<4).map { _ in random.uniform() } }
        #expect(throws: TesseraError.self) { try slice(network: network, anchors: anchors, options: SliceOptions(maxRegions: 3)) }
        do {
            _ = try slice(network: network, anchors: anchors, options: SliceOptions(memoryBudget: 4096))
            Issue.record("a 4 KB budget cannot hold this slice")
        } catch let error as TesseraError {
            #expect(error.description.contains("memory budget"))
        }
        // A generous budget changes nothing.
        let full = try slice(network: network, anchors: anchors)
        #expect(full.regions.count > 3)
    }
}

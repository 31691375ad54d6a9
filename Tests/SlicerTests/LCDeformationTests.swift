import Foundation
import Slicer
import Testing
@testable import Analysis
@testable import Models

/// `lc --deformation` and `lc --layers` in the library: the neighbourhood graph's measures by hand,
/// under a layer that scales the neighbourhood, and graph-model sign counts on explicit vertices.
@Suite(.timeLimit(.minutes(20))) struct LCDeformationTests {
    @Test func eccentricityAndDiameterOfAHandDrawnNeighbourhood() {
        // Vertices 0..3, antipodal pairs (0, 2) and (1, 3) not joined. Edges: 01 = 1, 03 = 5, 12 = 1,
        // 23 = √17. Shortest 0–2: via 1, 2. Shortest 1–3: via 2, 1 + √17 (via 0 it is 6).
        let points: [Double] = [0, 0, 1, 0, 1, 1, 0, 5]
        let (average, diameter) = points.withUnsafeBufferPointer {
            NeighbourhoodDeformation.graphMeasures($0.baseAddress!, vertices: 4, width: 2)
        }
        let root17 = 17.0.squareRoot()
        // Eccentricities: 0 → max(1, 5, 2) = 5; 1 → max(1, 1, 1 + √17); 2 → max(1, √17, 2) = √17; 3 → max(5, √17, 1 + √17).
        let expected = (5 + (1 + root17) + root17 + (1 + root17)) / 4
        #expect(abs(average - expected) <= 1e-12 * expected)
        #expect(abs(diameter - (1 + root17)) <= 1e-12 * diameter)
    }

    /// float32 values near 100 are exact to 2⁻¹⁷ ≈ 8·10⁻⁶: a few of those in the distances.
    @Test(arguments: [(Precision.float64, 1e-12), (.float32, 3e-5)])
    func aLayerThatScalesTheNeighbourhoodScalesItsMeasures(precision: Precision, tolerance: Double) throws {
        // ReLU(3·x + 10) on inputs in [0, 1]: every unit stays positive near x, so the first stage is the
        // input neighbourhood scaled by 3; the second, ReLU(−2·h + 100), by 2 more.
        let d = 6
        let identity = (0..<d * d).map { $0 % (d + 1) == 0 ? 1.0 : 0.0 }
        let network = try Network(layers: [DenseLayer(inputs: d, outputs: d, weights: identity.map { 3 * $0 }, bias: Array(repeating: 10, count: d)),
                                           DenseLayer(inputs: d, outputs: d, weights: identity.map { -2 * $0 }, bias: Array(repeating: 100, count: d)),
                                           DenseLayer(inputs: d, outputs: 2, weights: Array(repeating: 0.5, count: 2 * d), bias: [0, 0])],
                                  activation: .relu)
        let frame = try LCDirections.random(count: 4, dimension: d, seed: 5)
        let samples = (0..<5).map { s in (0..<d).map { Double(($0 + s) % 4) / 4 } }
        let stages = try NeighbourhoodDeformation(model: GraphModel(network: network), directions: frame, precision: precision)
            .measure(samples: samples, radius: 0.01)
        #expect(stages.map(\.index) == [0, 1, 2])
        let base = 2 * 2.0.squareRoot() * 0.01
        for (stage, factor) in zip(stages, [1.0, 3.0, 6.0]) {
            #expect(abs(stage.eccentricity.mean - factor * base) <= tolerance, "\(precision) \(stage)")
            #expect(abs(stage.diameter.mean - factor * base) <= tolerance, "\(precision) \(stage)")
            #expect(stage.eccentricity.std <= tolerance)
        }
    }

    @Test func graphSignCountsOnVerticesEqualTheMLPCounts() throws {
        var random = TestRandom(seed: 9)
        let network = randomNetwork(widths: [5, 16, 16, 3], activation: .relu, random: &random)
        for _ in 0..<20 {
            let vertices = (0..<4).map { _ in (0..<5).map { _ in random.uniform() } }
            #expect(try signChangeCounts(model: GraphModel(network: network), vertices: vertices) == signChangeCounts(network: network, vertices: vertices))
        }
    }

    @Test func layerSelectionByNameAndIndex() throws {
        var random = TestRandom(seed: 4)
        let network = randomNetwork(widths: [5, 8, 8, 8, 2], activation: .relu, random: &random)
        let layers = LCLayer.layers(of: GraphModel(network: network), includeOutput: false, maxPoolWindows: false)
        // An MLP's ReLUs are nodes "1", "3", "5": a number is the layer index, never a node name.
        #expect(layers.map(\.name) == ["1", "3", "5"])
        #expect(try LCLayerSelection(parsing: "3, 1").resolve(layers) == [2, 0])
        #expect(throws: TesseraError.self) { try LCLayerSelection(parsing: "4").resolve(layers) }
        #expect(throws: TesseraError.self) { try LCLayerSelection(parsing: "2,2").resolve(layers) }
        #expect(throws: TesseraError.self) { try LCLayerSelection(parsing: " , ") }
        let result = LCResult(radius: 0.1, counts: [[1, 2, 3], [4, 5, 6]], layers: 3)
        #expect(result.keeping([2, 0]) == LCResult(radius: 0.1, counts: [[3, 1], [6, 4]], layers: 2))
    }
}

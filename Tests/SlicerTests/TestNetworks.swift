import Polytope
import Slicer
@testable import Engine
@testable import Models

/// A network from explicit rows: each layer a list of (weights, bias).
func makeNetwork(_ layers: [[([Double], Double)]], activation: Activation = .relu) -> Network {
    let dense = layers.map { rows in
        DenseLayer(inputs: rows[0].0.count, outputs: rows.count, weights: rows.flatMap { $0.0 }, bias: rows.map { $0.1 })
    }
    return try! Network(layers: dense, activation: activation)
}

/// The plane z = 0 of R² itself: anchors (0,0), (1,0), (0,1), so (s, t) = (x, y).
let unitAnchors: [[Double]] = [[0, 0], [1, 0], [0, 1]]

/// A deterministic generator for test networks.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [−1, 1), rounded to a float32 value (as real checkpoints are).
    mutating func uniform() -> Double { Double(Float(Double(next() >> 11) * 0x1p-53 * 2 - 1)) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
}

/// A random MLP with the given widths (inputs first), float32-valued weights.
func randomNetwork(widths: [Int], activation: Activation, random: inout TestRandom, biasScale: Double = 0.3) -> Network {
    var layers: [DenseLayer] = []
    for (inputs, outputs) in zip(widths, widths.dropFirst()) {
        let scale = 1 / Double(inputs).squareRoot()
        let weights = (0..<(inputs * outputs)).map { _ in Double(Float(random.uniform() * scale)) }
        let bias = (0..<outputs).map { _ in Double(Float(random.uniform() * biasScale)) }
        layers.append(DenseLayer(inputs: inputs, outputs: outputs, weights: weights, bias: bias))
    }
    return try! Network(layers: layers, activation: activation)
}

/// Runs the engine and returns it (for structural checks) with its result.
func runEngine(_ network: Network, anchors: [[Double]], domain: DomainSpec = .square(scale: 2),
               arithmetic: Arithmetic) throws -> (Subdivision, SliceResult) {
    let plane = try SlicePlane(anchors: anchors)
    let engine = try Subdivision(network: network, plane: plane, arithmetic: arithmetic, maxRegions: 1_000_000)
    engine.setUpDomain(try domain.corners(plane: plane))
    try engine.run()
    return (engine, engine.makeResult(domain: domain, seconds: 0))
}

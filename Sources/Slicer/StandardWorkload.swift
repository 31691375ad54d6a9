import Foundation

/// SplitMix64: a small seeded generator, identical on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1p-53), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// SPEC §7's engine workload: a He-initialised ReLU MLP with biases N(0, 0.1²) and three anchors
/// uniform in [0,1]^D, all float32-valued and seeded.
public func standardWorkload(widths: [Int] = [784, 200, 200, 200, 200, 10], seed: UInt64 = 0) throws -> (network: Network, anchors: [[Double]]) {
    var random = SeededGenerator(seed: seed)
    var layers: [DenseLayer] = []
    for (inputs, outputs) in zip(widths, widths.dropFirst()) {
        let std = (2 / Double(inputs)).squareRoot()
        let weights = (0..<(inputs * outputs)).map { _ in Double(Float(random.normal() * std)) }
        let bias = (0..<outputs).map { _ in Double(Float(random.normal() * 0.1)) }
        layers.append(DenseLayer(inputs: inputs, outputs: outputs, weights: weights, bias: bias))
    }
    let anchors = (0..<3).map { _ in (0..<widths[0]).map { _ in Double(Float(random.uniform())) } }
    return (try Network(layers: layers, activation: .relu), anchors)
}

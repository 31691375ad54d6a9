import Foundation
import Models

extension SeededGenerator {
    /// Standard normal by Box–Muller with u1 clamped away from 0 (the workload's own stream).
    mutating func workloadNormal() -> Double {
        let u1 = max(nextUnit(), 0x1p-53), u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// The standard engine workload: a He-initialised ReLU MLP (784→200→200→200→200→10 by default) with
/// biases N(0, 0.1²) and three anchors uniform in [0,1]^D, all float32-valued and seeded.
public func standardWorkload(widths: [Int] = [784, 200, 200, 200, 200, 10], seed: UInt64 = 0) throws -> (network: Network, anchors: [[Double]]) {
    var random = SeededGenerator(seed: seed)
    var layers: [DenseLayer] = []
    for (inputs, outputs) in zip(widths, widths.dropFirst()) {
        let std = (2 / Double(inputs)).squareRoot()
        let weights = (0..<(inputs * outputs)).map { _ in Double(Float(random.workloadNormal() * std)) }
        let bias = (0..<outputs).map { _ in Double(Float(random.workloadNormal() * 0.1)) }
        layers.append(DenseLayer(inputs: inputs, outputs: outputs, weights: weights, bias: bias))
    }
    let anchors = (0..<3).map { _ in (0..<widths[0]).map { _ in Double(Float(random.nextUnit())) } }
    return (try Network(layers: layers, activation: .relu), anchors)
}

import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Batch norm's scale γ/√(σ²+ε) is the correctly rounded float64 (round to nearest, ties to even).
@Suite(.timeLimit(.minutes(20))) struct BatchNormFoldingTests {
    /// The exact sign of y² (σ² + ε) − γ² for y ≥ 0, γ > 0: where y lies relative to γ/√(σ² + ε).
    func side(_ y: Dyadic, gamma: Double, variance: Double, epsilon: Double) -> Int {
        (y * y * (Dyadic(variance) + Dyadic(epsilon)) - Dyadic(gamma) * Dyadic(gamma)).signum
    }

    @Test func theScaleIsTheNearestFloat64() {
        var random = SeededGenerator(seed: 7)
        var naiveDiffers = 0
        for _ in 0..<4000 {
            let gamma = Double(Float(random.nextUnit() * 4 + 1e-3)), variance = Double(Float(random.nextUnit() * random.nextUnit() * 9))
            let epsilon = Double(Float(1e-5))
            let y = BatchNormFolding.scale(gamma: gamma, variance: variance, epsilon: epsilon)!
            // g/√D lies between the midpoints from y to its neighbours: y is a nearest float64.
            let below = (Dyadic(y.nextDown) + Dyadic(y)).scaled(byPowerOfTwo: -1)
            let above = (Dyadic(y) + Dyadic(y.nextUp)).scaled(byPowerOfTwo: -1)
            #expect(side(below, gamma: gamma, variance: variance, epsilon: epsilon) <= 0, "\(gamma), \(variance)")
            #expect(side(above, gamma: gamma, variance: variance, epsilon: epsilon) >= 0, "\(gamma), \(variance)")
            #expect(BatchNormFolding.scale(gamma: -gamma, variance: variance, epsilon: epsilon) == -y)
            if y != gamma / (variance + epsilon).squareRoot() { naiveDiffers += 1 }
        }
        // Dividing by a rounded square root of a rounded sum is off by an ulp often enough to matter.
        #expect(naiveDiffers > 100)
    }

    @Test func exactCasesAndTies() {
        // √(σ² + ε) exact: γ/2 exactly.
        #expect(BatchNormFolding.scale(gamma: 3, variance: 4, epsilon: 0) == 1.5)
        #expect(BatchNormFolding.scale(gamma: 0, variance: 1, epsilon: 1e-5) == 0)
        #expect(BatchNormFolding.scale(gamma: 1, variance: 0, epsilon: 0) == nil)
        #expect(BatchNormFolding.scale(gamma: 1, variance: -1, epsilon: 1e-5) == nil)
        #expect(BatchNormFolding.scale(gamma: .nan, variance: 1, epsilon: 1e-5) == nil)
        // 1/√2 = 0.70710678118654752440…: its float64 neighbours are 0x3FE6A09E667F3BCC (below) and …BCD.
        #expect(BatchNormFolding.scale(gamma: 1, variance: 2, epsilon: 0) == Double(bitPattern: 0x3FE6_A09E_667F_3BCD))
        // The shift is β − scale·μ rounded once: 1 − (1 + 2⁻³⁰)² = −2⁻²⁹ − 2⁻⁶⁰ exactly (rounding the
        // product first would lose the 2⁻⁶⁰).
        #expect(BatchNormFolding.shift(beta: 1, scale: 1 + 0x1p-30, mean: 1 + 0x1p-30) == -(0x1p-29 + 0x1p-60))
    }
}

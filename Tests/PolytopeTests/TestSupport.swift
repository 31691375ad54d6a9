import BigInt
@testable import Polytope

/// A seeded generator (SplitMix64), so every case is reproducible.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    /// A big integer of exactly `bits` significant bits (bits ≥ 1), with a random sign.
    mutating func bigInt(bits: Int) -> BigInt {
        var magnitude = BigUInt(1)
        for _ in 1..<bits { magnitude = magnitude << 1 | BigUInt(next() & 1) }
        return next() & 1 == 0 ? BigInt(magnitude) : -BigInt(magnitude)
    }

    /// A finite Double with a random bit pattern (subnormals and extremes included).
    mutating func double() -> Double {
        while true {
            let value = Double(bitPattern: next())
            if value.isFinite { return value }
        }
    }
}

/// The exact value m·2^e.
func exactValue(_ m: BigInt, _ e: Int) -> Rational { Rational(Dyadic(mantissa: m, exponent: e)) }

/// The exact value of a finite Double.
func exactValue(_ x: Double) -> Rational { Rational(Dyadic(x)) }

/// |approximation − exact| ≤ relative·|exact| + absolute, decided exactly.
func within(_ approximation: Double, of exact: Rational, relative: Double, absolute: Double = 0) -> Bool {
    guard approximation.isFinite else { return false }
    var error = exactValue(approximation) - exact
    if error.signum < 0 { error = -error }
    var magnitude = exact
    if magnitude.signum < 0 { magnitude = -magnitude }
    return !(exactValue(relative) * magnitude + exactValue(absolute) < error)
}

/// 2^-1074, the smallest subnormal: the absolute error of any rounding into the subnormal range.
let smallestSubnormal = Double.leastNonzeroMagnitude

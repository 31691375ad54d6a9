import BigInt
import Polytope

/// The value of every unit of one tensor on one face, as affine functions a·s + b·t + c of the plane
/// coordinates, in floating point: `rows` holds the a-row, the b-row and the c-row, `count` each.
struct FloatValueMap {
    var count: Int
    var rows: [Double]
    /// Scratch an operation may keep between updates (a dense layer's partial sums); empty when unused.
    var partials: [Double] = []

    init(count: Int, rows: [Double]) { self.count = count; self.rows = rows }
    init(zeros count: Int) { self.count = count; rows = [Double](repeating: 0, count: 3 * count) }
}

/// A face-independent bound on a value's float maps: for every face, every unit u and row r,
/// |m̃ − m| ≤ error[r·count + u] (m̃ computed, m exact) and |m̃| ≤ magnitude[r·count + u].
struct ValueBound {
    var count: Int
    var error: [Double]
    var magnitude: [Double]

    init(count: Int, error: [Double], magnitude: [Double]) { self.count = count; self.error = error; self.magnitude = magnitude }
}

/// The same value exactly: unit u is lines[u] / denominator, with a positive integer denominator
/// common to the tensor (an average pool's 1/k stays an integer weight and a larger denominator, so
/// all arithmetic stays dyadic). A positive denominator changes neither signs nor zero sets.
struct ExactValueMap {
    var lines: [ExactLine]
    var denominator: BigInt
}

extension BigInt {
    /// The integer as a dyadic number.
    var dyadic: Dyadic { Dyadic(mantissa: self, exponent: 0) }

    /// The least common multiple of two positive integers.
    func leastCommonMultiple(with other: BigInt) -> BigInt {
        self / BigInt(magnitude.greatestCommonDivisor(with: other.magnitude)) * other
    }
}

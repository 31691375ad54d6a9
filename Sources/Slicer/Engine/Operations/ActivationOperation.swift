import Models
import Polytope

/// A piecewise-affine activation (ReLU, leaky ReLU, Abs): unit u's output is its input times the
/// slope of its side, 1 where the input is positive and `negativeSlope` elsewhere. It splits faces
/// by each input unit's zero line; once a face's pattern is fixed it is affine.
struct ActivationOperation: Sendable {
    let activation: Activation
    let count: Int

    var negativeSlope: Double { activation.negativeSlope }
    /// The largest |slope|.
    var maxSlope: Double { max(1, abs(negativeSlope)) }

    /// Output rows: each input row scaled by the slope the pattern gives (bit set: positive side).
    func apply(_ input: FloatValueMap, pattern: ActivationPattern, offset: Int) -> FloatValueMap {
        var rows = input.rows
        let n = count, alpha = negativeSlope
        for u in 0..<n where !pattern[offset + u] {
            rows[u] *= alpha; rows[n + u] *= alpha; rows[2 * n + u] *= alpha
        }
        return FloatValueMap(count: n, rows: rows)
    }

    /// Bound of `apply`: |fl(σ m̃) − σ m| ≤ |σ||m̃ − m| + u|σ m̃|, so E_y = s·E + u·s·B and
    /// B_y = (1 + u)·s·B with s the largest |slope| (the u terms vanish for slopes 0 and ±1, and are
    /// kept anyway).
    func bound(_ input: ValueBound) -> ValueBound {
        let s = maxSlope
        return ValueBound(count: count,
                          error: zip(input.error, input.magnitude).map { scaledError($0, magnitude: $1, scale: s) },
                          magnitude: input.magnitude.map { scaledMagnitude($0, scale: s) })
    }

    /// The exact output: the same denominator, each line times its slope.
    func apply(_ input: ExactValueMap, pattern: ActivationPattern, offset: Int) -> ExactValueMap {
        let alpha = Dyadic(negativeSlope)
        var lines = input.lines
        for u in 0..<count where !pattern[offset + u] {
            let line = lines[u]
            lines[u] = ExactLine(a: (alpha * line.a).normalized(), b: (alpha * line.b).normalized(), c: (alpha * line.c).normalized())
        }
        return ExactValueMap(lines: lines, denominator: input.denominator)
    }
}

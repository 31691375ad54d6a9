import Polytope

/// The orthonormal-frame lengths of an anchor triangle, from the exact differences d1 = x2 − x1 and
/// u = x3 − x1: |d1|, the e1-component of u, and the triangle's height |d1 × u|/|d1|.
///
/// The dot products d1·d1, d1·u, u·u and the Gram determinant d1·d1 u·u − (d1·u)² are exact dyadics,
/// so the plane is degenerate exactly when the determinant is zero (collinear or repeated anchors),
/// whatever the anchors' magnitudes; the lengths are then rounded from those exact values in a
/// (significand, exponent) form that cannot overflow or underflow on the way.
struct PlaneFrame {
    var length1: Double
    var uAlong: Double
    var height: Double
    var collinear: Bool

    init(anchors: [[Double]]) {
        let x1 = anchors[0].map(Dyadic.init)
        let d1 = zip(anchors[1], x1).map { Dyadic($0) - $1 }, u = zip(anchors[2], x1).map { Dyadic($0) - $1 }
        var dd = Dyadic.zero, du = Dyadic.zero, uu = Dyadic.zero
        for i in d1.indices {
            dd += d1[i] * d1[i]
            du += d1[i] * u[i]
            uu += u[i] * u[i]
        }
        let gram = (dd * uu - du * du).normalized()
        collinear = gram.isZero
        guard !collinear else { length1 = 0; uAlong = 0; height = 0; return }
        let lengthSquared = WideDouble(dd)
        let length = lengthSquared.squareRoot()
        length1 = length.value
        uAlong = (WideDouble(du) / length).value
        height = (WideDouble(gram) / lengthSquared).squareRoot().value
    }
}

/// f·2^e with a Double f in [1, 2) (or 0) and an unbounded exponent: a rounded real number that
/// neither overflows nor underflows until `value` is taken.
struct WideDouble {
    var significand: Double
    var exponent: Int

    init(significand: Double, exponent: Int) {
        if significand == 0 || !significand.isFinite { self.significand = significand; self.exponent = 0; return }
        self.significand = Double(sign: significand.sign, exponent: 0, significand: significand.significand)
        self.exponent = exponent + Int(significand.exponent)
    }

    /// The nearest such number to a dyadic (from its top 64 bits: within one ulp).
    init(_ x: Dyadic) {
        let x = x.normalized()
        guard !x.isZero else { self.init(significand: 0, exponent: 0); return }
        let magnitude = x.mantissa.magnitude
        let shift = magnitude.bitWidth - 64
        let top = Double(UInt64(shift >= 0 ? magnitude >> shift : magnitude << -shift))
        self.init(significand: x.signum < 0 ? -top : top, exponent: shift + x.exponent)
    }

    /// f·2^e rounded to a Double: ±infinity beyond float64's range, subnormal or zero below it.
    var value: Double {
        // Two steps, so that an exponent far outside Int32 still saturates cleanly.
        let e = max(-4000, min(4000, exponent))
        return Double(sign: significand.sign, exponent: e, significand: Swift.abs(significand))
    }

    static func / (a: WideDouble, b: WideDouble) -> WideDouble {
        WideDouble(significand: a.significand / b.significand, exponent: a.exponent - b.exponent)
    }

    /// The square root of a non-negative number.
    func squareRoot() -> WideDouble {
        // Make the exponent even so it halves exactly.
        let odd = exponent & 1 != 0
        return WideDouble(significand: (odd ? 2 * significand : significand).squareRoot(),
                          exponent: (odd ? exponent - 1 : exponent) / 2)
    }
}

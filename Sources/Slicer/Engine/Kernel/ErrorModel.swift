/// The error model of every float filter in the engine, stated once: the unit roundoff, Higham's γ
/// constants, how a computed bound is made an upper bound of the real one, and the bounds of an
/// affine form's value and of a difference of two rows. The sign kernel (`SignKernel`) and the
/// maps' bound propagation use these; no other bound is written by hand in a predicate.

/// Unit roundoff of Double (round to nearest).
let unitRoundoff = 0x1p-53

/// γ_n = n·u / (1 − n·u), Higham's bound for the relative error of an n-term dot product
/// computed in any order (with or without fused multiply-add): |fl(Σ xᵢyᵢ) − Σ xᵢyᵢ| ≤ γ_n Σ|xᵢyᵢ|.
func gamma(_ n: Int) -> Double {
    let nu = Double(n) * unitRoundoff
    return nu / (1 - nu)
}

/// γ₃: the rounding of a s + b t + c.
let gamma3 = gamma(3)

/// Every bound below is itself computed in floating point from non-negative terms, so its computed
/// value is below the true real bound by a relative amount of at most γ_k for the k ≤ 16 operations
/// involved, plus absolute underflow errors of at most 2^−1074 per operation. Multiplying by
/// `boundSafety` (1 + 2^−20, far above γ_16 ≈ 1.8e−15) and adding `boundFloor` (far above 16·2^−1074)
/// makes each computed bound an upper bound of the real one.
let boundSafety = 1 + 0x1p-20
let boundFloor = 0x1p-1000

/// A bound on the error of the float value ã s̃ + b̃ t̃ + c̃ of an affine form whose coefficients are
/// within (ea, eb, ec) of the true ones, at a point within `delta` of the true point in both
/// coordinates, where |s̃| ≤ `s` and |t̃| ≤ `t` (the point's own, or their maxima over a face).
///
/// |ã s̃ − a s| ≤ ea|s̃| + (|ã| + ea)δ (likewise for t), the constant adds ec, and the three-term sum
/// adds at most γ₃(|ã s̃| + |b̃ t̃| + |c̃|) of rounding, in any evaluation order, fused or not.
@inline(__always)
func affineFormBound(a: Double, b: Double, c: Double, ea: Double, eb: Double, ec: Double,
                     s: Double, t: Double, delta: Double) -> Double {
    (ea * s + eb * t + ec + (abs(a) + ea + abs(b) + eb) * delta + gamma3 * (abs(a) * s + abs(b) * t + abs(c)))
        * boundSafety + boundFloor
}

/// A bound on the error of d = fl(x̃ − ỹ) for x̃, ỹ within ex, ey of x, y:
/// |fl(x̃ − ỹ) − (x − y)| ≤ ex + ey + u·|d|, since fl(x̃ − ỹ) = (x̃ − ỹ)(1 + θ) with |θ| ≤ u.
@inline(__always)
func differenceBound(_ ex: Double, _ ey: Double, difference d: Double) -> Double {
    (ex + ey + unitRoundoff * abs(d)) * boundSafety
}

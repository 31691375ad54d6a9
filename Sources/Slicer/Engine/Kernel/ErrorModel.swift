/// The error model of every float filter in the engine, stated once: the unit roundoff, Higham's γ
/// constants, how a computed bound is made an upper bound of the real one, and the bounds of
/// roundings, dot products, scalings, products, quotients, affine forms and differences. The sign
/// kernel, the maps' bound propagation, the domain screen and the thread merge call these; no bound
/// is written by hand anywhere else in the engine.

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

/// A bound computed in floating point from non-negative terms, made an upper bound of the real one
/// (times `boundSafety`, plus `boundFloor`; see above).
@inline(__always)
func certifiedBound(_ computed: Double) -> Double {
    computed * boundSafety + boundFloor
}

/// A bound raised by `boundFloor`, for bounds whose computation may underflow.
@inline(__always)
func floored(_ bound: Double) -> Double {
    bound + boundFloor
}

/// k·u·m: k unit roundoffs of a non-negative magnitude m. One rounding of a value x̃ = fl(x) errs by
/// at most u|x| ≤ u(1 + u)|x̃| ≤ 2u|x̃|, so 2 per rounding covers it with the O(u²) term; a conversion
/// within two ulps errs by at most 2·2u|x̃| (k = 4). Each caller says which roundings its k counts.
@inline(__always)
func roundingError(units k: Int, of magnitude: Double) -> Double {
    Double(k) * unitRoundoff * magnitude
}

/// The error of a Double converted (or approximated) from an exact number within two ulps:
/// 2 ulp(x̃) ≤ 4u|x̃|.
@inline(__always)
func conversionError(of magnitude: Double) -> Double {
    roundingError(units: 4, of: magnitude)
}

/// The error of an input coefficient x̃: `boundFloor` when it is exact, else one rounding
/// (2u|x̃|, see `roundingError`) plus the floor.
@inline(__always)
func inputError(of x: Double, rounded: Bool) -> Double {
    floored(rounded ? roundingError(units: 2, of: abs(x)) : 0)
}

/// Higham's dot-product bound: for y = Σ wᵢx̃ᵢ + b over t terms with exact weights and bias and inputs
/// within Eᵢ of the true xᵢ, |fl(y) − (Σ wᵢxᵢ + b)| ≤ Σ|wᵢ|Eᵢ + γ(Σ|wᵢ||x̃ᵢ| + |b|), in any summation
/// order, fused or not; `gamma` is γ_{t+1} or larger (γ_{t+2} when a division by k follows).
/// `propagated` is Σ|wᵢ|Eᵢ and `magnitude` Σ|wᵢ||x̃ᵢ| + |b|.
@inline(__always)
func dotProductError(propagated: Double, magnitude: Double, gamma g: Double) -> Double {
    propagated + g * magnitude
}

/// A bound on |fl(y)| for the dot product of `dotProductError`: (1 + γ)(Σ|wᵢ||x̃ᵢ| + |b|).
@inline(__always)
func dotProductMagnitude(_ magnitude: Double, gamma g: Double) -> Double {
    (1 + g) * magnitude
}

/// The error of fl(σ m̃) for a slope |σ| ≤ s and m̃ within E of m with |m̃| ≤ B:
/// |fl(σ m̃) − σ m| ≤ |σ||m̃ − m| + u|σ m̃| ≤ s·E + u·s·B (certified).
@inline(__always)
func scaledError(_ error: Double, magnitude: Double, scale s: Double) -> Double {
    certifiedBound(s * error + unitRoundoff * s * magnitude)
}

/// A bound on |fl(σ m̃)| for |σ| ≤ s and |m̃| ≤ B: (1 + u)·s·B (certified).
@inline(__always)
func scaledMagnitude(_ magnitude: Double, scale s: Double) -> Double {
    certifiedBound((1 + unitRoundoff) * s * magnitude)
}

/// For a product x·y of values known to within ex, ey: |x̃ỹ − xy| ≤ ex|ỹ| + |x̃|ey + ex·ey, plus 2u|x̃ỹ|
/// for its rounding and that of the difference it enters (`determinantError`).
@inline(__always)
func productError(_ x: Double, _ ex: Double, _ y: Double, _ ey: Double) -> Double {
    ex * abs(y) + abs(x) * ey + ex * ey + roundingError(units: 2, of: abs(x * y))
}

/// The error of fl(x₁y₁ − x₂y₂), each factor known to within its bound: the two products' errors
/// (`productError`), times `boundSafety` for the rounding of the bound itself.
@inline(__always)
func determinantError(_ x1: Double, _ ex1: Double, _ y1: Double, _ ey1: Double,
                      minus x2: Double, _ ex2: Double, _ y2: Double, _ ey2: Double) -> Double {
    (productError(x1, ex1, y1, ey1) + productError(x2, ex2, y2, ey2)) * boundSafety
}

/// The error of q̃ = fl(Ñ/W̃) for Ñ, W̃ within eN, eW of N, W, where `margin` = |W̃| − eW > 0:
/// |Ñ/W̃ − N/W| ≤ (eN + |Ñ/W̃|·eW)/(|W̃| − eW), plus u|q̃| for the division.
@inline(__always)
func quotientError(numeratorError eN: Double, denominatorError eW: Double, quotient q: Double, margin: Double) -> Double {
    (eN + abs(q) * eW) / margin + unitRoundoff * abs(q)
}

/// A sum of bounded errors ex + ey, times `boundSafety` for the rounding of the sum and of the
/// one difference it is compared with (the caller's d ≤ (x̃ − ỹ)(1 + u)).
@inline(__always)
func sumError(_ ex: Double, _ ey: Double) -> Double {
    (ex + ey) * boundSafety
}

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

/// Unit roundoff of Double (round to nearest).
let unitRoundoff = 0x1p-53

/// γ_n = n·u / (1 − n·u), Higham's bound for the relative error of an n-term dot product
/// computed in any order (with or without fused multiply-add): |fl(Σ xᵢyᵢ) − Σ xᵢyᵢ| ≤ γ_n Σ|xᵢyᵢ|.
func gamma(_ n: Int) -> Double {
    let nu = Double(n) * unitRoundoff
    return nu / (1 - nu)
}

/// Every bound below is itself computed in floating point from non-negative terms, so its computed
/// value is below the true real bound by a relative amount of at most γ_k for the k ≤ 16 operations
/// involved, plus absolute underflow errors of at most 2^−1074 per operation. Multiplying by
/// `boundSafety` (1 + 2^−20, far above γ_16 ≈ 1.8e−15) and adding `boundFloor` (far above 16·2^−1074)
/// makes each computed bound an upper bound of the real one.
let boundSafety = 1 + 0x1p-20
let boundFloor = 0x1p-1000

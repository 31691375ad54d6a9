import Polytope

/// Batch normalisation folded to a per-channel affine map y = scale·x + shift, with every number a
/// float64 rounded once: scale the correctly rounded value of γ/√(σ² + ε) (round to nearest, ties
/// to even; it is irrational in general), shift the correctly rounded β − scale·μ (one fused
/// multiply-add). The network sliced exactly is the one with these float64 numbers.
package enum BatchNormFolding {
    /// γ/√(σ² + ε) rounded once to the nearest float64, or nil when σ² + ε is not positive or the
    /// result is not a finite normal number.
    ///
    /// Decided exactly: with D = σ² + ε (an exact binary fraction) and g = |γ|, a non-negative y lies
    /// below g/√D exactly when y²·D < g². A float estimate is within a few ulps; it is moved up or
    /// down until g/√D lies between the midpoints to its neighbours.
    package static func scale(gamma: Double, variance: Double, epsilon: Double) -> Double? {
        guard gamma.isFinite, variance.isFinite, epsilon.isFinite else { return nil }
        let d = Dyadic(variance) + Dyadic(epsilon)
        guard d.signum > 0 else { return nil }
        if gamma == 0 { return 0 }
        let g = Dyadic(abs(gamma)), gg = g * g
        var y = abs(gamma) / d.doubleValue.squareRoot()
        guard y.isNormal, y < Double.greatestFiniteMagnitude / 4 else { return nil }
        /// The sign of y² D − g²: the side of y relative to g/√D.
        func side(_ y: Dyadic) -> Int { (y * y * d - gg).signum }
        func midpoint(_ a: Double, _ b: Double) -> Dyadic { (Dyadic(a) + Dyadic(b)).scaled(byPowerOfTwo: -1) }
        while side(midpoint(y, y.nextUp)) < 0 { y = y.nextUp }
        while side(midpoint(y.nextDown, y)) > 0 { y = y.nextDown }
        // A tie with a midpoint goes to the even neighbour.
        if side(midpoint(y, y.nextUp)) == 0, y.bitPattern & 1 == 1 { y = y.nextUp }
        if side(midpoint(y.nextDown, y)) == 0, y.bitPattern & 1 == 1 { y = y.nextDown }
        guard y.isNormal else { return nil }
        return gamma < 0 ? -y : y
    }

    /// β − scale·μ rounded once.
    package static func shift(beta: Double, scale: Double, mean: Double) -> Double {
        beta.addingProduct(-scale, mean)
    }
}

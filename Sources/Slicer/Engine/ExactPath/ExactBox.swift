import BigInt
import Polytope

/// An axis-parallel box around a convex polygon, with corners on the grid 2^−shift: a line that
/// does not meet the box does not meet the polygon. Its corners are the polygon's exact vertex
/// coordinates rounded outward (floor and ceiling of exact integer quotients), so the test is exact
/// arithmetic throughout; it only saves evaluating the line at every vertex.
struct ExactBox {
    /// Coordinates times 2^shift.
    var sLow: Int64, sHigh: Int64, tLow: Int64, tHigh: Int64
    let shift: Int

    /// The grid for a domain: every coordinate of the domain times 2^shift stays below 2^61 in
    /// magnitude (so do the coordinates of every point inside it); nil for a domain too large.
    static func shift(corners: [(s: Double, t: Double)]) -> Int? {
        let largest = corners.map { max(abs($0.s), abs($0.t)) }.max() ?? 0
        guard largest > 0, largest.isFinite else { return nil }
        let shift = 61 - (Int(largest.exponent) + 1)
        return shift >= 0 ? shift : nil
    }

    /// The box of these points (nil when a coordinate is out of the grid's range).
    init?(_ points: [ExactPoint], shift: Int) {
        self.shift = shift
        sLow = .max; sHigh = .min; tLow = .max; tHigh = .min
        for p in points {
            guard let s = ExactBox.bounds(p.x, over: p.w, shift: shift), let t = ExactBox.bounds(p.y, over: p.w, shift: shift) else { return nil }
            sLow = min(sLow, s.floor); sHigh = max(sHigh, s.ceiling)
            tLow = min(tLow, t.floor); tHigh = max(tHigh, t.ceiling)
        }
    }

    /// Floor and ceiling of (x / w)·2^shift, w > 0, when within ±2^62.
    static func bounds(_ x: Dyadic, over w: Dyadic, shift: Int) -> (floor: Int64, ceiling: Int64)? {
        let k = x.exponent - w.exponent + shift
        let numerator = k >= 0 ? x.mantissa << k : x.mantissa
        let denominator = k >= 0 ? w.mantissa : w.mantissa << (-k)
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        let floor = r.sign == .minus && !r.isZero ? q - 1 : q
        let ceiling = !r.isZero && r.sign == .plus ? q + 1 : q
        let limit = BigInt(1) << 62
        guard floor > -limit, ceiling < limit else { return nil }
        return (Int64(floor), Int64(ceiling))
    }
}

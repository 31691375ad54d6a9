import Polytope

/// Strip `index` (1-based) of `count`: the part of the domain whose s lies in the index-th of
/// `count` equal parts of the domain's s-range, cut by the exact lines s = sₖ (a sharded slice).
public struct SliceStrip: Sendable, Equatable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) { self.index = index; self.count = count }

    /// Seam k (1 ≤ k < count) of a domain with these corners: s = ((count − k)·s_min + k·s_max) / count, exactly.
    public static func seam(_ k: Int, of count: Int, corners: [(s: Double, t: Double)]) -> Rational {
        let (low, high) = sRange(corners)
        return (Rational(count - k) * Rational(Dyadic(low)) + Rational(k) * Rational(Dyadic(high))) / Rational(count)
    }

    /// This strip's seams as exact lines positive inside the strip (none for a single strip).
    public func seamLines(corners: [(s: Double, t: Double)]) -> [ExactLine] {
        let (low, high) = Self.sRange(corners)
        func offset(_ k: Int) -> Dyadic { Dyadic(count - k) * Dyadic(low) + Dyadic(k) * Dyadic(high) }
        var lines: [ExactLine] = []
        // count·s − offset(k) ≥ 0 right of seam k.
        if index > 1 { lines.append(ExactLine(a: Dyadic(count), b: .zero, c: -offset(index - 1))) }
        if index < count { lines.append(ExactLine(a: Dyadic(-count), b: .zero, c: offset(index))) }
        return lines
    }

    static func sRange(_ corners: [(s: Double, t: Double)]) -> (Double, Double) {
        (corners.map(\.s).min() ?? 0, corners.map(\.s).max() ?? 0)
    }
}

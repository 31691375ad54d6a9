/// The regions' seeds (`Subdivision.seeds`): points of the plane chosen from a region's pattern and
/// maps alone, never from its vertices, so that every strip of a sharded slice picks the same ones
/// and so computes the same float maps as one process.
///
/// The domain's seed is the centroid of the whole domain's corners (a strip keeps the whole domain's
/// corners). A face cut from a region keeps the region's seed when the seed lies on the face's side
/// of every neuron that cut the region; else the seed is moved just across each such neuron's line it
/// lies on the wrong side of, in neuron order, for a few sweeps, then back across any other line of
/// the layer those moves took it across. The seed is thus in or near its
/// region, and the signs there (the next layer's base slopes) differ from a face's in few neurons.
/// Seeds only choose which products are corrected: any seed gives maps within the same bounds.
enum LayerSeeds {
    /// Sweeps over a face's lines before its seed is left where it is.
    static let sweeps = 3

    /// The seed of the single region of the first layer, as (s, t).
    static func domainSeed(corners: [(s: Double, t: Double)]) -> [Double] {
        guard !corners.isEmpty else { return [0, 0] }
        let count = Double(corners.count)
        return [corners.reduce(0) { $0 + $1.s } / count, corners.reduce(0) { $0 + $1.t } / count]
    }

    /// The value of the line a·s + b·t + c at the seed, the same expression wherever a seed's sign is read.
    @inline(__always)
    static func value(_ a: Double, _ b: Double, _ c: Double, s: Double, t: Double) -> Double {
        a * s + b * t + c
    }

    /// Moves (s, t) to the positive side of each of `count` lines (a, b, c), 3 values each in `rows`:
    /// moved across each line it is not on the positive side of, in order, for a few sweeps.
    @inline(__always)
    static func move(_ s: inout Double, _ t: inout Double, toPositiveSidesOf rows: UnsafePointer<Double>, count: Int) {
        for _ in 0..<sweeps {
            var moved = false
            for i in 0..<count {
                let a = rows[3 * i], b = rows[3 * i + 1], c = rows[3 * i + 2]
                if !(value(a, b, c, s: s, t: t) > 0) {
                    stepAcross(&s, &t, a: a, b: b, c: c)
                    moved = true
                }
            }
            if !moved { return }
        }
    }

    /// Moves (s, t) to the positive side of the line (a, b, c), a quarter of its distance beyond the
    /// line (when it lies on the line, a step off it): the least move, so that it stays on the right
    /// side of the lines it was already on (a reflection, moving twice as far, left seeds outside
    /// their regions and doubled the corrections). A line with no slope leaves it where it is.
    @inline(__always)
    static func stepAcross(_ s: inout Double, _ t: inout Double, a: Double, b: Double, c: Double) {
        let norm = a * a + b * b
        guard norm > 0, norm.isFinite else { return }
        let v = value(a, b, c, s: s, t: t)
        // The new value is −v/4; on the line, a step of about 2⁻²⁰ of the coefficients' size.
        let goal = max(-v / 4, 0x1p-20 * (abs(a) + abs(b) + abs(c)))
        let move = (goal - v) / norm
        s += move * a
        t += move * b
    }
}

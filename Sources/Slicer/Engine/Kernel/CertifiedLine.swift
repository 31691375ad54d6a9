import Polytope

/// A line in floating point with a rigorous bound on each coefficient's error,
/// |ã − a| ≤ ea, |b̃ − b| ≤ eb, |c̃ − c| ≤ ec, and the reference that recomputes it exactly.
struct CertifiedLine {
    var a: Double, b: Double, c: Double
    var ea: Double, eb: Double, ec: Double
    var ref: LineRef
}

extension CertifiedLine {
    /// An exact line's coefficients as Doubles, each within `conversionError` (the conversion is
    /// within two ulps), floored.
    init(converting line: ExactLine, ref: LineRef) {
        let a = line.a.doubleValue, b = line.b.doubleValue, c = line.c.doubleValue
        self.init(a: a, b: b, c: c, ea: floored(conversionError(of: abs(a))), eb: floored(conversionError(of: abs(b))),
                  ec: floored(conversionError(of: abs(c))), ref: ref)
    }

    /// The value of the line at a vertex and a bound on its error (`affineFormBound`).
    @inline(__always)
    func evaluate(at record: VertexRecord) -> (value: Double, bound: Double) {
        let s = record.s, t = record.t
        return (a * s + b * t + c, affineFormBound(a: a, b: b, c: c, ea: ea, eb: eb, ec: ec, s: abs(s), t: abs(t), delta: record.delta))
    }

    /// The intersection of two certified lines with a bound δ on both coordinates' errors, or nil
    /// when the bound cannot exclude that the lines are parallel.
    ///
    /// For a product x·y of values known to within ex, ey: |x̃ỹ − xy| ≤ ex|ỹ| + |x̃|ey + ex·ey. Each
    /// 2×2 determinant adds two such errors and 2u of rounding per term. With N and W known to
    /// within eN and eW and |W̃| > eW: |Ñ/W̃ − N/W| ≤ (eN + |Ñ/W̃|·eW)/(|W̃| − eW), plus u for the division.
    static func intersect(_ l: CertifiedLine, _ m: CertifiedLine) -> (s: Double, t: Double, delta: Double)? {
        let w = l.a * m.b - m.a * l.b
        let ew = determinantError(l.a, l.ea, m.b, m.eb, minus: m.a, m.ea, l.b, l.eb)
        guard abs(w) > ew, w.isFinite else { return nil }
        let ns = l.b * m.c - m.b * l.c
        let ens = determinantError(l.b, l.eb, m.c, m.ec, minus: m.b, m.eb, l.c, l.ec)
        let nt = l.c * m.a - m.c * l.a
        let ent = determinantError(l.c, l.ec, m.a, m.ea, minus: m.c, m.ec, l.a, l.ea)
        let s = ns / w, t = nt / w
        let margin = abs(w) - ew
        let deltaS = quotientError(numeratorError: ens, denominatorError: ew, quotient: s, margin: margin)
        let deltaT = quotientError(numeratorError: ent, denominatorError: ew, quotient: t, margin: margin)
        let delta = certifiedBound(max(deltaS, deltaT))
        guard s.isFinite, t.isFinite, delta.isFinite else { return nil }
        return (s, t, delta)
    }
}

extension CertifiedLine {
    /// The line l_c − l_i of a region whose K logits' map starts at `rows[base]` (K coefficients of
    /// s, then K of t, then K constants), with the map's per-row error bounds `error`. For one output
    /// (K = 1): +l for c = 1, −l for c = 0. The difference adds one rounding to both rows' bounds.
    static func logitDifference<Rows: RandomAccessCollection, Errors: RandomAccessCollection>(
        _ c: Int, minus i: Int, rows map: Rows, base: Int, error bound: Errors, outputs n: Int, region r: Int
    ) -> CertifiedLine where Rows.Element == Double, Rows.Index == Int, Errors.Element == Double, Errors.Index == Int {
        if n == 1 {
            let sign: Double = c == 1 ? 1 : -1
            return CertifiedLine(a: sign * map[base], b: sign * map[base + 1], c: sign * map[base + 2],
                                 ea: bound[0], eb: bound[1], ec: bound[2], ref: .logit(c, minus: i, region: r))
        }
        let a = map[base + c] - map[base + i], b = map[base + n + c] - map[base + n + i]
        let cc = map[base + 2 * n + c] - map[base + 2 * n + i]
        return CertifiedLine(a: a, b: b, c: cc, ea: differenceBound(bound[c], bound[i], difference: a),
                             eb: differenceBound(bound[n + c], bound[n + i], difference: b),
                             ec: differenceBound(bound[2 * n + c], bound[2 * n + i], difference: cc),
                             ref: .logit(c, minus: i, region: r))
    }
}


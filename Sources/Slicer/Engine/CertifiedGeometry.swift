import Polytope

/// Certified arithmetic shared by both engines: a line's value at a vertex with its error bound,
/// the intersection of two certified lines, and building a crossing vertex.
extension CertifiedLine {
    /// The value of the line at a vertex and a bound on its error.
    ///
    /// With |ã − a| ≤ ea (likewise b, c) and |s̃ − s|, |t̃ − t| ≤ δ:
    /// |ã s̃ − a s| ≤ ea|s̃| + (|ã| + ea)δ, and the three-term sum adds at most γ₃(|ã s̃| + |b̃ t̃| + |c̃|)
    /// of rounding (in any evaluation order, fused or not).
    @inline(__always)
    func evaluate(at record: VertexRecord) -> (value: Double, bound: Double) {
        let s = record.s, t = record.t, delta = record.delta
        let value = a * s + b * t + c
        let coefficient = ea * abs(s) + eb * abs(t) + ec
        let position = (abs(a) + ea + abs(b) + eb) * delta
        let rounding = gamma3 * (abs(a * s) + abs(b * t) + abs(c))
        return (value, (coefficient + position + rounding) * boundSafety + boundFloor)
    }

    /// The intersection of two certified lines with a bound δ on both coordinates' errors, or nil
    /// when the bound cannot exclude that the lines are parallel.
    ///
    /// For a product x·y of values known to within ex, ey: |x̃ỹ − xy| ≤ ex|ỹ| + |x̃|ey + ex·ey. Each
    /// 2×2 determinant adds two such errors and 2u of rounding per term. With N and W known to
    /// within eN and eW and |W̃| > eW: |Ñ/W̃ − N/W| ≤ (eN + |Ñ/W̃|·eW)/(|W̃| − eW), plus u for the division.
    static func intersect(_ l: CertifiedLine, _ m: CertifiedLine) -> (s: Double, t: Double, delta: Double)? {
        func product(_ x: Double, _ ex: Double, _ y: Double, _ ey: Double) -> Double {
            ex * abs(y) + abs(x) * ey + ex * ey + 2 * unitRoundoff * abs(x * y)
        }
        let w = l.a * m.b - m.a * l.b
        let ew = (product(l.a, l.ea, m.b, m.eb) + product(m.a, m.ea, l.b, l.eb)) * boundSafety
        guard abs(w) > ew, w.isFinite else { return nil }
        let ns = l.b * m.c - m.b * l.c
        let ens = (product(l.b, l.eb, m.c, m.ec) + product(m.b, m.eb, l.c, l.ec)) * boundSafety
        let nt = l.c * m.a - m.c * l.a
        let ent = (product(l.c, l.ec, m.a, m.ea) + product(m.c, m.ec, l.a, l.ea)) * boundSafety
        let s = ns / w, t = nt / w
        let margin = abs(w) - ew
        let deltaS = (ens + abs(s) * ew) / margin + unitRoundoff * abs(s)
        let deltaT = (ent + abs(t) * ew) / margin + unitRoundoff * abs(t)
        let delta = max(deltaS, deltaT) * boundSafety + boundFloor
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
        let ea = (bound[c] + bound[i] + unitRoundoff * abs(a)) * boundSafety
        let eb = (bound[n + c] + bound[n + i] + unitRoundoff * abs(b)) * boundSafety
        let ec = (bound[2 * n + c] + bound[2 * n + i] + unitRoundoff * abs(cc)) * boundSafety
        return CertifiedLine(a: a, b: b, c: cc, ea: ea, eb: eb, ec: ec, ref: .logit(c, minus: i, region: r))
    }
}

/// An engine that builds vertices where certified lines cross: both the MLP and the graph engine.
protocol CrossingVertices: AnyObject {
    var arithmetic: Arithmetic { get }
    var vertexRecords: [VertexRecord] { get set }
    var exactVertexCache: [Int32: ExactPoint] { get set }
    func exactVertex(_ v: Int32) -> ExactPoint
}

extension CrossingVertices {
    @discardableResult
    func addVertex(s: Double, t: Double, delta: Double, lineA: LineRef, lineB: LineRef) -> Int32 {
        vertexRecords.append(VertexRecord(s: s, t: t, delta: delta, lineA: lineA, lineB: lineB))
        return Int32(vertexRecords.count - 1)
    }

    /// Adds a convex domain's corners as vertices 0..<n (corner i where edge i − 1 meets edge i;
    /// exact, so their error bound is 0) and returns its edges' lines: exact, and as certified lines.
    func addDomainCorners(_ corners: [(s: Double, t: Double)]) -> (exact: [ExactLine], certified: [CertifiedLine]) {
        let exact = corners.map { ExactPoint(x: Dyadic($0.s), y: Dyadic($0.t)) }
        let n = corners.count
        let lines = (0..<n).map { ExactLine(through: exact[$0], exact[($0 + 1) % n]) }
        // Dyadic → Double conversion is within two ulps.
        let certified = lines.enumerated().map { i, line in
            let a = line.a.doubleValue, b = line.b.doubleValue, c = line.c.doubleValue
            let e = 4 * unitRoundoff
            return CertifiedLine(a: a, b: b, c: c, ea: e * abs(a) + boundFloor, eb: e * abs(b) + boundFloor,
                                 ec: e * abs(c) + boundFloor, ref: .domain(i))
        }
        for i in 0..<n {
            let v = addVertex(s: corners[i].s, t: corners[i].t, delta: 0, lineA: .domain((i + n - 1) % n), lineB: .domain(i))
            exactVertexCache[v] = exact[i]
        }
        return (lines, certified)
    }

    /// A new vertex where `line` crosses the edge from p to q (whose signs are strictly opposite).
    ///
    /// In certified mode its coordinates are the intersection of the two lines' float coefficients
    /// (Cramer's rule), so their error depends on the coefficients' bounds only and does not
    /// accumulate from vertex to vertex; else (or when the bound cannot exclude parallel lines) the
    /// exact intersection, rounded.
    func makeVertex(from p: Int32, to q: Int32, edgeLine: CertifiedLine, line: CertifiedLine) -> Int32 {
        if arithmetic == .certified, let (s, t, delta) = CertifiedLine.intersect(edgeLine, line) {
            return addVertex(s: s, t: t, delta: delta, lineA: edgeLine.ref, lineB: line.ref)
        }
        let v = addVertex(s: 0, t: 0, delta: 0, lineA: edgeLine.ref, lineB: line.ref)
        let point = exactVertex(v).approximate
        vertexRecords[Int(v)].s = point.x
        vertexRecords[Int(v)].t = point.y
        // approximate() is within about two ulps of the exact value.
        vertexRecords[Int(v)].delta = 4 * unitRoundoff * max(abs(point.x), abs(point.y)) * boundSafety + boundFloor
        if !point.x.isFinite || !point.y.isFinite { vertexRecords[Int(v)].delta = .infinity }
        return v
    }
}

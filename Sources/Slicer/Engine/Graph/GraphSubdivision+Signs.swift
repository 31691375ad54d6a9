import Polytope

/// The one place where signs are decided and vertices built. Each decision is symbolic (the vertex
/// was built on that zero set), settled by a float value whose rigorous bound excludes zero
/// (certified mode), or recomputed exactly.
extension GraphSubdivision {
    /// The value of a line at a vertex and a bound on its error: with |ã − a| ≤ ea (likewise b, c)
    /// and |s̃ − s|, |t̃ − t| ≤ δ, |ã s̃ − a s| ≤ ea|s̃| + (|ã| + ea)δ, and the three-term sum adds at
    /// most γ₃(|ã s̃| + |b̃ t̃| + |c̃|) of rounding, in any evaluation order.
    func evaluate(_ v: Int32, _ line: CertifiedLine) -> (value: Double, bound: Double) {
        let record = vertexRecords[Int(v)]
        let s = record.s, t = record.t, delta = record.delta
        let value = line.a * s + line.b * t + line.c
        let coefficient = line.ea * abs(s) + line.eb * abs(t) + line.ec
        let position = (abs(line.a) + line.ea + abs(line.b) + line.eb) * delta
        let rounding = gamma3 * (abs(line.a * s) + abs(line.b * t) + abs(line.c))
        return (value, (coefficient + position + rounding) * boundSafety + boundFloor)
    }

    /// The exact sign of a line's function at a vertex.
    func sign(_ v: Int32, _ line: CertifiedLine) -> Int {
        let record = vertexRecords[Int(v)]
        if record.lineA.sameZeroSet(as: line.ref) || record.lineB.sameZeroSet(as: line.ref)
            || GraphSubdivision.poolTie(record.lineA, record.lineB, implies: line.ref) {
            counts.symbolic += 1
            return 0
        }
        if arithmetic == .certified {
            let (value, bound) = evaluate(v, line)
            // NaN or infinite values fail both tests and fall through to the exact path.
            if value > bound { counts.certified += 1; return 1 }
            if value < -bound { counts.certified += 1; return -1 }
        }
        counts.exact += 1
        return exactLine(line.ref).side(of: exactVertex(v))
    }

    /// A new vertex where `line` crosses the edge from p to q (whose signs are strictly opposite):
    /// in certified mode the intersection of the two lines' float coefficients with its bound, else
    /// (or when the bound cannot exclude parallel lines) the exact intersection, rounded.
    func makeVertex(from p: Int32, to q: Int32, edgeLine: CertifiedLine, line: CertifiedLine) -> Int32 {
        if arithmetic == .certified, let (s, t, delta) = intersect(edgeLine, line) {
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

    /// The intersection of two certified lines with a bound δ on both coordinates' errors, or nil
    /// when the bound cannot exclude that the lines are parallel.
    ///
    /// For a product x·y of values known to within ex, ey: |x̃ỹ − xy| ≤ ex|ỹ| + |x̃|ey + ex·ey. Each
    /// 2×2 determinant adds two such errors and 2u of rounding per term. With N and W known to
    /// within eN and eW and |W̃| > eW: |Ñ/W̃ − N/W| ≤ (eN + |Ñ/W̃|·eW)/(|W̃| − eW), plus u for the division.
    func intersect(_ l: CertifiedLine, _ m: CertifiedLine) -> (Double, Double, Double)? {
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

    /// True when a vertex on pool lines z_a = z_b and z_b = z_c (one max pool's inputs, continuous
    /// functions of the plane, so equal wherever the vertex was built) lies on `line` because
    /// `line` is z_x − z_y with x, y among a, b, c.
    static func poolTie(_ p: LineRef, _ q: LineRef, implies line: LineRef) -> Bool {
        guard line.kind == .pool, p.kind == .pool, q.kind == .pool, p.layer == line.layer, q.layer == line.layer else { return false }
        let units: Set<Int32> = [p.index, p.other, q.index, q.other]
        return units.count == 3 && units.contains(line.index) && units.contains(line.other)
    }
}

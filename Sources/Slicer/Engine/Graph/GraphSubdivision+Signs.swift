import Polytope

/// The one place where signs are decided (vertices are built by `CrossingVertices.makeVertex`). Each
/// decision is symbolic (the vertex was built on that zero set), settled by a float value whose
/// rigorous bound (`CertifiedLine.evaluate`) excludes zero (certified mode), or recomputed exactly.
extension GraphSubdivision: CrossingVertices {
    /// The exact sign of a line's function at a vertex.
    func sign(_ v: Int32, _ line: CertifiedLine) -> Int {
        let record = vertexRecords[Int(v)]
        if record.lineA.sameZeroSet(as: line.ref) || record.lineB.sameZeroSet(as: line.ref)
            || GraphSubdivision.poolTie(record.lineA, record.lineB, implies: line.ref) {
            counts.symbolic += 1
            return 0
        }
        if arithmetic == .certified {
            let (value, bound) = line.evaluate(at: record)
            // NaN or infinite values fail both tests and fall through to the exact path.
            if value > bound { counts.certified += 1; return 1 }
            if value < -bound { counts.certified += 1; return -1 }
        }
        counts.exact += 1
        return exactLine(line.ref).side(of: exactVertex(v))
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

import Polytope

/// The one place where signs are decided (vertices are built by `CrossingVertices.makeVertex`). Each
/// decision is symbolic (the vertex was built on that zero set), settled by a float value whose
/// rigorous bound (`CertifiedLine.evaluate`) excludes zero (certified mode), or recomputed exactly.
extension GraphSubdivision: CrossingVertices {
    /// The exact sign of a line's function at a vertex.
    func sign(_ v: Int32, _ line: CertifiedLine) -> Int {
        let record = vertexRecords[Int(v)]
        if record.lineA.sameZeroSet(as: line.ref) || record.lineB.sameZeroSet(as: line.ref) {
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
}

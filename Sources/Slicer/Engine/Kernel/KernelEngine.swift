import Polytope

/// An engine as the sign kernel sees it: its vertices, the exact lines and vertices it recomputes
/// on demand, and where decisions are counted. Both the MLP and the graph engine conform.
protocol KernelEngine: AnyObject {
    var kernel: SignKernel { get }
    /// The vertices, edge lines, face patterns and domain (`ArrangementRecords`).
    var records: ArrangementRecords { get set }
    var counts: DecisionCounts { get set }
    func exactLine(_ ref: LineRef) -> ExactLine
    func exactVertex(_ v: Int32) -> ExactPoint
}

extension KernelEngine {
    /// The exact sign of a line's function at a vertex (`SignKernel.sign`).
    @inline(__always)
    func sign(_ v: Int32, _ line: CertifiedLine) -> Int { kernel.sign(line, at: v, in: self) }

    /// A new vertex where `line` crosses the edge from p to q, on `edgeLine`, whose signs are
    /// strictly opposite (`SignKernel.crossingVertex`).
    func makeVertex(from p: Int32, to q: Int32, edgeLine: CertifiedLine, line: CertifiedLine) -> Int32 {
        kernel.crossingVertex(edgeLine: edgeLine, line: line, in: self)
    }

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
        let certified = lines.enumerated().map { CertifiedLine(converting: $1, ref: .domain($0)) }
        for i in 0..<n {
            let v = addVertex(s: corners[i].s, t: corners[i].t, delta: 0, lineA: .domain((i + n - 1) % n), lineB: .domain(i))
            exactVertexCache[v] = exact[i]
        }
        return (lines, certified)
    }
}

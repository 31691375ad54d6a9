import Polytope

/// The arrangement's validity check, for tests: the topology's invariants (`topologyProblems`),
/// convex faces of positive area (`convexityProblems`), and every vertex on the line of each edge
/// it ends, all exactly. Empty when the arrangement is valid.
extension KernelEngine {
    func arrangementProblems(topology: PlanarTopology, edgeLines: [CertifiedLine], limit: Int = 20) -> [String] {
        var problems = topology.topologyProblems(limit: limit)
        problems += topology.convexityProblems(point: exactVertex, limit: limit)
        if edgeLines.count != topology.edges.count {
            problems.append("\(edgeLines.count) edge lines for \(topology.edges.count) edges")
            return problems
        }
        var live = [Bool](repeating: false, count: topology.edges.count)
        for face in topology.faces { for e in face.edges where e >= 0 && Int(e) < live.count { live[Int(e)] = true } }
        for (e, edge) in topology.edges.enumerated() where live[e] && problems.count < limit {
            let line = exactLine(edgeLines[e].ref)
            for v in [edge.from, edge.to] where line.side(of: exactVertex(v)) != 0 {
                problems.append("vertex \(v) is not on the line of edge \(e)")
            }
        }
        return problems
    }
}

extension Subdivision {
    /// The broken invariants of the subdivision (empty when valid; see `arrangementProblems`).
    func arrangementProblems() -> [String] { arrangementProblems(topology: topology, edgeLines: edgeLines) }
}

extension GraphSubdivision {
    /// The broken invariants of the subdivision (empty when valid; see `arrangementProblems`).
    func arrangementProblems() -> [String] { arrangementProblems(topology: topology, edgeLines: edgeLines) }
}

/// The invariants of a subdivision, checked for tests: each names what breaks it, so a failing test
/// says where to look.
extension PlanarTopology {
    /// The broken invariants of the topology (empty when it is valid), at most `limit` of them:
    /// - each face is a cycle of at least three vertices, `edges[k]` joining vertex k to vertex k + 1;
    /// - twin edges: an edge lies in the cycles of `faceA` and `faceB` (−1 for the domain's outside)
    ///   once each, the two faces running it in opposite directions, and in no other cycle;
    /// - Euler's formula for a disk: V − E + F = 1, V the vertices on the faces' cycles.
    public func topologyProblems(limit: Int = 20) -> [String] {
        var problems: [String] = []
        func report(_ problem: String) { if problems.count < limit { problems.append(problem) } }
        // Per edge: the faces that run it forward (from → to) and backward.
        var forward = [[Int32]](repeating: [], count: edges.count), backward = forward
        var used = Set<Int32>()
        for (f, face) in faces.enumerated() {
            let n = face.vertices.count
            guard n >= 3, face.edges.count == n else {
                report("face \(f) has \(n) vertices and \(face.edges.count) edges"); continue
            }
            for k in 0..<n {
                let p = face.vertices[k], q = face.vertices[(k + 1) % n], e = face.edges[k]
                used.insert(p)
                guard e >= 0, Int(e) < edges.count else { report("face \(f) names edge \(e), which does not exist"); continue }
                let edge = edges[Int(e)]
                if edge.from == p && edge.to == q { forward[Int(e)].append(Int32(f)) }
                else if edge.from == q && edge.to == p { backward[Int(e)].append(Int32(f)) }
                else { report("face \(f) runs edge \(e) from \(p) to \(q), but it joins \(edge.from) and \(edge.to)") }
            }
        }
        var live = 0
        for (e, edge) in edges.enumerated() {
            let runs = forward[e] + backward[e]
            if runs.isEmpty { continue }
            live += 1
            let expected = ([edge.faceA, edge.faceB].filter { $0 >= 0 }).sorted()
            if runs.sorted() != expected {
                report("edge \(e) is in the cycles of faces \(runs.sorted()) but says \(edge.faceA) and \(edge.faceB)")
            } else if forward[e].count > 1 || backward[e].count > 1 {
                report("edge \(e) is run the same way by faces \(runs)")
            }
        }
        let euler = used.count - live + faces.count
        if euler != 1 { report("V − E + F = \(used.count) − \(live) + \(faces.count) = \(euler), not 1") }
        return problems
    }

    /// The faces that are not convex with positive area (at most `limit`), from the exact vertices:
    /// every vertex of a face on the left of or on each of its edges, some strictly left, and no
    /// edge of length zero. Vertices that only split a straight edge are allowed.
    public func convexityProblems(point: (Int32) -> ExactPoint, limit: Int = 20) -> [String] {
        var problems: [String] = []
        for (f, face) in faces.enumerated() where problems.count < limit {
            let points = face.vertices.map(point)
            let n = points.count
            var strictlyLeft = false
            for k in 0..<n {
                let p = points[k], q = points[(k + 1) % n]
                if p.sameLocation(as: q) { problems.append("face \(f): edge \(face.edges[k]) has length zero"); break }
                let line = ExactLine(through: p, q)
                let sides = points.map { line.side(of: $0) }
                if let r = sides.firstIndex(of: -1) {
                    problems.append("face \(f): vertex \(face.vertices[r]) lies right of edge \(face.edges[k])"); break
                }
                if sides.contains(1) { strictlyLeft = true }
            }
            if !strictlyLeft && problems.last?.hasPrefix("face \(f):") != true { problems.append("face \(f) has no area") }
        }
        return problems
    }
}

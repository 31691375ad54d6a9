import Polytope

/// Removing what a max-pool envelope left behind, so the subdivision is as if each winner's cell had
/// been cut in one piece: every face, edge and vertex made by the envelope and no longer used goes,
/// and the survivors are renumbered in order (so both arithmetics, which make the same ones, agree).
extension GraphSubdivision {
    /// Compacts faces from `firstFace`, edges from `firstEdge` and vertices from `firstVertex` (the
    /// ones made by one envelope, whose cells are `cells`) and returns the cells' new indices.
    func compactEnvelope(cells: [Int32], firstFace: Int32, firstEdge: Int32, firstVertex: Int32,
                         deadFaces: [Int32], deadEdges: [Int32]) -> [Int32] {
        var deadEdges = Set(deadEdges)
        let cellSet = Set(cells)
        // Vertices made here that only split one straight edge of the face's boundary.
        for c in cells {
            var k = 0
            while k < topology.faces[Int(c)].vertices.count {
                let face = topology.faces[Int(c)]
                let n = face.vertices.count
                let before = topology.edges[Int(face.edges[(k + n - 1) % n])].otherFace(c)
                let after = topology.edges[Int(face.edges[k])].otherFace(c)
                if face.vertices[k] >= firstVertex, before == after, !cellSet.contains(after) {
                    deadEdges.insert(topology.dissolve(vertexAt: k, of: c))
                    k = 0
                } else {
                    k += 1
                }
            }
        }
        var neighbours = Set<Int32>()
        var touchedEdges = Set<Int32>()
        var liveVertices = Set<Int32>()
        for c in cells {
            let face = topology.faces[Int(c)]
            for e in face.edges {
                touchedEdges.insert(e)
                let other = topology.edges[Int(e)].otherFace(c)
                if other >= 0 && !cellSet.contains(other) { neighbours.insert(other) }
            }
            for v in face.vertices where v >= firstVertex { liveVertices.insert(v) }
        }
        let faceMap = renumbering(from: firstFace, count: topology.faces.count) { !deadFaces.contains($0) }
        let edgeMap = renumbering(from: firstEdge, count: topology.edges.count) { !deadEdges.contains($0) }
        let vertexMap = renumbering(from: firstVertex, count: vertexRecords.count) { liveVertices.contains($0) }
        func face(_ x: Int32) -> Int32 { x >= firstFace ? faceMap[Int(x - firstFace)] : x }
        func edge(_ x: Int32) -> Int32 { x >= firstEdge ? edgeMap[Int(x - firstEdge)] : x }
        func vertex(_ x: Int32) -> Int32 { x >= firstVertex ? vertexMap[Int(x - firstVertex)] : x }
        for e in touchedEdges {
            var record = topology.edges[Int(e)]
            record.from = vertex(record.from); record.to = vertex(record.to)
            record.faceA = record.faceA >= 0 ? face(record.faceA) : record.faceA
            record.faceB = record.faceB >= 0 ? face(record.faceB) : record.faceB
            topology.edges[Int(e)] = record
        }
        for x in cells + neighbours.sorted() {
            topology.faces[Int(x)].vertices = topology.faces[Int(x)].vertices.map(vertex)
            topology.faces[Int(x)].edges = topology.faces[Int(x)].edges.map(edge)
        }
        // Move the survivors down, in order.
        for x in Int(firstFace)..<topology.faces.count where faceMap[x - Int(firstFace)] >= 0 {
            moveFace(Int32(x), to: faceMap[x - Int(firstFace)])
        }
        let faceCount = Int(firstFace) + faceMap.filter { $0 >= 0 }.count
        truncateFaces(to: faceCount)
        for x in Int(firstEdge)..<topology.edges.count where edgeMap[x - Int(firstEdge)] >= 0 {
            let y = Int(edgeMap[x - Int(firstEdge)])
            topology.edges[y] = topology.edges[x]; edgeLines[y] = edgeLines[x]
        }
        let edgeCount = Int(firstEdge) + edgeMap.filter { $0 >= 0 }.count
        topology.edges.removeSubrange(edgeCount...); edgeLines.removeSubrange(edgeCount...)
        var cache: [Int32: ExactPoint] = [:]
        for (v, point) in exactVertexCache where v >= firstVertex {
            if vertexMap[Int(v - firstVertex)] >= 0 { cache[vertexMap[Int(v - firstVertex)]] = point }
        }
        for x in Int(firstVertex)..<vertexRecords.count where vertexMap[x - Int(firstVertex)] >= 0 {
            vertexRecords[Int(vertexMap[x - Int(firstVertex)])] = vertexRecords[x]
        }
        vertexRecords.removeSubrange((Int(firstVertex) + liveVertices.count)...)
        exactVertexCache = exactVertexCache.filter { $0.key < firstVertex }.merging(cache) { a, _ in a }
        return cells.map(face)
    }

    /// New indices of first..<count: the kept ones numbered on from `first` in order, the rest −1.
    private func renumbering(from first: Int32, count: Int, keep: (Int32) -> Bool) -> [Int32] {
        var next = first
        return (Int(first)..<max(Int(first), count)).map { x in
            guard keep(Int32(x)) else { return -1 }
            defer { next += 1 }
            return next
        }
    }

    /// Moves face x's per-face records to index y ≤ x.
    private func moveFace(_ x: Int32, to y: Int32) {
        guard x != y else { return }
        let (x, y) = (Int(x), Int(y))
        topology.faces[y] = topology.faces[x]
        records.faces.moveFace(x, to: y)
    }

    /// Drops the per-face records of faces from `count` on.
    private func truncateFaces(to count: Int) {
        topology.faces.removeSubrange(count...)
        records.faces.truncate(toFaces: count)
    }
}

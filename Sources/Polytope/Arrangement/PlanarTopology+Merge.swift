/// Undoing splits: a max pool's cell of one winner is convex but may be cut from several faces, which
/// are merged back into one. The removed faces, edges and vertices are left in place (unreferenced)
/// for the caller to compact.
extension PlanarTopology {
    /// Merges `pieces` (faces tiling one convex polygon) into the smallest of them, which is returned;
    /// the edges between two pieces are dropped from every cycle and appended to `deadEdges`.
    public mutating func merge(_ pieces: [Int32], deadEdges: inout [Int32]) -> Int32 {
        let survivor = pieces.min()!
        guard pieces.count > 1 else { return survivor }
        let members = Set(pieces)
        // The union's boundary, each edge from its start vertex in the pieces' (common) orientation.
        var next: [Int32: (to: Int32, edge: Int32)] = [:]
        var start: Int32 = -1
        for x in [survivor] + pieces.filter({ $0 != survivor }) {
            let face = faces[Int(x)]
            let n = face.vertices.count
            for k in 0..<n {
                let e = face.edges[k]
                if members.contains(edges[Int(e)].otherFace(x)) {
                    if x < edges[Int(e)].otherFace(x) { deadEdges.append(e) }
                    continue
                }
                precondition(next[face.vertices[k]] == nil, "the merged faces do not bound one simple polygon")
                next[face.vertices[k]] = (face.vertices[(k + 1) % n], e)
                edges[Int(e)].replaceFace(x, with: survivor)
                if start < 0 { start = face.vertices[k] }
            }
        }
        var merged = Face(vertices: [], edges: [])
        var v = start
        repeat {
            let (to, e) = next[v]!
            merged.vertices.append(v); merged.edges.append(e)
            v = to
        } while v != start
        precondition(merged.vertices.count == next.count, "the merged faces do not bound one simple polygon")
        faces[Int(survivor)] = merged
        return survivor
    }

    /// Removes vertex v from `face` where it only splits one straight edge: the edges before and
    /// after it in the cycle have the same faces on both sides. The edge with the larger index is
    /// dropped (returned), the other stretched over both; the face across loses v too.
    public mutating func dissolve(vertexAt k: Int, of face: Int32) -> Int32 {
        let cycle = faces[Int(face)]
        let n = cycle.vertices.count
        let v = cycle.vertices[k]
        let before = cycle.edges[(k + n - 1) % n], after = cycle.edges[k]
        let kept = min(before, after), dropped = max(before, after)
        let far = edges[Int(dropped)].from == v ? edges[Int(dropped)].to : edges[Int(dropped)].from
        if edges[Int(kept)].from == v { edges[Int(kept)].from = far } else { edges[Int(kept)].to = far }
        for f in [face, edges[Int(dropped)].otherFace(face)] where f >= 0 {
            // v's predecessor now runs along `kept`; the cycle keeps its start (unless that was v).
            let m = faces[Int(f)].vertices.count
            let position = faces[Int(f)].vertices.firstIndex(of: v)!
            faces[Int(f)].edges[(position + m - 1) % m] = kept
            faces[Int(f)].vertices.remove(at: position)
            faces[Int(f)].edges.remove(at: position)
        }
        return dropped
    }
}

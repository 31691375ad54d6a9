/// Rebuilding the edges of a subdivision from its faces' vertex cycles.
extension PlanarTopology {
    /// The subdivision whose faces are `cycles` (counter-clockwise vertex cycles that meet along whole
    /// edges: two faces that share a stretch of boundary both list every vertex on it). Edges are
    /// numbered by first appearance, face by face along each cycle, and run as their first face runs
    /// them; that face is `faceA`. `label(f, k)` gives the layer and neuron of the edge from vertex k
    /// of face f; `edgeAdded(f, k)` is told each new edge, in order.
    public init(cycles: [[Int32]], label: (Int, Int) -> (layer: Int32, neuron: Int32), edgeAdded: (Int, Int) -> Void) {
        var index: [UInt64: Int32] = [:]
        index.reserveCapacity(cycles.reduce(0) { $0 + $1.count })
        var faces: [Face] = []
        faces.reserveCapacity(cycles.count)
        var edges: [Edge] = []
        for (f, cycle) in cycles.enumerated() {
            let n = cycle.count
            var faceEdges: [Int32] = []
            faceEdges.reserveCapacity(n)
            for k in 0..<n {
                let p = cycle[k], q = cycle[(k + 1) % n]
                let key = UInt64(UInt32(min(p, q))) << 32 | UInt64(UInt32(max(p, q)))
                if let e = index[key] {
                    edges[Int(e)].faceB = Int32(f)
                    faceEdges.append(e)
                } else {
                    let e = Int32(edges.count)
                    let (layer, neuron) = label(f, k)
                    edges.append(Edge(from: p, to: q, faceA: Int32(f), faceB: -1, layer: layer, neuron: neuron))
                    index[key] = e
                    faceEdges.append(e)
                    edgeAdded(f, k)
                }
            }
            faces.append(Face(vertices: cycle, edges: faceEdges))
        }
        self.init(faces: faces, edges: edges)
    }

    /// The same subdivision with its edges numbered by first appearance (as `init(cycles:)` numbers
    /// them), and for each new edge the old one it is.
    public func renumberedEdges() -> (topology: PlanarTopology, oldEdge: [Int32]) {
        var oldEdge: [Int32] = []
        let topology = PlanarTopology(cycles: faces.map(\.vertices), label: { f, k in
            let e = edges[Int(faces[f].edges[k])]
            return (e.layer, e.neuron)
        }, edgeAdded: { f, k in oldEdge.append(faces[f].edges[k]) })
        return (topology, oldEdge)
    }
}

/// The faces and edges of a planar subdivision of a convex domain into convex faces, and how a face
/// is split by a line. Knows no coordinates and no arithmetic: the caller says on which side of the
/// line each vertex lies and makes the crossing vertices.
public struct PlanarTopology: Sendable {
    public var faces: [Face]
    public var edges: [Edge]

    @inlinable
    public init(faces: [Face] = [], edges: [Edge] = []) { self.faces = faces; self.edges = edges }

    /// Inserts vertex w into edge e, which runs p → q in `face`: e keeps the piece p → w and the
    /// returned new edge is w → q. The face across e gets w in its cycle too.
    @inlinable
    public mutating func splitEdge(_ e: Int32, from p: Int32, to q: Int32, at w: Int32, seenFrom face: Int32) -> Int32 {
        let old = edges[Int(e)]
        let e2 = Int32(edges.count)
        edges.append(Edge(from: w, to: q, faceA: old.faceA, faceB: old.faceB, layer: old.layer, neuron: old.neuron))
        edges[Int(e)].from = p
        edges[Int(e)].to = w
        let other = old.otherFace(face)
        if other >= 0, let position = faces[Int(other)].edges.firstIndex(of: e) {
            // The other face runs the edge the opposite way (q → p): there it becomes (q → w) = e2
            // followed by (w → p) = e. Mutated in place, so its arrays are not copied.
            faces[Int(other)].edges[position] = e2
            faces[Int(other)].edges.insert(e, at: position + 1)
            faces[Int(other)].vertices.insert(w, at: position + 1)
        }
        return e2
    }

    /// Splits face f by a line whose signs at f's vertices are strictly mixed: f keeps the positive
    /// part, the negative part becomes the returned new face; the chord is labelled (layer, neuron).
    /// `crossing(p, q, e)` makes the vertex where the line crosses edge e from p to q; `edgeAdded(e)`
    /// is told each new edge (a copy of edge e's supporting line, or −1 for the chord).
    @inlinable
    public mutating func split(face f: Int32, signs: [Int], layer: Int32, neuron: Int32,
                        crossing: (Int32, Int32, Int32) -> Int32, edgeAdded: (Int32) -> Void) -> Int32 {
        let face = faces[Int(f)]
        let m = face.vertices.count
        var cycle: [Int32] = [], cycleEdges: [Int32] = [], cycleSigns: [Int] = []
        cycle.reserveCapacity(m + 2); cycleEdges.reserveCapacity(m + 2); cycleSigns.reserveCapacity(m + 2)
        for i in 0..<m {
            let p = face.vertices[i], q = face.vertices[(i + 1) % m], e = face.edges[i]
            cycle.append(p); cycleEdges.append(e); cycleSigns.append(signs[i])
            if signs[i] * signs[(i + 1) % m] < 0 {
                let w = crossing(p, q, e)
                let e2 = splitEdge(e, from: p, to: q, at: w, seenFrom: f)
                edgeAdded(e)
                cycle.append(w); cycleEdges.append(e2); cycleSigns.append(0)
            }
        }
        let count = cycle.count
        let (zeroBefore, zeroAfter) = PlanarTopology.positiveRun(cycleSigns)
        let g = Int32(faces.count)
        let chord = Int32(edges.count)
        edges.append(Edge(from: cycle[zeroAfter], to: cycle[zeroBefore], faceA: f, faceB: g, layer: layer, neuron: neuron))
        edgeAdded(-1)
        // Each part gets arrays of exactly its size (growing them vertex by vertex reallocates).
        let positiveCount = (zeroAfter - zeroBefore + count) % count + 1
        var positive = Face(vertices: [], edges: [])
        positive.vertices.reserveCapacity(positiveCount); positive.edges.reserveCapacity(positiveCount)
        var i = zeroBefore
        while i != zeroAfter {
            positive.vertices.append(cycle[i]); positive.edges.append(cycleEdges[i])
            i = (i + 1) % count
        }
        positive.vertices.append(cycle[zeroAfter]); positive.edges.append(chord)
        let negativeCount = (zeroBefore - zeroAfter + count) % count + 1
        var negative = Face(vertices: [], edges: [])
        negative.vertices.reserveCapacity(negativeCount); negative.edges.reserveCapacity(negativeCount)
        i = zeroAfter
        while i != zeroBefore {
            negative.vertices.append(cycle[i]); negative.edges.append(cycleEdges[i])
            edges[Int(cycleEdges[i])].replaceFace(f, with: g)
            i = (i + 1) % count
        }
        negative.vertices.append(cycle[zeroBefore]); negative.edges.append(chord)
        faces[Int(f)] = positive
        faces.append(negative)
        return g
    }

    /// In a cycle of signs with no strict sign change between neighbours, the positive vertices form
    /// one run; returns the zero vertices just before and just after it.
    @inlinable
    public static func positiveRun(_ signs: [Int]) -> (before: Int, after: Int) {
        let count = signs.count
        var start = 0
        while !(signs[start] > 0 && signs[(start + count - 1) % count] <= 0) { start += 1 }
        var end = start
        while signs[end] > 0 { end = (end + 1) % count }
        return ((start + count - 1) % count, end)
    }
}

import Polytope

/// Splitting faces and edges.
extension Subdivision {
    /// A new vertex where `line` crosses the edge from p to q (whose signs are strictly opposite).
    ///
    /// Its coordinates are the intersection of the two lines' float coefficients (Cramer's rule), so
    /// their error depends on the coefficients' bounds only and does not accumulate from vertex to vertex.
    func makeVertex(from p: Int32, to q: Int32, edgeLine: CertifiedLine, line: CertifiedLine) -> Int32 {
        if arithmetic == .certified, let (s, t, delta) = intersect(edgeLine, line) {
            return addVertex(s: s, t: t, delta: delta, lineA: edgeLine.ref, lineB: line.ref)
        }
        // Exact construction: the intersection of the two defining lines.
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

    /// Inserts vertex w into edge e, which runs p → q in `face`: e keeps the piece p → w and the
    /// returned new edge is w → q. The face across e gets w in its cycle too.
    func splitEdge(_ e: Int32, from p: Int32, to q: Int32, at w: Int32, seenFrom face: Int32) -> Int32 {
        let old = edges[Int(e)]
        let e2 = Int32(edges.count)
        edges.append(Edge(from: w, to: q, faceA: old.faceA, faceB: old.faceB, layer: old.layer, neuron: old.neuron))
        let line = edgeLines[Int(e)]
        edgeLines.append(line)
        edges[Int(e)].from = p
        edges[Int(e)].to = w
        let other = old.otherFace(face)
        if other >= 0, let position = faces[Int(other)].edges.firstIndex(of: e) {
            // The other face runs the edge the opposite way (q → p): there it becomes
            // (q → w) = e2 followed by (w → p) = e. Mutated in place, so its arrays are not copied.
            faces[Int(other)].edges[position] = e2
            faces[Int(other)].edges.insert(e, at: position + 1)
            faces[Int(other)].vertices.insert(w, at: position + 1)
        }
        return e2
    }

    /// Splits face f by a line whose signs at f's vertices (`signs`) are strictly mixed. Face f keeps
    /// the positive part; the negative part becomes a new face, whose index is returned.
    func split(face f: Int32, by line: CertifiedLine, signs: [Int], layer: Int32, neuron: Int32) -> Int32 {
        let face = faces[Int(f)]
        let m = face.vertices.count
        var cycle: [Int32] = [], cycleEdges: [Int32] = [], cycleSigns: [Int] = []
        cycle.reserveCapacity(m + 2); cycleEdges.reserveCapacity(m + 2); cycleSigns.reserveCapacity(m + 2)
        for i in 0..<m {
            let p = face.vertices[i], q = face.vertices[(i + 1) % m], e = face.edges[i]
            cycle.append(p); cycleEdges.append(e); cycleSigns.append(signs[i])
            if signs[i] * signs[(i + 1) % m] < 0 {
                let w = makeVertex(from: p, to: q, edgeLine: edgeLines[Int(e)], line: line)
                let e2 = splitEdge(e, from: p, to: q, at: w, seenFrom: f)
                cycle.append(w); cycleEdges.append(e2); cycleSigns.append(0)
            }
        }
        let count = cycle.count
        let (zeroBefore, zeroAfter) = positiveRun(cycleSigns)
        let g = Int32(faces.count)
        let chord = Int32(edges.count)
        edges.append(Edge(from: cycle[zeroAfter], to: cycle[zeroBefore], faceA: f, faceB: g, layer: layer, neuron: neuron))
        edgeLines.append(line)
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
        faceRegion.append(faceRegion[Int(f)])
        facePattern.append(facePattern[Int(f)])
        return g
    }

    /// In a cycle of signs with no strict sign change between neighbours, the positive vertices form
    /// one run; returns the zero vertices just before and just after it.
    func positiveRun(_ signs: [Int]) -> (before: Int, after: Int) {
        let count = signs.count
        var start = 0
        while !(signs[start] > 0 && signs[(start + count - 1) % count] <= 0) { start += 1 }
        var end = start
        while signs[end] > 0 { end = (end + 1) % count }
        return ((start + count - 1) % count, end)
    }
}

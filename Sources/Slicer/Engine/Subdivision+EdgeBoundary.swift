import Polytope

/// The decision boundary as segments between class cells: chords inside regions and pieces of
/// region edges.
extension Subdivision {
    /// One region's class cells, as `classCells` returns them for a region without a strict winner.
    typealias RegionCells = [(label: Int, polygon: LocalPolygon)]

    /// Every boundary segment, as a vertex pair: each chord between two cells once (from the cell of
    /// the lower class), then the pieces of region edges (`edgeBoundary`). `cells` holds the regions
    /// without a strict winner.
    func boundarySegments(cells: [Int: RegionCells]) -> [(Int32, Int32)] {
        var segments: [(Int32, Int32)] = []
        for f in cells.keys.sorted() {
            for (c, cell) in cells[f]! {
                let m = cell.vertices.count
                for index in 0..<m where cell.otherClass[index] >= 0 && classAcross(chord: index, of: cell, label: c, region: f) > c {
                    segments.append((cell.vertices[index], cell.vertices[(index + 1) % m]))
                }
            }
        }
        return segments + edgeBoundary(cells: cells)
    }

    /// The class on the other side of a chord of the cell of class c in region f.
    ///
    /// The chord lies where l_c = l_i for the class i that made it (the lowest one tied with c along
    /// it). When further classes tie with c all along the chord (degenerate logits), the class across
    /// is the one that wins just beyond it: every tied l_x − l_c vanishes on the chord's line, so it is
    /// α_x·(l_i − l_c) on the region, and the order of the α_x is the order of the l_x at any region
    /// vertex where l_i > l_c; ties go to the lower index.
    func classAcross(chord index: Int, of cell: LocalPolygon, label c: Int, region f: Int) -> Int {
        let i = Int(cell.otherClass[index])
        let (u, v) = (cell.vertices[index], cell.vertices[(index + 1) % cell.vertices.count])
        var tied = [i]
        for x in 0..<classCount where x != c && x != i {
            let difference = logitLine(x, minus: c, region: f)
            if sign(u, difference) == 0 && sign(v, difference) == 0 { tied.append(x) }
        }
        if tied.count == 1 { return i }
        let beyond = logitLine(i, minus: c, region: f)
        guard let probe = faces[f].vertices.first(where: { sign($0, beyond) > 0 }) else { return i }
        var best = tied.min()!
        for x in tied.sorted() where x != best && sign(probe, logitLine(x, minus: best, region: f)) > 0 { best = x }
        return best
    }

    /// The pieces of region edges across which the predicted class changes, as vertex pairs.
    ///
    /// Where a logit difference vanishes along a whole edge (degenerate networks: two classes whose
    /// logits differ by a neuron that is off on one side), the classes of the two regions can differ
    /// along the edge without any chord inside either region. Only edges between two regions without
    /// a strict winner can hold such a piece (a class winning strictly at an edge's endpoints wins on
    /// both sides of it), so `cells` holds just those regions.
    func edgeBoundary(cells: [Int: RegionCells]) -> [(Int32, Int32)] {
        // Per region and edge: the pieces of that edge its cells hold, each with its class.
        var pieces: [Int: [Int32: [(label: Int, from: Int32, to: Int32)]]] = [:]
        for (f, regionCells) in cells {
            var onEdges: [Int32: [(label: Int, from: Int32, to: Int32)]] = [:]
            for (label, cell) in regionCells {
                let m = cell.vertices.count
                for i in 0..<m where cell.faceEdge[i] >= 0 {
                    onEdges[cell.faceEdge[i], default: []].append((label, cell.vertices[i], cell.vertices[(i + 1) % m]))
                }
            }
            pieces[f] = onEdges
        }
        var segments: [(Int32, Int32)] = []
        for f in cells.keys.sorted() {
            for (e, mine) in pieces[f]!.sorted(by: { $0.key < $1.key }) {
                let g = Int(edges[Int(e)].otherFace(Int32(f)))
                guard g > f, let theirs = pieces[g]?[e] else { continue }
                for a in mine {
                    for b in theirs where a.label != b.label {
                        // Two classes that win on either side of a stretch of the edge tie all along it,
                        // so their difference vanishes at both ends of a's piece; else they meet at a point.
                        let difference = logitLine(a.label, minus: b.label, region: f)
                        guard sign(a.from, difference) == 0, sign(a.to, difference) == 0 else { continue }
                        if let common = overlap((a.from, a.to), (b.from, b.to), along: e) { segments.append(common) }
                    }
                }
            }
        }
        return segments
    }

    /// The common part of two pieces of edge e, as a vertex pair, when it has positive length.
    func overlap(_ a: (Int32, Int32), _ b: (Int32, Int32), along e: Int32) -> (Int32, Int32)? {
        // Both regions see the whole edge as one piece (the usual degenerate case): no arithmetic needed.
        if (a.0 == b.1 && a.1 == b.0) || (a.0 == b.0 && a.1 == b.1) { return a }
        let p = exactVertex(edges[Int(e)].from), q = exactVertex(edges[Int(e)].to)
        let ds = q.s - p.s, dt = q.t - p.t
        // Exact position along the edge: the dot product of x − p with the edge's direction.
        func position(_ v: Int32) -> (vertex: Int32, at: Rational) {
            let x = exactVertex(v)
            return (v, (x.s - p.s) * ds + (x.t - p.t) * dt)
        }
        func ordered(_ piece: (Int32, Int32)) -> (low: (vertex: Int32, at: Rational), high: (vertex: Int32, at: Rational)) {
            let u = position(piece.0), v = position(piece.1)
            return u.at < v.at ? (u, v) : (v, u)
        }
        let (aLow, aHigh) = ordered(a), (bLow, bHigh) = ordered(b)
        let low = aLow.at < bLow.at ? bLow : aLow
        let high = aHigh.at < bHigh.at ? aHigh : bHigh
        return low.at < high.at ? (low.vertex, high.vertex) : nil
    }
}

import Polytope

/// A convex polygon local to one region (class cells), with each edge's supporting line and, for
/// chords made by a logit difference l_c − l_i, the class i on the other side (−1 otherwise), and
/// for pieces of the region's own edges, that edge (−1 for chords).
struct LocalPolygon {
    var vertices: [Int32]
    var lines: [CertifiedLine]
    var otherClass: [Int32]
    var faceEdge: [Int32]
}

/// One region's class cells, as `classCells` returns them for a region without a strict winner.
typealias RegionCells = [(label: Int, polygon: LocalPolygon)]

/// What the decision boundary needs of an engine: its finished faces (each one region, with affine
/// logits), the logit-difference lines, and the engine's sign decisions and vertex construction.
/// Both the MLP engine and the graph engine conform, so the boundary is computed by one code path.
protocol DecisionBoundaryGeometry: KernelEngine {
    /// Classes: K logits, or two (negative, positive) for a single output.
    var classCount: Int { get }
    /// Finished face f (region f of the output).
    func face(_ f: Int) -> Face
    /// Edge e of the subdivision.
    func edge(_ e: Int32) -> Edge
    /// The line l_c − l_i on region r (for one output: +l for c = 1, −l for c = 0).
    func logitLine(_ c: Int, minus i: Int, region r: Int) -> CertifiedLine
    /// The exact sign of a line at a vertex.
    func sign(_ v: Int32, _ line: CertifiedLine) -> Int
    /// The class that wins strictly at vertex v of region r, or nil when classes tie there (or the
    /// engine cannot confirm its float winner cheaply).
    func strictWinner(at v: Int32, region r: Int) -> Int?
}

/// The decision boundary: argmax cells of the affine logits inside each finished region, and the
/// boundary segments between class cells (chords inside regions and pieces of region edges).
extension DecisionBoundaryGeometry {
    /// Keeps the part of a polygon where `line` ≥ 0; nil when that part has no interior. A line that
    /// vanishes on the whole polygon (two classes tied throughout) keeps it when `keepsTies`.
    func clip(_ polygon: LocalPolygon, by line: CertifiedLine, otherClass: Int32, keepsTies: Bool) -> LocalPolygon? {
        let signs = polygon.vertices.map { sign($0, line) }
        // The polygon has interior, so a line zero at all its vertices is zero on all of it.
        if signs.allSatisfy({ $0 == 0 }) { return keepsTies ? polygon : nil }
        guard signs.contains(1) else { return nil }
        guard signs.contains(-1) else { return polygon }
        let m = polygon.vertices.count
        var cycle: [Int32] = [], lines: [CertifiedLine] = [], others: [Int32] = [], edges: [Int32] = [], cycleSigns: [Int] = []
        for i in 0..<m {
            let p = polygon.vertices[i], q = polygon.vertices[(i + 1) % m]
            cycle.append(p); lines.append(polygon.lines[i]); others.append(polygon.otherClass[i])
            edges.append(polygon.faceEdge[i]); cycleSigns.append(signs[i])
            if signs[i] * signs[(i + 1) % m] < 0 {
                let w = makeVertex(from: p, to: q, edgeLine: polygon.lines[i], line: line)
                cycle.append(w); lines.append(polygon.lines[i]); others.append(polygon.otherClass[i])
                edges.append(polygon.faceEdge[i]); cycleSigns.append(0)
            }
        }
        let count = cycle.count
        let (zeroBefore, end) = PlanarTopology.positiveRun(cycleSigns)
        var result = LocalPolygon(vertices: [], lines: [], otherClass: [], faceEdge: [])
        var i = zeroBefore
        while i != end {
            result.vertices.append(cycle[i]); result.lines.append(lines[i]); result.otherClass.append(others[i])
            result.faceEdge.append(edges[i])
            i = (i + 1) % count
        }
        result.vertices.append(cycle[end]); result.lines.append(line); result.otherClass.append(otherClass)
        result.faceEdge.append(-1)
        return result
    }

    /// The class cells of face f; empty when one class wins strictly at every vertex (then it wins
    /// everywhere in the convex face), with that class.
    ///
    /// Ties go to the lowest index, as argmax does: the cell of class c is where l_c ≥ l_i for every
    /// i, and l_c > l_i for i < c where the two differ; a class tied with a lower one on the whole
    /// region has no cell there.
    func classCells(face f: Int) -> (uniform: Int?, cells: RegionCells) {
        let region = face(f)
        var winner: Int? = nil
        var uniform = true
        for v in region.vertices {
            guard let w = strictWinner(at: v, region: f) else { uniform = false; break }
            if winner == nil { winner = w } else if winner != w { uniform = false; break }
        }
        if uniform, let w = winner { return (w, []) }
        let start = LocalPolygon(vertices: region.vertices, lines: region.edges.map { edgeLines[Int($0)] },
                                 otherClass: Array(repeating: -1, count: region.vertices.count), faceEdge: region.edges)
        var cells: RegionCells = []
        for c in 0..<classCount {
            var polygon: LocalPolygon? = start
            for i in 0..<classCount where i != c {
                guard let current = polygon else { break }
                polygon = clip(current, by: logitLine(c, minus: i, region: f), otherClass: Int32(i), keepsTies: i > c)
            }
            if let cell = polygon { cells.append((c, cell)) }
        }
        return (nil, cells)
    }

    /// The predicted class and class cells (in frame coordinates) of each face in `candidates` (those
    /// not already known to have a strict winner), and every boundary segment. A face without a strict
    /// winner is labelled with its largest cell's class.
    func decisionCells(_ candidates: [Int], labels: inout [Int], frame: (Int32) -> Point2)
        -> (cells: [Int: [ClassCell]], segments: [(Point2, Point2)], segmentVertices: [(Int32, Int32)]) {
        var cellsOf: [Int: [ClassCell]] = [:]
        var regionCells: [Int: RegionCells] = [:]
        for f in candidates {
            let (winner, cells) = classCells(face: f)
            labels[f] = winner ?? 0
            guard winner == nil else { continue }
            regionCells[f] = cells
            var largest = -1.0
            var classCells: [ClassCell] = []
            for (c, cell) in cells {
                let points = cell.vertices.map(frame)
                let area = abs(signedArea(points))
                if area > largest { largest = area; labels[f] = c }
                classCells.append(ClassCell(polygon: points, label: c))
            }
            cellsOf[f] = classCells
        }
        let segments = boundarySegments(cells: regionCells)
        return (cellsOf, segments.map { (frame($0.0), frame($0.1)) }, segments)
    }

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
        guard let probe = face(f).vertices.first(where: { sign($0, beyond) > 0 }) else { return i }
        var best = tied.min()!
        for x in tied.sorted() where x != best && sign(probe, logitLine(x, minus: best, region: f)) > 0 { best = x }
        return best
    }

    /// The pieces of region edges across which the predicted class changes, as vertex pairs.
    ///
    /// Where a logit difference vanishes along a whole edge (degenerate networks: two classes whose
    /// logits differ by a unit that is off on one side), the classes of the two regions can differ
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
                let g = Int(edge(e).otherFace(Int32(f)))
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
        let p = exactVertex(edge(e).from), q = exactVertex(edge(e).to)
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

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

/// The decision boundary: argmax cells of the affine logits inside each final region.
extension Subdivision {
    var outputLayer: Int { network.layers.count - 1 }
    /// Classes: K logits, or two (negative, positive) for a single output.
    var classCount: Int { max(network.outputDimension, 2) }

    /// The line l_c − l_i on region r (for one output: +l for c = 1, −l for c = 0).
    func logitLine(_ c: Int, minus i: Int, region r: Int) -> CertifiedLine {
        let k = outputLayer
        let n = network.outputDimension
        let base = r * 3 * n
        let map = maps[k].base, bound = maps[k].bound
        if n == 1 {
            let sign: Double = c == 1 ? 1 : -1
            return CertifiedLine(a: sign * map[base], b: sign * map[base + 1], c: sign * map[base + 2],
                                 ea: bound[0], eb: bound[1], ec: bound[2], ref: .logit(c, minus: i, region: r))
        }
        let a = map[base + c] - map[base + i], b = map[base + n + c] - map[base + n + i]
        let cc = map[base + 2 * n + c] - map[base + 2 * n + i]
        // One rounding of each difference on top of both rows' bounds.
        let ea = (bound[c] + bound[i] + unitRoundoff * abs(a)) * boundSafety
        let eb = (bound[n + c] + bound[n + i] + unitRoundoff * abs(b)) * boundSafety
        let ec = (bound[2 * n + c] + bound[2 * n + i] + unitRoundoff * abs(cc)) * boundSafety
        return CertifiedLine(a: a, b: b, c: cc, ea: ea, eb: eb, ec: ec, ref: .logit(c, minus: i, region: r))
    }

    /// The class that certainly wins strictly at vertex v of region r, or nil when classes tie there
    /// or the float winner could not be confirmed.
    func strictWinner(at v: Int32, region r: Int) -> Int? {
        let best = floatArgmax(at: v, region: r)
        for i in 0..<classCount where i != best && !certainlyBeats(best, i, at: v, region: r) {
            if sign(v, logitLine(best, minus: i, region: r)) <= 0 { return nil }
        }
        return best
    }

    /// The class with the largest float logit at a vertex (for one output: its side).
    func floatArgmax(at v: Int32, region r: Int) -> Int {
        Subdivision.floatArgmax(map: maps[outputLayer].base.baseAddress! + r * 3 * network.outputDimension,
                                outputs: network.outputDimension, s: vertexRecords[Int(v)].s, t: vertexRecords[Int(v)].t)
    }

    static func floatArgmax(map: UnsafePointer<Double>, outputs n: Int, s: Double, t: Double) -> Int {
        if n == 1 { return map[0] * s + map[1] * t + map[2] > 0 ? 1 : 0 }
        var best = 0
        var bestValue = -Double.infinity
        for c in 0..<n {
            let value = map[c] * s + map[n + c] * t + map[2 * n + c]
            if value > bestValue { bestValue = value; best = c }
        }
        return best
    }

    /// True when l̃_c − l̃_i at the vertex exceeds the bound of `evaluate` for the difference line
    /// (built as `logitLine` builds it), so class c certainly beats class i there. Reads only.
    func certainlyBeats(_ c: Int, _ i: Int, at v: Int32, region r: Int) -> Bool {
        let n = network.outputDimension
        if n == 1 { return false }
        return maps[outputLayer].bound.withUnsafeBufferPointer { bound in
            Subdivision.certainlyBeats(c, i, map: maps[outputLayer].base.baseAddress! + r * 3 * n, bound: bound.baseAddress!,
                                       outputs: n, s: vertexRecords[Int(v)].s, t: vertexRecords[Int(v)].t,
                                       delta: vertexRecords[Int(v)].delta)
        }
    }

    static func certainlyBeats(_ c: Int, _ i: Int, map: UnsafePointer<Double>, bound: UnsafePointer<Double>,
                               outputs n: Int, s: Double, t: Double, delta: Double) -> Bool {
        let a = map[c] - map[i], b = map[n + c] - map[n + i]
        let cc = map[2 * n + c] - map[2 * n + i]
        let ea = (bound[c] + bound[i] + unitRoundoff * abs(a)) * boundSafety
        let eb = (bound[n + c] + bound[n + i] + unitRoundoff * abs(b)) * boundSafety
        let ec = (bound[2 * n + c] + bound[2 * n + i] + unitRoundoff * abs(cc)) * boundSafety
        let value = a * s + b * t + cc
        let error = ((ea * abs(s) + eb * abs(t) + ec) + (abs(a) + ea + abs(b) + eb) * delta
                     + gamma3 * (abs(a * s) + abs(b * t) + abs(cc))) * boundSafety + boundFloor
        return value > error
    }

    /// The class winning strictly at every vertex of face f by the float test alone, or nil.
    ///
    /// At each vertex every logit gets the error bound E_x of `evaluate`, so the true l_x lies within
    /// E_x of its float value z̃_x; class b certainly beats class i when z̃_b − z̃_i > E_b + E_i. The
    /// computed difference d carries one rounding (d ≤ (z̃_b − z̃_i)(1 + u)), and `boundSafety`
    /// covers that and the rounding of (E_b + E_i)·boundSafety, so d > (E_b + E_i)·boundSafety suffices.
    /// `values` and `errors` are scratch space for the K logits.
    func floatUniformClass(face f: Int, map: UnsafePointer<Double>, bound: UnsafePointer<Double>,
                           vertices: VertexView, values: UnsafeMutablePointer<Double>,
                           errors: UnsafeMutablePointer<Double>) -> Int? {
        let n = network.outputDimension
        if n == 1 { return nil }
        let map = map + f * 3 * n
        let ea = bound, eb = bound + n, ec = bound + 2 * n
        var winner: Int? = nil
        for v in faces[f].vertices {
            let record = vertices[v]
            let s = record.s, t = record.t, delta = record.delta
            var best = 0
            var bestValue = -Double.infinity
            for x in 0..<n {
                let a = map[x], b = map[n + x], c = map[2 * n + x]
                values[x] = a * s + b * t + c
                errors[x] = (ea[x] * abs(s) + eb[x] * abs(t) + ec[x] + (abs(a) + ea[x] + abs(b) + eb[x]) * delta
                             + gamma3 * (abs(a * s) + abs(b * t) + abs(c))) * boundSafety + boundFloor
                if values[x] > bestValue { bestValue = values[x]; best = x }
            }
            guard winner == nil || winner == best else { return nil }
            for i in 0..<n where i != best {
                if !(values[best] - values[i] > (errors[best] + errors[i]) * boundSafety) { return nil }
            }
            winner = best
        }
        return winner
    }

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
        let (zeroBefore, end) = positiveRun(cycleSigns)
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

    /// The class cells of face f (which is region f of the output layer); empty when one class wins
    /// strictly at every vertex (then it wins everywhere in the convex face), with that class.
    ///
    /// Ties go to the lowest index, as argmax does: the cell of class c is where l_c ≥ l_i for every
    /// i, and l_c > l_i for i < c where the two differ; a class tied with a lower one on the whole
    /// region has no cell there.
    func classCells(face f: Int) -> (uniform: Int?, cells: [(label: Int, polygon: LocalPolygon)]) {
        let face = faces[f]
        var winner: Int? = nil
        var uniform = true
        for v in face.vertices {
            guard let w = strictWinner(at: v, region: f) else { uniform = false; break }
            if winner == nil { winner = w } else if winner != w { uniform = false; break }
        }
        if uniform, let w = winner { return (w, []) }
        let start = LocalPolygon(vertices: face.vertices, lines: face.edges.map { edgeLines[Int($0)] },
                                 otherClass: Array(repeating: -1, count: face.vertices.count), faceEdge: face.edges)
        var cells: [(Int, LocalPolygon)] = []
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
}

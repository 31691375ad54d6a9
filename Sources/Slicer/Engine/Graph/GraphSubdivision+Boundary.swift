import Polytope

/// The decision boundary: argmax cells of the affine logits inside each finished face.
extension GraphSubdivision {
    /// Classes: K logits, or two (negative, positive) for a single output.
    var classCount: Int { max(outputCount, 2) }

    /// The line l_c − l_i on face f (for one output: +l for c = 1, −l for c = 0). The difference
    /// adds one rounding to both rows' bounds.
    func logitLine(_ c: Int, minus i: Int, face f: Int32) -> CertifiedLine {
        let n = outputCount, base = Int(f) * 3 * n
        let e = bounds[plan.graph.outputValue].error
        if n == 1 {
            let sign: Double = c == 1 ? 1 : -1
            return CertifiedLine(a: sign * logits[base], b: sign * logits[base + 1], c: sign * logits[base + 2],
                                 ea: e[0], eb: e[1], ec: e[2], ref: .logit(c, minus: i, region: Int(f)))
        }
        let a = logits[base + c] - logits[base + i], b = logits[base + n + c] - logits[base + n + i]
        let cc = logits[base + 2 * n + c] - logits[base + 2 * n + i]
        let ea = (e[c] + e[i] + unitRoundoff * abs(a)) * boundSafety
        let eb = (e[n + c] + e[n + i] + unitRoundoff * abs(b)) * boundSafety
        let ec = (e[2 * n + c] + e[2 * n + i] + unitRoundoff * abs(cc)) * boundSafety
        return CertifiedLine(a: a, b: b, c: cc, ea: ea, eb: eb, ec: ec, ref: .logit(c, minus: i, region: Int(f)))
    }

    /// The class with the largest float logit at a vertex (for one output: its side).
    func floatArgmax(at v: Int32, face f: Int32) -> Int {
        let n = outputCount, base = Int(f) * 3 * n
        let s = vertexRecords[Int(v)].s, t = vertexRecords[Int(v)].t
        if n == 1 { return logits[base] * s + logits[base + 1] * t + logits[base + 2] > 0 ? 1 : 0 }
        var best = 0, bestValue = -Double.infinity
        for c in 0..<n {
            let value = logits[base + c] * s + logits[base + n + c] * t + logits[base + 2 * n + c]
            if value > bestValue { bestValue = value; best = c }
        }
        return best
    }

    /// The class that wins strictly at vertex v of face f, or nil when classes tie there. The float
    /// argmax is tried first; when a near tie fools it, the other classes are (so the answer is exact).
    func strictWinner(at v: Int32, face f: Int32) -> Int? {
        let best = floatArgmax(at: v, face: f)
        for c in [best] + (0..<classCount).filter({ $0 != best }) {
            if (0..<classCount).allSatisfy({ $0 == c || sign(v, logitLine(c, minus: $0, face: f)) > 0 }) { return c }
        }
        return nil
    }

    /// Keeps the part of a polygon where `line` ≥ 0; nil when that part has no interior.
    func clip(_ polygon: LocalPolygon, by line: CertifiedLine, otherClass: Int32) -> LocalPolygon? {
        let signs = polygon.vertices.map { sign($0, line) }
        guard signs.contains(1) else { return nil }
        guard signs.contains(-1) else { return polygon }
        let m = polygon.vertices.count
        var cycle: [Int32] = [], lines: [CertifiedLine] = [], others: [Int32] = [], cycleSigns: [Int] = []
        for i in 0..<m {
            let p = polygon.vertices[i], q = polygon.vertices[(i + 1) % m]
            cycle.append(p); lines.append(polygon.lines[i]); others.append(polygon.otherClass[i]); cycleSigns.append(signs[i])
            if signs[i] * signs[(i + 1) % m] < 0 {
                let w = makeVertex(from: p, to: q, edgeLine: polygon.lines[i], line: line)
                cycle.append(w); lines.append(polygon.lines[i]); others.append(polygon.otherClass[i]); cycleSigns.append(0)
            }
        }
        let count = cycle.count
        let (zeroBefore, end) = PlanarTopology.positiveRun(cycleSigns)
        var result = LocalPolygon(vertices: [], lines: [], otherClass: [], faceEdge: [])
        var i = zeroBefore
        while i != end {
            result.vertices.append(cycle[i]); result.lines.append(lines[i]); result.otherClass.append(others[i])
            i = (i + 1) % count
        }
        result.vertices.append(cycle[end]); result.lines.append(line); result.otherClass.append(otherClass)
        return result
    }

    /// The class cells of face f; empty when one class wins strictly at every vertex (then it wins
    /// everywhere in the convex face), with that class.
    func classCells(face f: Int32) -> (uniform: Int?, cells: [(label: Int, polygon: LocalPolygon)]) {
        let face = topology.faces[Int(f)]
        var winner: Int? = nil
        var uniform = true
        for v in face.vertices {
            guard let w = strictWinner(at: v, face: f) else { uniform = false; break }
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
                polygon = clip(current, by: logitLine(c, minus: i, face: f), otherClass: Int32(i))
            }
            if let cell = polygon { cells.append((c, cell)) }
        }
        return (nil, cells)
    }
}

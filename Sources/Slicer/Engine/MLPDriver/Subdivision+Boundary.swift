import Polytope

/// The decision boundary: argmax cells of the affine logits inside each final region.
extension Subdivision: DecisionBoundaryGeometry {
    var outputLayer: Int { network.layers.count - 1 }
    /// Classes: K logits, or two (negative, positive) for a single output.
    var classCount: Int { max(network.outputDimension, 2) }

    /// The line l_c − l_i on region r (for one output: +l for c = 1, −l for c = 0).
    func logitLine(_ c: Int, minus i: Int, region r: Int) -> CertifiedLine {
        let n = network.outputDimension
        return CertifiedLine.logitDifference(c, minus: i, rows: maps[outputLayer].base, base: r * 3 * n,
                                             error: maps[outputLayer].bound, outputs: n, region: r)
    }

    /// The class that wins strictly at vertex v of region r, or nil when classes tie there (exact).
    ///
    /// The float argmax is only the first candidate: a near tie at the vertex's float coordinates may
    /// fool it, so a class it does not certainly beat is compared exactly and replaces it when larger.
    /// A replacement exceeds every class seen so far, so one pass finds the maximum and its ties.
    func strictWinner(at v: Int32, region r: Int) -> Int? {
        var best = floatArgmax(at: v, region: r)
        var tied = false
        for i in 0..<classCount where i != best && !certainlyBeats(best, i, at: v, region: r) {
            let s = sign(v, logitLine(best, minus: i, region: r))
            if s < 0 { best = i; tied = false } else if s == 0 { tied = true }
        }
        return tied ? nil : best
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
        let error = affineFormBound(a: a, b: b, c: cc, ea: differenceBound(bound[c], bound[i], difference: a),
                                    eb: differenceBound(bound[n + c], bound[n + i], difference: b),
                                    ec: differenceBound(bound[2 * n + c], bound[2 * n + i], difference: cc),
                                    s: abs(s), t: abs(t), delta: delta)
        return a * s + b * t + cc > error
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
                errors[x] = affineFormBound(a: a, b: b, c: c, ea: ea[x], eb: eb[x], ec: ec[x], s: abs(s), t: abs(t), delta: delta)
                if values[x] > bestValue { bestValue = values[x]; best = x }
            }
            guard winner == nil || winner == best else { return nil }
            for i in 0..<n where i != best {
                if !(values[best] - values[i] > sumError(errors[best], errors[i])) { return nil }
            }
            winner = best
        }
        return winner
    }

    // `DecisionBoundaryGeometry`: the MLP engine's faces are its final regions.
    func face(_ f: Int) -> Face { faces[f] }
    func edge(_ e: Int32) -> Edge { edges[Int(e)] }
}

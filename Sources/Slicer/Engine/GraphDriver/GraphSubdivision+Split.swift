import Polytope

/// Splitting a face by the units of one activation node.
extension GraphSubdivision {
    /// Unit j of a map as a certified line of region f at level m.
    func line(unit j: Int, map: FloatValueMap, bound: ValueBound, level m: Int, region f: Int32) -> CertifiedLine {
        let n = map.count
        return CertifiedLine(a: map.rows[j], b: map.rows[n + j], c: map.rows[2 * n + j],
                             ea: bound.error[j], eb: bound.error[n + j], ec: bound.error[2 * n + j],
                             ref: .neuron(layer: m, neuron: j, region: Int(f)))
    }

    /// Splits face f by every unit of `map` (the input of level m's activation on f) whose zero line
    /// crosses it; sets every piece's pattern bits of the level and returns the pieces (f first).
    /// With a `hint`, only its `candidates` are tested on f; its `positive` units are positive on f.
    func split(face f: Int32, level m: Int, map: FloatValueMap, bound: ValueBound, hint: LevelHint? = nil) throws
        -> (pieces: [Int32], crossing: [Int]) {
        let offset = plan.patternOffsets[m]
        let firstNewFace = topology.faces.count
        var crossing: [(unit: Int, line: CertifiedLine)] = []
        var ambiguous: [Int] = []
        if let hint { setBits(face: f, offset: offset, units: hint.positive) }
        let vertices = topology.faces[Int(f)].vertices
        pathUnits.setFixedBits(self, face: f, level: m)
        let classes = pathUnits.classify(self, units: hint?.candidates, vertices: vertices, level: m, map: map, bound: bound)
        setBits(face: f, offset: offset, units: classes.positive)
        for j in classes.positive { markSomewhere(level: m, unit: j, positive: true, negative: false) }
        for j in classes.negative { markSomewhere(level: m, unit: j, positive: false, negative: true) }
        crossing = classes.crossing.map { ($0, line(unit: $0, map: map, bound: bound, level: m, region: f)) }
        ambiguous = classes.ambiguous
        // Undecided units: exact-correct signs at every vertex.
        for j in ambiguous {
            let line = line(unit: j, map: map, bound: bound, level: m, region: f)
            var positive = false, negative = false
            for v in topology.faces[Int(f)].vertices {
                let s = sign(v, line)
                if s > 0 { positive = true } else if s < 0 { negative = true }
                if positive && negative { break }
            }
            if positive && negative { crossing.append((j, line)) }
            else {
                facePattern[Int(f)][offset + j] = positive
                markSomewhere(level: m, unit: j, positive: positive, negative: negative)
            }
        }
        crossing.sort { $0.unit < $1.unit }
        for (j, _) in crossing { markSomewhere(level: m, unit: j, positive: true, negative: true) }
        if !crossing.isEmpty {
            var scratch = CutScratch()
            try cut(face: f, by: crossing, layer: m + 1, patternOffset: offset, scratch: &scratch)
        }
        return ([f] + (firstNewFace..<topology.faces.count).map(Int32.init), crossing.map(\.unit))
    }

    /// Sets face f's pattern bits offset + j for j in `units`.
    func setBits(face f: Int32, offset: Int, units: [Int]) {
        facePattern[Int(f)].words.withUnsafeMutableBufferPointer { words in
            for j in units { words[(offset + j) >> 6] |= 1 << UInt64((offset + j) & 63) }
        }
    }

    func markSomewhere(level m: Int, unit j: Int, positive: Bool, negative: Bool) {
        if positive { positiveSomewhere[m][j >> 6] |= 1 << UInt64(j & 63) }
        if negative { negativeSomewhere[m][j >> 6] |= 1 << UInt64(j & 63) }
    }

    /// Classifies `units` (all when nil) on the convex polygon with these vertices from their float
    /// values at the vertices, with one bound per unit: the per-vertex bound of `evaluate` with |s|,
    /// |t| and δ at their polygon maxima. Certainly positive, certainly negative, certainly crossing,
    /// and the rest, as the kernel classifies them.
    func classify(units: [Int]?, vertices: [Int32], map: FloatValueMap, bound: ValueBound)
        -> (positive: [Int], negative: [Int], crossing: [Int], ambiguous: [Int]) {
        let n = map.count
        let count = units?.count ?? n
        var low = [Double](repeating: .infinity, count: count), high = [Double](repeating: -.infinity, count: count)
        var sMax = 0.0, tMax = 0.0, deltaMax = 0.0
        map.rows.withUnsafeBufferPointer { rows in
            let a = rows.baseAddress!, b = a + n, c = b + n
            for v in vertices {
                let record = vertexRecords[Int(v)]
                let s = record.s, t = record.t
                sMax = max(sMax, abs(s)); tMax = max(tMax, abs(t)); deltaMax = max(deltaMax, record.delta)
                if let units {
                    for (i, j) in units.enumerated() {
                        let z = a[j] * s + b[j] * t + c[j]
                        low[i] = min(low[i], z); high[i] = max(high[i], z)
                    }
                } else {
                    for j in 0..<n {
                        let z = a[j] * s + b[j] * t + c[j]
                        low[j] = min(low[j], z); high[j] = max(high[j], z)
                    }
                }
            }
        }
        var positive: [Int] = [], negative: [Int] = [], crossing: [Int] = [], ambiguous: [Int] = []
        for i in 0..<count {
            let j = units?[i] ?? i
            let a = map.rows[j], b = map.rows[n + j], c = map.rows[2 * n + j]
            let ea = bound.error[j], eb = bound.error[n + j], ec = bound.error[2 * n + j]
            let e = affineFormBound(a: a, b: b, c: c, ea: ea, eb: eb, ec: ec, s: sMax, t: tMax, delta: deltaMax)
            switch kernel.classify(low: low[i], high: high[i], bound: e) {
            case .positive: positive.append(j)
            case .negative: negative.append(j)
            case .crossing: crossing.append(j)
            case .undecided: ambiguous.append(j)
            }
        }
        return (positive, negative, crossing, ambiguous)
    }
}

/// What a face's pieces share at the next level: the units whose sign must still be tested on each
/// piece, and the units positive on all of them (the rest are negative on all of them).
struct LevelHint {
    var candidates: [Int]
    var positive: [Int]
}

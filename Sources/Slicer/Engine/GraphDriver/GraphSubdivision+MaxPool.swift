import Polytope

/// Splitting a face by the windows of a max pool: each window's upper envelope, one convex cell per
/// winner.
///
/// Within one face the window's inputs z_0, …, z_{k−1} are affine. The cell of winner i is the face ∩
/// {z_i ≥ z_j for all j} (ties to the lowest index). The cells are built by inserting the inputs in
/// order: input j takes, from each current cell of winner i, the part where z_j − z_i > 0 (one line
/// cut of a convex cell, decided by `sign` like every other cut); the parts it took tile the convex
/// set {z_j > all earlier} and are merged back into one face, and what the merge leaves behind
/// (edges inside the new cell, vertices on no edge, vertices that only split a straight edge) is
/// removed. Inputs equal to an earlier one on the face never take anything (z_j − z_i ≡ 0 there), so
/// duplicated channels and dead units do not split it.
extension GraphSubdivision {
    /// The output of level m on a face of `pattern`: the activation's, or the pooled winners'.
    func levelOutput(_ m: Int, _ input: FloatValueMap, pattern: ActivationPattern) -> FloatValueMap {
        switch plan.steps[plan.activationNodes[m]] {
        case .piecewise(let activation): return activation.apply(input, pattern: pattern, offset: plan.patternOffsets[m])
        case .maxPool(let pool): return pool.apply(input, pattern: pattern, offset: plan.patternOffsets[m])
        case .affine: preconditionFailure("not a level")
        }
    }

    func levelOutput(_ m: Int, _ input: ExactValueMap, pattern: ActivationPattern) -> ExactValueMap {
        switch plan.steps[plan.activationNodes[m]] {
        case .piecewise(let activation): return activation.apply(input, pattern: pattern, offset: plan.patternOffsets[m])
        case .maxPool(let pool): return pool.apply(input, pattern: pattern, offset: plan.patternOffsets[m])
        case .affine: preconditionFailure("not a level")
        }
    }

    /// z_a − z_b for units a and b of `map` (level m's input on region f), each coefficient's bound
    /// a floored `differenceBound`.
    func poolLine(_ a: Int, minus b: Int, map: FloatValueMap, bound: ValueBound, level m: Int, region f: Int32) -> CertifiedLine {
        let n = map.count, e = bound.error
        let da = map.rows[a] - map.rows[b], db = map.rows[n + a] - map.rows[n + b], dc = map.rows[2 * n + a] - map.rows[2 * n + b]
        return CertifiedLine(a: da, b: db, c: dc,
                             ea: floored(differenceBound(e[a], e[b], difference: da)),
                             eb: floored(differenceBound(e[n + a], e[n + b], difference: db)),
                             ec: floored(differenceBound(e[2 * n + a], e[2 * n + b], difference: dc)),
                             ref: .pool(layer: m, a, minus: b, region: Int(f)))
    }

    /// Splits face f (entering level m, a max pool) into the cells of every window; sets the pieces'
    /// winner bits and returns them (f first).
    func splitByWindows(face f: Int32, level m: Int, map: FloatValueMap, bound: ValueBound) throws -> [Int32] {
        let pool = plan.maxPool(level: m)!
        var pieces: [Int32] = [f]
        for w in undecidedWindows(face: f, level: m, pool: pool, map: map, bound: bound) {
            let inputs = pool.inputs(of: w)
            var next: [Int32] = []
            for g in pieces {
                next += try envelope(face: g, window: w, inputs: inputs, pool: pool, level: m, region: f, map: map, bound: bound)
            }
            pieces = next
        }
        return pieces
    }

    /// The cells of window w's upper envelope on face g (g first), their winner bits set.
    func envelope(face g: Int32, window w: Int, inputs: [(slot: Int, unit: Int)], pool: MaxPoolOperation, level m: Int,
                  region f: Int32, map: FloatValueMap, bound: ValueBound) throws -> [Int32] {
        let bitBase = plan.patternOffsets[m] + w * pool.taps
        func finish(_ cells: [(face: Int32, winner: Int)]) -> [Int32] {
            for (h, i) in cells {
                facePattern[Int(h)][bitBase + inputs[i].slot] = true
                markSomewhere(level: m, unit: w * pool.taps + inputs[i].slot, positive: true, negative: false)
            }
            return cells.map(\.face)
        }
        if inputs.count == 1 { return finish([(g, 0)]) }
        if let i = dominatingInput(face: g, inputs: inputs, map: map, bound: bound) {
            return finish([(g, i)])
        }
        // Inputs equal to an earlier one on the face would take nothing; skipping them saves their
        // signs, which are all zero and so all exact.
        let isZero = zeroInputs(inputs, level: m, face: f)
        var candidates = [0]
        for j in 1..<inputs.count where !candidates.contains(where: {
            (isZero[j] && isZero[$0])
                || sameFunction(inputs[j].unit, inputs[$0].unit, map: map, bound: bound, level: m, region: f)
        }) { candidates.append(j) }
        if candidates.count == 1 { return finish([(g, 0)]) }
        let firstFace = Int32(topology.faces.count), firstEdge = Int32(topology.edges.count), firstVertex = Int32(vertexRecords.count)
        let original = topology.faces[Int(g)]
        let originalEnds = original.edges.map { (topology.edges[Int($0)].from, topology.edges[Int($0)].to) }
        var cells: [(face: Int32, winner: Int)] = [(g, 0)]
        var deadFaces: [Int32] = [], deadEdges: [Int32] = []
        var signs: [Int] = []
        for j in candidates.dropFirst() {
            var taken: [Int32] = [], kept: [(face: Int32, winner: Int)] = []
            for (h, i) in cells {
                let line = poolLine(inputs[j].unit, minus: inputs[i].unit, map: map, bound: bound, level: m, region: f)
                let (positive, negative) = self.signs(of: line, onFace: h, into: &signs)
                if !positive { kept.append((h, i)); continue }
                if !negative { taken.append(h); continue }
                let rest = try split(face: h, by: line, signs: signs, layer: Int32(m + 1), neuron: Int32(w))
                taken.append(h); kept.append((rest, i))
            }
            if taken.isEmpty { continue }
            let merged = topology.merge(taken, deadEdges: &deadEdges)
            deadFaces += taken.filter { $0 != merged }
            cells = kept + [(merged, j)]
        }
        cells.sort { $0.face < $1.face }
        let renamed = compactEnvelope(cells: cells.map(\.face), firstFace: firstFace, firstEdge: firstEdge,
                                      firstVertex: firstVertex, deadFaces: deadFaces, deadEdges: deadEdges)
        // The same representation whatever was cut and merged back on the way (certified mode skips
        // the cutting when one input dominates) and however many threads share the work: g's
        // boundary edges that are whole again get their old direction, and each cell's cycle starts
        // at g's first vertex, or else at its oldest edge not on a first-level line. (Edges on
        // first-level lines are split by the neighbouring pieces too, which a copy of the engine on
        // another thread does not see; so are their vertices.)
        for (e, ends) in zip(original.edges, originalEnds) {
            let edge = topology.edges[Int(e)]
            if edge.from == ends.1 && edge.to == ends.0 { topology.edges[Int(e)].from = ends.0; topology.edges[Int(e)].to = ends.1 }
        }
        for h in renamed {
            let face = topology.faces[Int(h)]
            let start = face.vertices.firstIndex(of: original.vertices[0]) ?? oldestInnerEdge(of: face)
            topology.faces[Int(h)] = Face(vertices: Array(face.vertices[start...] + face.vertices[..<start]),
                                          edges: Array(face.edges[start...] + face.edges[..<start]))
        }
        return finish(zip(renamed, cells).map { ($0, $1.winner) })
    }

    /// Per input of a window: true when it is certainly zero on face f, being the output of a ReLU
    /// (negative slope 0) whose bit is off on f. Two such inputs are the same function, which
    /// `sameFunction` could only find exactly (their floats are zero, but so small a difference is
    /// within any float bound).
    func zeroInputs(_ inputs: [(slot: Int, unit: Int)], level m: Int, face f: Int32) -> [Bool] {
        guard let offset = zeroInputOffset(level: m) else { return [Bool](repeating: false, count: inputs.count) }
        let pattern = facePattern[Int(f)]
        return inputs.map { !pattern[offset + $0.unit] }
    }

    /// The position in a cell's cycle of its smallest edge not on a first-level line (a cell of an
    /// envelope with several cells has one: an edge on a pool line), else of its smallest edge.
    func oldestInnerEdge(of face: Face) -> Int {
        func inner(_ e: Int32) -> Bool {
            let ref = edgeLines[Int(e)].ref
            return !(ref.kind == .neuron && ref.layer == 0)
        }
        func key(_ k: Int) -> (Int, Int32) { (inner(face.edges[k]) ? 0 : 1, face.edges[k]) }
        return face.edges.indices.min { key($0) < key($1) }!
    }

    /// True when units a and b of level m's input are the same affine function on region f.
    func sameFunction(_ a: Int, _ b: Int, map: FloatValueMap, bound: ValueBound, level m: Int, region f: Int32) -> Bool {
        kernel.vanishes(poolLine(a, minus: b, map: map, bound: bound, level: m, region: f), in: self)
    }

    /// An input that the kernel finds larger than every other at every point of face g, from the
    /// float values at its vertices and their bound (`affineFormBound` at the face's maxima, per
    /// input): then it is the only cell, as the exact envelope would find.
    func dominatingInput(face g: Int32, inputs: [(slot: Int, unit: Int)], map: FloatValueMap, bound: ValueBound) -> Int? {
        let n = map.count
        var sMax = 0.0, tMax = 0.0, deltaMax = 0.0
        let vertices = topology.faces[Int(g)].vertices
        for v in vertices {
            let record = vertexRecords[Int(v)]
            sMax = max(sMax, abs(record.s)); tMax = max(tMax, abs(record.t)); deltaMax = max(deltaMax, record.delta)
        }
        var low: [Double] = [], high: [Double] = []
        for (_, u) in inputs {
            let a = map.rows[u], b = map.rows[n + u], c = map.rows[2 * n + u]
            let ea = bound.error[u], eb = bound.error[n + u], ec = bound.error[2 * n + u]
            let e = affineFormBound(a: a, b: b, c: c, ea: ea, eb: eb, ec: ec, s: sMax, t: tMax, delta: deltaMax)
            var lo = Double.infinity, hi = -Double.infinity
            for v in vertices {
                let record = vertexRecords[Int(v)]
                let z = a * record.s + b * record.t + c
                lo = min(lo, z); hi = max(hi, z)
            }
            // NaN fails every comparison of the kernel, so no input dominates.
            low.append(lo - e); high.append(hi + e)
        }
        return kernel.dominant(low: low, high: high)
    }

    /// Windows of level m (a max pool) won by more than one input somewhere in the domain.
    func windowsChangingWinner(level m: Int, pool: MaxPoolOperation) -> Int {
        let won = positiveSomewhere[m]
        return (0..<pool.windows).filter { w in
            (0..<pool.taps).reduce(0) { count, slot in
                let bit = w * pool.taps + slot
                return count + (won[bit >> 6] >> UInt64(bit & 63) & 1 == 1 ? 1 : 0)
            } > 1
        }.count
    }
}

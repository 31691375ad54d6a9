/// The windows of a max pool whose winner is settled on a whole face, found once per face before
/// any envelope is built: then only the other windows cut it, piece by piece.
extension GraphSubdivision {
    /// The windows of level m (a max pool) that may have more than one winner on face f, in order.
    /// Every other window's winner bit is set on f (its pieces inherit it): a window with one input
    /// inside the image; one whose inputs are all off ReLU outputs (all zero: the lowest index wins,
    /// as the envelope finds); or one with an input that the kernel finds larger than all the others
    /// at every point of f, from their float ranges over f's vertices widened by `affineFormBound`
    /// at f's maxima (the test of `dominatingInput`; it then dominates on every piece of f too).
    func undecidedWindows(face f: Int32, level m: Int, pool: MaxPoolOperation, map: FloatValueMap, bound: ValueBound) -> [Int] {
        let vertices = topology.faces[Int(f)].vertices
        var sMax = 0.0, tMax = 0.0, deltaMax = 0.0
        var s = [Double](), t = [Double]()
        s.reserveCapacity(vertices.count); t.reserveCapacity(vertices.count)
        for v in vertices {
            let record = vertexRecords[Int(v)]
            s.append(record.s); t.append(record.t)
            sMax = max(sMax, abs(record.s)); tMax = max(tMax, abs(record.t)); deltaMax = max(deltaMax, record.delta)
        }
        let zeroOffset = zeroInputOffset(level: m)
        let pattern = facePattern[Int(f)]
        let n = map.count
        let bitBase = plan.patternOffsets[m]
        var undecided: [Int] = []
        var low = [Double](repeating: 0, count: pool.taps), high = low, slots = [Int](repeating: 0, count: pool.taps)
        for w in 0..<pool.windows {
            var k = 0, allZero = true
            pool.forEachInput(of: w) { slot, u in
                slots[k] = slot
                if let offset = zeroOffset, !pattern[offset + u] {
                    low[k] = 0; high[k] = 0
                } else {
                    allZero = false
                    let a = map.rows[u], b = map.rows[n + u], c = map.rows[2 * n + u]
                    let e = affineFormBound(a: a, b: b, c: c, ea: bound.error[u], eb: bound.error[n + u], ec: bound.error[2 * n + u],
                                            s: sMax, t: tMax, delta: deltaMax)
                    var lo = Double.infinity, hi = -Double.infinity
                    for i in s.indices {
                        let z = a * s[i] + b * t[i] + c
                        lo = min(lo, z); hi = max(hi, z)
                    }
                    // NaN fails every comparison below, so no input dominates.
                    low[k] = lo - e; high[k] = hi + e
                }
                k += 1
            }
            var winner: Int? = nil
            if k == 1 || (zeroOffset != nil && allZero) {
                winner = 0
            } else if !allZero {
                winner = kernel.dominant(low: low[0..<k], high: high[0..<k])
            }
            guard let winner else { undecided.append(w); continue }
            facePattern[Int(f)][bitBase + w * pool.taps + slots[winner]] = true
            markSomewhere(level: m, unit: w * pool.taps + slots[winner], positive: true, negative: false)
        }
        return undecided
    }

    /// The pattern offset of the ReLU (negative slope 0) whose outputs are level m's inputs: an
    /// input whose bit there is off is zero on the face. Nil otherwise.
    func zeroInputOffset(level m: Int) -> Int? {
        let value = plan.graph.nodes[plan.activationNodes[m]].inputs[0]
        guard value > 0, case .piecewise(let activation) = plan.steps[value - 1],
              activation.negativeSlope == 0, let level = plan.activationNodes.firstIndex(of: value - 1) else { return nil }
        return plan.patternOffsets[level]
    }
}

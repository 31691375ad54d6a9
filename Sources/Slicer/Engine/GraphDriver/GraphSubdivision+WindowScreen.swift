/// The windows of a max pool whose winner is settled on a whole face, found once per face before
/// any envelope is built: then only the other windows cut it, piece by piece.
extension GraphSubdivision {
    /// The windows of level m (a max pool) that may have more than one winner on face f, in order.
    /// Every other window's winner bit is set on f (its pieces inherit it): a window with one input
    /// inside the image; one whose inputs are all off ReLU outputs (all zero: the lowest index wins,
    /// as the envelope finds); or one with an input that the kernel finds larger than all the others
    /// at every point of f, from their float ranges over f's vertices widened by `affineFormBound`
    /// at f's maxima (the test of `dominatingInput`; it then dominates on every piece of f too).
    /// That test is first taken on the polygon f was cut from (`ParentWindows`), once per window and
    /// set of zero inputs: an input dominating there dominates on f.
    func undecidedWindows(face f: Int32, level m: Int, pool: MaxPoolOperation, map: FloatValueMap, bound: ValueBound) -> [Int] {
        let polygon = PolygonRanges(vertices: topology.faces[Int(f)].vertices, records: vertexRecords)
        let zeroOffset = zeroInputOffset(level: m)
        let pattern = facePattern[Int(f)]
        let bitBase = plan.patternOffsets[m], taps = pool.taps
        // Taken out for the loop, so that it is written in place.
        var parent = path.parentWindows[m]
        path.parentWindows[m] = nil
        defer { path.parentWindows[m] = parent }
        var undecided: [Int] = [], winners: [(window: Int, slot: Int)] = []
        let scratch = WindowScratch(taps: taps)
        defer { scratch.deallocate() }
        pool.inputUnits.withUnsafeBufferPointer { table in
            pattern.words.withUnsafeBufferPointer { words in
                for w in 0..<pool.windows {
                    var k = 0, allZero = true, key = 0
                    for slot in 0..<taps where table[w * taps + slot] >= 0 {
                        let u = Int(table[w * taps + slot])
                        scratch.slots[k] = slot; scratch.units[k] = u
                        let zero = zeroOffset.map { words[($0 + u) >> 6] >> UInt64(($0 + u) & 63) & 1 == 0 } ?? false
                        scratch.zero[k] = zero
                        if !zero { allZero = false; key |= 1 << k }
                        k += 1
                    }
                    var winner: Int? = nil
                    if k == 1 || (zeroOffset != nil && allZero) {
                        winner = 0
                    } else if !allZero {
                        if parent != nil {
                            var found = parent![w, key]
                            if found == ParentWindows.untested {
                                found = Int8(dominantInput(count: k, scratch, over: parent!.ranges, map: map, bound: bound) ?? -1)
                                parent![w, key] = found
                            }
                            if found >= 0 { winner = Int(found) }
                        }
                        if winner == nil { winner = dominantInput(count: k, scratch, over: polygon, map: map, bound: bound) }
                    }
                    if let winner { winners.append((w, scratch.slots[winner])) } else { undecided.append(w) }
                }
            }
        }
        for (w, slot) in winners {
            facePattern[Int(f)][bitBase + w * taps + slot] = true
            markSomewhere(level: m, unit: w * taps + slot, positive: true, negative: false)
        }
        return undecided
    }

    /// The input of the window in `scratch` (its first `count` inputs) that the kernel finds larger
    /// than the others at every point of the polygon (zero inputs are 0 there), or nil.
    func dominantInput(count: Int, _ scratch: WindowScratch, over polygon: PolygonRanges, map: FloatValueMap, bound: ValueBound) -> Int? {
        let n = map.count
        for k in 0..<count {
            if scratch.zero[k] { scratch.low[k] = 0; scratch.high[k] = 0; continue }
            let u = scratch.units[k]
            let a = map.rows[u], b = map.rows[n + u], c = map.rows[2 * n + u]
            let e = affineFormBound(a: a, b: b, c: c, ea: bound.error[u], eb: bound.error[n + u], ec: bound.error[2 * n + u],
                                    s: polygon.sMax, t: polygon.tMax, delta: polygon.deltaMax)
            var lo = Double.infinity, hi = -Double.infinity
            for i in polygon.s.indices {
                let z = a * polygon.s[i] + b * polygon.t[i] + c
                lo = min(lo, z); hi = max(hi, z)
            }
            // NaN fails every comparison below, so no input dominates.
            scratch.low[k] = lo - e; scratch.high[k] = hi + e
        }
        return kernel.dominant(low: UnsafeBufferPointer(start: scratch.low, count: count),
                               high: UnsafeBufferPointer(start: scratch.high, count: count))
    }

    /// Called by level m − 1 before its pieces of `polygon` enter level m: when level m is a max pool
    /// that reads level m − 1's ReLU outputs directly, every such piece has the same window inputs up
    /// to which of them are zero, and `ParentWindows` keeps what was found on the whole polygon.
    func prepareParentWindows(level m: Int, polygon: [Int32]) {
        guard m < plan.levels, m >= 1, path.parentWindows.indices.contains(m) else { return }
        path.parentWindows[m] = nil
        guard kernel.arithmetic == .certified, let pool = plan.maxPool(level: m), pool.taps <= ParentWindows.maxTaps,
              zeroInputOffset(level: m) == plan.patternOffsets[m - 1], plan.maxPool(level: m - 1) == nil else { return }
        path.parentWindows[m] = ParentWindows(windows: pool.windows, ranges: PolygonRanges(vertices: polygon, records: vertexRecords))
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

/// A convex polygon's vertex coordinates and the maxima of |s|, |t| and δ over them.
struct PolygonRanges {
    var s: [Double] = [], t: [Double] = []
    var sMax = 0.0, tMax = 0.0, deltaMax = 0.0

    init(vertices: [Int32], records: [VertexRecord]) {
        s.reserveCapacity(vertices.count); t.reserveCapacity(vertices.count)
        for v in vertices {
            let record = records[Int(v)]
            s.append(record.s); t.append(record.t)
            sMax = max(sMax, abs(record.s)); tMax = max(tMax, abs(record.t)); deltaMax = max(deltaMax, record.delta)
        }
    }
}

/// What a max pool's windows do on the polygon that the faces entering the pool were cut from, per
/// window and set of non-zero inputs (bit k: input k is not zero): the input dominating there, or
/// none. Faces cut from one polygon by the ReLU before the pool share every window input that is
/// not zero, so a winner found on the polygon holds on each of them.
struct ParentWindows {
    static let maxTaps = 4
    let ranges: PolygonRanges
    /// Window · 2^maxTaps + key: `untested`, −1 when no input dominates, else the input.
    private var found: [Int8]
    static let untested: Int8 = -2

    init(windows: Int, ranges: PolygonRanges) {
        self.ranges = ranges
        found = [Int8](repeating: Self.untested, count: windows << Self.maxTaps)
    }

    /// The dominating input of window w with non-zero inputs `key` on the polygon (−1: none).
    subscript(window: Int, key: Int) -> Int8 {
        get { found[window << Self.maxTaps | key] }
        set { found[window << Self.maxTaps | key] = newValue }
    }
}


/// One window's inputs while it is screened: kernel positions, units, which are zero, and their ranges.
struct WindowScratch {
    let slots: UnsafeMutablePointer<Int>, units: UnsafeMutablePointer<Int>
    let zero: UnsafeMutablePointer<Bool>
    let low: UnsafeMutablePointer<Double>, high: UnsafeMutablePointer<Double>

    init(taps: Int) {
        slots = .allocate(capacity: taps); units = .allocate(capacity: taps); zero = .allocate(capacity: taps)
        low = .allocate(capacity: taps); high = .allocate(capacity: taps)
    }

    func deallocate() { slots.deallocate(); units.deallocate(); zero.deallocate(); low.deallocate(); high.deallocate() }
}

/// The float maps of the depth-first path, updated in place.
///
/// `maps[v]` holds value v on the current path. Every affine value is always its operation applied
/// to the maps of its inputs as they are now; an activation output is its input times the slopes of
/// `currentPattern`, except at the units listed in `pending` (its input changed since). Entering a
/// piece g at level m recomputes the activation's outputs where g's bits differ or its input changed,
/// then `propagate` recomputes, node after node, only the affine outputs that read a changed unit
/// (`forEachDependent`), stopping at the next activations (whose inputs join their `pending`).
/// Nothing is copied per piece and nothing is undone: a map is a function of the bits the path
/// holds, each unit computed by its operation's one formula, so every path gives the same floats.
extension GraphSubdivision {
    /// Every value from scratch, with all activation bits clear.
    func computeAllMaps() {
        maps = plan.valueCounts.map { FloatValueMap(zeros: $0) }
        maps[0] = inputMap()
        changeStamp = plan.valueCounts.map { [UInt32](repeating: 0, count: $0) }
        for (index, step) in plan.steps.enumerated() {
            let node = plan.graph.nodes[index]
            let inputs = node.inputs.map { maps[$0] }
            switch step {
            case .affine(let operation):
                operation.update(&maps[index + 1], units: Array(0..<operation.outputCount),
                                 changed: inputs.map { Array(0..<$0.count) }, inputs: inputs)
            case .piecewise(let activation):
                let m = plan.activationNodes.firstIndex(of: index)!
                applyActivation(activation, level: m, units: 0..<activation.count)
            case .maxPool:
                // No winner bits yet: the output stays zero until the first piece is entered
                // (`enterMaxPool` recomputes it whole and passes on what moved).
                break
            }
        }
    }

    /// Moves value v's map out of `maps` (so it is uniquely referenced while it is updated).
    func takeMap(_ v: Int) -> FloatValueMap {
        let map = maps[v]
        maps[v] = FloatValueMap(count: 0, rows: [])
        return map
    }

    /// Output u of level m's activation from its input and `currentPattern` (the formula of
    /// `ActivationOperation.apply`).
    func applyActivation<Units: Sequence<Int>>(_ activation: ActivationOperation, level m: Int, units: Units) {
        let node = plan.activationNodes[m]
        let input = maps[plan.graph.nodes[node].inputs[0]]
        let n = activation.count, offset = plan.patternOffsets[m], alpha = activation.negativeSlope
        var out = takeMap(node + 1)
        for u in units {
            if currentPattern[offset + u] {
                out.rows[u] = input.rows[u]; out.rows[n + u] = input.rows[n + u]; out.rows[2 * n + u] = input.rows[2 * n + u]
            } else {
                out.rows[u] = input.rows[u] * alpha; out.rows[n + u] = input.rows[n + u] * alpha
                out.rows[2 * n + u] = input.rows[2 * n + u] * alpha
            }
        }
        maps[node + 1] = out
    }

    /// Brings the path's maps to piece g's bits at level m (`GraphPathUnits`).
    func enter(level m: Int, face g: Int32) { pathUnits.enter(self, level: m, face: g) }

    /// Brings level m's activation output, and the affine values after it, to piece g's bits.
    func enterFloatMaps(level m: Int, face g: Int32) {
        let node = plan.activationNodes[m]
        if case .maxPool = plan.steps[node] { return enterMaxPool(level: m, face: g) }
        guard case .piecewise(let activation) = plan.steps[node] else { preconditionFailure("not an activation node") }
        let n = activation.count, offset = plan.patternOffsets[m]
        var changed = pending[m]
        pending[m].removeAll(keepingCapacity: true)
        for u in changed { pendingMark[m][u] = false }
        let words = facePattern[Int(g)].words
        if n > 0 {
            for w in (offset >> 6)...((offset + n - 1) >> 6) {
                var diff = words[w] ^ currentPattern.word(w)  // `word`, not `words`: no array per read
                while diff != 0 {
                    let index = w * 64 + diff.trailingZeroBitCount
                    diff &= diff - 1
                    guard index >= offset, index < offset + n else { continue }
                    currentPattern[index].toggle()
                    changed.append(index - offset)
                }
            }
        }
        guard !changed.isEmpty else { return }
        propagate(from: node + 1, units: applyActivationListingMoved(activation, level: m, units: changed))
    }

    /// `applyActivation` on `units`, returning those whose rows came out different from what the
    /// map held (an output that stays as it was, such as a ReLU unit that stays off, changes
    /// nothing downstream; NaN never equals itself, so it counts as moved).
    func applyActivationListingMoved(_ activation: ActivationOperation, level m: Int, units: [Int]) -> [Int] {
        let node = plan.activationNodes[m]
        let input = maps[plan.graph.nodes[node].inputs[0]]
        let n = activation.count, offset = plan.patternOffsets[m], alpha = activation.negativeSlope
        let bits = currentPattern.words
        var out = takeMap(node + 1)
        var moved: [Int] = []
        moved.reserveCapacity(units.count)
        out.rows.withUnsafeMutableBufferPointer { rows in
            input.rows.withUnsafeBufferPointer { x in
                bits.withUnsafeBufferPointer { bits in
                    for u in units {
                        var a = x[u], b = x[n + u], c = x[2 * n + u]
                        let j = offset + u
                        if bits[j >> 6] & (1 << UInt64(j & 63)) == 0 { a *= alpha; b *= alpha; c *= alpha }
                        if !(rows[u] == a && rows[n + u] == b && rows[2 * n + u] == c) { moved.append(u) }
                        rows[u] = a; rows[n + u] = b; rows[2 * n + u] = c
                    }
                }
            }
        }
        maps[node + 1] = out
        return moved
    }

    /// Level m is a max pool: a window's output is a copy of its winner's rows (the same floats on
    /// every path), so only the windows whose winner differs from the one the path holds, or whose
    /// winner's input changed since, are copied again; the outputs that moved go on.
    func enterMaxPool(level m: Int, face g: Int32) {
        let node = plan.activationNodes[m], pool = plan.maxPool(level: m)!
        let input = maps[plan.graph.nodes[node].inputs[0]], k = input.count
        let offset = plan.patternOffsets[m], taps = pool.taps, n = pool.windows
        let pattern = facePattern[Int(g)]
        var out = takeMap(node + 1)
        var moved: [Int] = []
        // Read once: `words` builds an array when a pattern is stored as differences.
        let newWords = pattern.words, oldWords = currentPattern.words
        for w in 0..<n {
            let base = offset + w * taps
            let (winner, unchanged) = taps <= 64
                ? PatternBits.winner(new: newWords, old: oldWords, from: base, count: taps)
                : ((0..<taps).first { pattern[base + $0] }, (0..<taps).allSatisfy { pattern[base + $0] == currentPattern[base + $0] })
            guard let winner else { preconditionFailure("window \(w) has no winner in the pattern") }
            let u = pool.unit(window: w, slot: winner)
            guard !unchanged || pendingMark[m][u] else { continue }
            let a = input.rows[u], b = input.rows[k + u], c = input.rows[2 * k + u]
            let same = out.rows[w] == a && out.rows[n + w] == b && out.rows[2 * n + w] == c
            out.rows[w] = a; out.rows[n + w] = b; out.rows[2 * n + w] = c
            if !same { moved.append(w) }
        }
        maps[node + 1] = out
        PatternBits.copy(from: newWords, into: &currentPattern.words, bits: offset..<(offset + plan.levelBits(m)))
        for u in pending[m] { pendingMark[m][u] = false }
        pending[m].removeAll(keepingCapacity: true)
        if !moved.isEmpty { propagate(from: node + 1, units: moved) }
    }

    /// Recomputes the affine outputs that read, directly or through other affine nodes, the units
    /// `units` of value v (just changed); activation inputs reached are marked pending.
    func propagate(from v: Int, units: [Int]) {
        var changed = [[Int]](repeating: [], count: maps.count)
        changed[v] = units
        for index in v..<plan.graph.nodes.count {
            let node = plan.graph.nodes[index]
            guard node.inputs.contains(where: { !changed[$0].isEmpty }) else { continue }
            switch plan.steps[index] {
            case .affine(let operation):
                stamp &+= 1
                if stamp == 0 {
                    for i in changeStamp.indices { changeStamp[i] = [UInt32](repeating: 0, count: changeStamp[i].count) }
                    stamp = 1
                }
                var outputs: [Int] = []
                let current = stamp
                // An operation that finds what to recompute from `changed` needs no list of outputs.
                if !operation.recomputesFromChanges || node.inputs.count > 1 {
                    changeStamp[index + 1].withUnsafeMutableBufferPointer { marks in
                        for (slot, input) in node.inputs.enumerated() {
                            if let listed = operation.dependents(ofInput: slot, units: changed[input]) {
                                for o in listed where marks[o] != current { marks[o] = current; outputs.append(o) }
                                continue
                            }
                            for u in changed[input] {
                                operation.forEachDependent(ofInput: slot, unit: u) { o in
                                    if marks[o] != current { marks[o] = current; outputs.append(o) }
                                }
                            }
                        }
                    }
                }
                let inputs = node.inputs.map { maps[$0] }
                var out = takeMap(index + 1)
                changed[index + 1] = operation.updateListingMoved(&out, units: outputs, changed: node.inputs.map { changed[$0] }, inputs: inputs)
                maps[index + 1] = out
            case .piecewise, .maxPool:
                let m = plan.activationNodes.firstIndex(of: index)!
                for u in changed[node.inputs[0]] where !pendingMark[m][u] {
                    pendingMark[m][u] = true
                    pending[m].append(u)
                }
            }
        }
    }

    /// The units of level k's activation input that can differ between the pieces of a face split at
    /// level k − 1 by the units `crossing`: those reading them through the affine nodes in between.
    func dependents(atLevel k: Int, ofCrossing crossing: [Int]) -> [Int] {
        let source = plan.activationNodes[k - 1] + 1, target = plan.graph.nodes[plan.activationNodes[k]].inputs[0]
        var changed = [[Int]](repeating: [], count: maps.count)
        changed[source] = crossing
        guard target > source else { return target == source ? crossing : [] }
        for index in source..<plan.activationNodes[k] {
            let node = plan.graph.nodes[index]
            guard case .affine(let operation) = plan.steps[index],
                  node.inputs.contains(where: { !changed[$0].isEmpty }) else { continue }
            var seen = [Bool](repeating: false, count: operation.outputCount)
            var outputs: [Int] = []
            for (slot, input) in node.inputs.enumerated() {
                if let listed = operation.dependents(ofInput: slot, units: changed[input]) {
                    for o in listed where !seen[o] { seen[o] = true; outputs.append(o) }
                    continue
                }
                for u in changed[input] {
                    operation.forEachDependent(ofInput: slot, unit: u) { o in
                        if !seen[o] { seen[o] = true; outputs.append(o) }
                    }
                }
            }
            changed[index + 1] = outputs
        }
        return changed[target]
    }

    /// The hint for the pieces of a face (with vertices `polygon`, split at level k − 1 by the units
    /// `crossing`): a unit of level k that no crossing unit reaches has the same line on every piece,
    /// so it is tested once on the whole face; each piece then tests only the reached units and the
    /// ones that cross the whole face or are undecided on it. Nil when most units are reached.
    func sharedHint(level k: Int, polygon: [Int32], crossing: [Int]) -> LevelHint? {
        let input = plan.graph.nodes[plan.activationNodes[k]].inputs[0]
        let n = plan.valueCounts[input]
        // Units the domain screen settled keep their sign on every piece: never candidates.
        let settledOut = screen?.isUnsettled[k]
        let reached = dependents(atLevel: k, ofCrossing: crossing).filter { settledOut?[$0] ?? true }
        guard reached.count * 2 < (screen?.unsettled[k].count ?? n) else { return nil }
        var isReached = [Bool](repeating: false, count: n)
        for u in reached { isReached[u] = true }
        // All units in one contiguous pass (it vectorises), the reached ones then set aside.
        let classes = pathUnits.classify(self, units: nil, vertices: polygon, level: k, map: maps[input], bound: bounds[input])
        let positive = classes.positive.filter { !isReached[$0] }
        for j in positive { markSomewhere(level: k, unit: j, positive: true, negative: false) }
        for j in classes.negative where !isReached[j] { markSomewhere(level: k, unit: j, positive: false, negative: true) }
        let undecided = (classes.crossing + classes.ambiguous).filter { !isReached[$0] }
        return LevelHint(candidates: reached + undecided, positive: positive)
    }
}

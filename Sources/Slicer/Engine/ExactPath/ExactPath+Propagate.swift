import Polytope

/// Entering a piece and passing changes on. An affine output is Σ T·X + B over its taps, so when
/// inputs change by ΔX it changes by Σ T·ΔX over the taps that read them: only the outputs that
/// read a changed unit are touched, each once per changed input it reads. Activation inputs
/// reached are marked pending; the activation's output is recomputed when a piece of its level is
/// entered.
extension ExactPath {
    /// Brings level m's output, and the affine values after it, to `face`'s pattern bits.
    func enter(level m: Int, pattern face: ActivationPattern) {
        let node = plan.activationNodes[m]
        if case .maxPool = plan.steps[node] { return enterMaxPool(level: m, pattern: face) }
        let offset = plan.patternOffsets[m], n = count(node + 1)
        var changed = pending[m]
        pending[m].removeAll(keepingCapacity: true)
        if n > 0 {
            for w in (offset >> 6)...((offset + n - 1) >> 6) {
                var diff = face.word(w) ^ pattern.words[w]
                while diff != 0 {
                    let index = w * 64 + diff.trailingZeroBitCount
                    diff &= diff - 1
                    guard index >= offset, index < offset + n else { continue }
                    pattern.words[w] ^= 1 << UInt64(index & 63)
                    // A unit both pending and flipped is recomputed once.
                    if !pendingMark[m][index - offset] { pendingMark[m][index - offset] = true; changed.append(index - offset) }
                }
            }
        }
        for u in changed { pendingMark[m][u] = false }
        guard !changed.isEmpty else { return }
        let limbs = formats[node + 1].limbs
        var changes = ExactChanges(limbs: limbs + 1)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 * limbs) { old in
            for u in changed {
                for r in 0..<3 { for i in 0..<limbs { old[r * limbs + i] = row(node + 1, r, u)[i] } }
                writeActivation(level: m, unit: u)
                changes.append(unit: u, from: self, value: node + 1, old: UnsafePointer(old.baseAddress!))
            }
        }
        if !changes.isEmpty { propagate(from: node + 1, changes: changes) }
    }

    /// Unit u of level m's output from its input and `pattern`: the input on the positive side, α
    /// times it elsewhere (`ExactActivationForm`).
    func writeActivation(level m: Int, unit u: Int) {
        let node = plan.activationNodes[m], input = plan.graph.nodes[node].inputs[0]
        let form = activationForms[node]!
        let inLimbs = formats[input].limbs, outLimbs = formats[node + 1].limbs
        let positive = pattern[plan.patternOffsets[m] + u]
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: inLimbs) { magnitude in
            for r in 0..<3 {
                let x = row(input, r, u), out = row(node + 1, r, u)
                if positive {
                    Limbs.shiftedLeft(x, inLimbs, by: form.positiveShift, into: out, outLimbs)
                } else {
                    for i in 0..<outLimbs { out[i] = 0 }
                    let (count, negative) = Limbs.magnitude(of: x, inLimbs, into: magnitude.baseAddress!)
                    form.slope.magnitudes.withUnsafeBufferPointer { slope in
                        Limbs.addSignedProduct(out, outLimbs, slope.baseAddress!, Int(form.slope.counts[0]),
                                               magnitude.baseAddress!, count, negative: negative != form.slope.negative[0])
                    }
                }
            }
        }
    }

    /// Level m is a max pool: every window's output is its winner's input, copied; what moved goes on.
    func enterMaxPool(level m: Int, pattern face: ActivationPattern) {
        guard case .maxPool(let pool) = plan.steps[plan.activationNodes[m]] else { preconditionFailure("not a max pool") }
        let node = plan.activationNodes[m], input = plan.graph.nodes[node].inputs[0]
        for u in pending[m] { pendingMark[m][u] = false }
        pending[m].removeAll(keepingCapacity: true)
        let offset = plan.patternOffsets[m]
        for i in offset..<(offset + plan.levelBits(m)) { pattern[i] = face[i] }
        let limbs = formats[node + 1].limbs
        var changes = ExactChanges(limbs: limbs + 1)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 * limbs) { old in
            for w in 0..<pool.windows {
                let source = pool.unit(window: w, slot: pool.winner(of: w, pattern: pattern, offset: offset))
                for r in 0..<3 {
                    let out = row(node + 1, r, w), x = row(input, r, source)
                    for i in 0..<limbs { old[r * limbs + i] = out[i]; out[i] = x[i] }
                }
                changes.append(unit: w, from: self, value: node + 1, old: UnsafePointer(old.baseAddress!))
            }
        }
        if !changes.isEmpty { propagate(from: node + 1, changes: changes) }
    }

    /// Passes the changes of value v on through the affine nodes after it.
    func propagate(from v: Int, changes: ExactChanges) {
        var changesOf = [ExactChanges?](repeating: nil, count: plan.valueCounts.count)
        changesOf[v] = changes
        for index in v..<plan.graph.nodes.count {
            let node = plan.graph.nodes[index]
            guard node.inputs.contains(where: { !(changesOf[$0]?.isEmpty ?? true) }) else { continue }
            switch plan.steps[index] {
            case .affine:
                stamp &+= 1
                if stamp == 0 {
                    for (v, marks) in stamps.enumerated() { marks.update(repeating: 0, count: plan.valueCounts[v]) }
                    stamp = 1
                }
                touchedUnits.removeAll(keepingCapacity: true)
                touchedOld.removeAll(keepingCapacity: true)
                for (slot, input) in node.inputs.enumerated() {
                    if let inputChanges = changesOf[input], !inputChanges.isEmpty {
                        apply(inputChanges, slot: slot, node: index, record: true)
                    }
                }
                let limbs = formats[index + 1].limbs
                var outputChanges = ExactChanges(limbs: limbs + 1)
                touchedOld.withUnsafeBufferPointer { old in
                    for (i, u) in touchedUnits.enumerated() {
                        outputChanges.append(unit: u, from: self, value: index + 1, old: old.baseAddress! + 3 * limbs * i)
                    }
                }
                changesOf[index + 1] = outputChanges
            case .piecewise, .maxPool:
                let m = plan.activationNodes.firstIndex(of: index)!
                for u in changesOf[node.inputs[0]]?.units ?? [] where !pendingMark[m][u] {
                    pendingMark[m][u] = true
                    pending[m].append(u)
                }
            }
        }
    }

    /// Adds T·ΔX into node `index`'s output for every tap reading a changed unit of input `slot`.
    /// With `record`, each output touched for the first time since `stamp` moved is listed in
    /// `touchedUnits` with its rows as they were in `touchedOld`.
    func apply(_ changes: ExactChanges, slot: Int, node index: Int, record: Bool) {
        let form = affineForms[index]!, out = index + 1
        let n = count(out), limbs = formats[out].limbs, base = storage[out]
        let weights = form.weights[slot], width = weights.width
        let size = changes.limbs, current = stamp, marks = stamps[out]
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 * size) { magnitudes in
            let magnitude = magnitudes.baseAddress!
            weights.magnitudes.withUnsafeBufferPointer { weightLimbs in
                weights.counts.withUnsafeBufferPointer { weightCounts in
                    weights.negative.withUnsafeBufferPointer { weightNegative in
                        changes.deltas.withUnsafeBufferPointer { deltas in
                            for (k, unit) in changes.units.enumerated() {
                                var counts = (0, 0, 0), negative = (false, false, false)
                                (counts.0, negative.0) = Limbs.magnitude(of: deltas.baseAddress! + (3 * k) * size, size, into: magnitude)
                                (counts.1, negative.1) = Limbs.magnitude(of: deltas.baseAddress! + (3 * k + 1) * size, size, into: magnitude + size)
                                (counts.2, negative.2) = Limbs.magnitude(of: deltas.baseAddress! + (3 * k + 2) * size, size, into: magnitude + 2 * size)
                                let reader = { (u: Int, id: Int) in
                                    if record && marks[u] != current {
                                        marks[u] = current
                                        self.touchedUnits.append(u)
                                        for r in 0..<3 {
                                            self.touchedOld.append(contentsOf: UnsafeBufferPointer(start: base + (r * n + u) * limbs, count: limbs))
                                        }
                                    }
                                    let count = Int(weightCounts[id])
                                    guard count > 0 else { return }
                                    let w = weightLimbs.baseAddress! + id * width, wNegative = weightNegative[id]
                                    if counts.0 > 0 {
                                        Limbs.addSignedProduct(base + u * limbs, limbs, w, count, magnitude, counts.0, negative: wNegative != negative.0)
                                    }
                                    if counts.1 > 0 {
                                        Limbs.addSignedProduct(base + (n + u) * limbs, limbs, w, count, magnitude + size, counts.1,
                                                               negative: wNegative != negative.1)
                                    }
                                    if counts.2 > 0 {
                                        Limbs.addSignedProduct(base + (2 * n + u) * limbs, limbs, w, count, magnitude + 2 * size, counts.2,
                                                               negative: wNegative != negative.2)
                                    }
                                }
                                switch form.readers {
                                case .indexed(let operation):
                                    operation.forEachReader(ofInput: slot, unit: unit, reader)
                                case .table(let table):
                                    for e in table.offsets[slot][unit]..<table.offsets[slot][unit + 1] {
                                        let entry = table.entries[slot][e]
                                        reader(Int(entry.output), Int(entry.weight))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Unit u of value v as an exact line (its integers times 2^exponent; the positive denominator,
    /// common to the value, changes no sign and no zero set and is left out).
    func line(value v: Int, unit u: Int) -> ExactLine {
        let limbs = formats[v].limbs, e = formats[v].exponent
        func part(_ r: Int) -> Dyadic { Dyadic(mantissa: Limbs.bigInt(row(v, r, u), limbs), exponent: e).normalized() }
        return ExactLine(a: part(0), b: part(1), c: part(2))
    }
}

import Polytope

/// Units whose sign is the same on every face, decided once on the whole domain (exact mode).
///
/// A unit's line is the same on every face when nothing it reads varies from face to face: the
/// input does not; an affine output varies when a tap reads a varying unit; an activation's output
/// varies when its bit does, and its bit can vary only when its input's line varies or its line
/// crosses the domain. A unit of level k whose line does not vary and which is one-sided on the
/// domain polygon is one-sided, with that sign, on every face: it is set on every face entering
/// level k and never tested again; the rest (`FixedUnits.varying`) are tested face by face. At a
/// small radius most units of a convolutional network are fixed. Max-pool outputs count as varying.
struct FixedUnits {
    /// The units tested on each face, in increasing order.
    var varying: [Int]
    var isVarying: [Bool]
    /// The fixed positive units' bits, as pattern words from `firstWord` on.
    var firstWord: Int
    var positiveWords: [UInt64]
    /// The bit p of `GraphSubdivision.decideExactly`'s leading-part test (nil: none).
    var leadingBit: Int?
}

extension GraphSubdivision {
    /// Level k's fixed units, worked out the first time a face enters level k (the maps then hold
    /// every fixed unit's line, which is the same on every face).
    func fixedUnits(level k: Int, path: ExactPath) -> FixedUnits {
        if let known = path.fixed[k] { return known }
        let node = plan.activationNodes[k], input = plan.graph.nodes[node].inputs[0]
        let varies = valueVaries(through: input, path: path)
        let n = plan.valueCounts[input], offset = plan.patternOffsets[k]
        let steady = (0..<n).filter { !varies[$0] }
        let domain = (0..<Int32(domainVertexCount)).map { $0 }
        let leadingBit = path.boxShift.map { _ in max(0, largestBitLength(value: input, path: path) - 50) }
        let classes = decideExactly(units: steady, vertices: domain, level: k, leadingBit: leadingBit)
        var isVarying = varies
        for j in classes.crossing + classes.ambiguous { isVarying[j] = true }
        let firstWord = offset >> 6, lastWord = n > 0 ? (offset + n - 1) >> 6 : firstWord
        var words = [UInt64](repeating: 0, count: lastWord - firstWord + 1)
        for j in classes.positive {
            words[(offset + j) >> 6 - firstWord] |= 1 << UInt64((offset + j) & 63)
            markSomewhere(level: k, unit: j, positive: true, negative: false)
        }
        for j in classes.negative { markSomewhere(level: k, unit: j, positive: false, negative: true) }
        let fixed = FixedUnits(varying: (0..<n).filter { isVarying[$0] }, isVarying: isVarying, firstWord: firstWord,
                               positiveWords: words, leadingBit: leadingBit)
        path.fixed[k] = fixed
        return fixed
    }

    /// The largest bit length of value v's integers on the path now.
    func largestBitLength(value v: Int, path: ExactPath) -> Int {
        let limbs = path.formats[v].limbs
        var largest = 0
        for i in 0..<(3 * plan.valueCounts[v]) { largest = max(largest, Limbs.bitLength(path.storage[v] + i * limbs, limbs)) }
        return largest
    }

    /// Sets face f's bits of level k's fixed positive units.
    func setExactlyFixedBits(face f: Int32, level k: Int) {
        guard let path = exactPath, plan.maxPool(level: k) == nil else { return }
        let fixed = fixedUnits(level: k, path: path)
        for (i, word) in fixed.positiveWords.enumerated() { facePattern[Int(f)].words[fixed.firstWord + i] |= word }
    }

    /// Per unit of value v: whether its line can differ between faces (every value before v is
    /// worked out on the way and kept).
    func valueVaries(through v: Int, path: ExactPath) -> [Bool] {
        if path.varies.isEmpty { path.varies = [[Bool](repeating: false, count: plan.valueCounts[0])] }
        while path.varies.count <= v {
            let index = path.varies.count - 1
            let node = plan.graph.nodes[index]
            var out = [Bool](repeating: false, count: plan.valueCounts[index + 1])
            switch plan.steps[index] {
            case .affine(let operation):
                for (slot, input) in node.inputs.enumerated() {
                    for (u, flag) in path.varies[input].enumerated() where flag {
                        operation.forEachDependent(ofInput: slot, unit: u) { out[$0] = true }
                    }
                }
            case .piecewise:
                // The output varies where the bit can (which covers a varying input).
                let m = plan.activationNodes.firstIndex(of: index)!
                out = fixedUnits(level: m, path: path).isVarying
            case .maxPool:
                out = [Bool](repeating: true, count: out.count)
            }
            path.varies.append(out)
        }
        return path.varies[v]
    }
}

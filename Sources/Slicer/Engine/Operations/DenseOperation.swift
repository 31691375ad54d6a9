import Models

/// y = W·x + b on the flattened input (Gemm / MatMul + bias).
///
/// The float evaluation sums a tree: each block of `DenseOperation.block` inputs its terms in
/// input order (zero weights included: w·x̃ = 0 adds nothing and rounds nothing), then each level
/// sums runs of `DenseOperation.fanIn` sums of the level below in order, until at most `fanIn`
/// are left; those are summed in order, then the bias. It keeps every sum of the tree in the
/// output's `partials`, so a change of a few inputs recomputes only their blocks and the sums
/// above them; every output is still the one fixed formula.
struct DenseOperation: AffineOperation {
    let layer: DenseLayer
    /// The weights input-major ([input][output]), so a block's sums run over the outputs side by side.
    let inputMajorWeights: [Double]
    /// Sums per level of the tree, the blocks first.
    let levelCounts: [Int]
    var outputCount: Int { layer.outputs }
    static let block = 8
    static let fanIn = 16

    init(layer: DenseLayer) {
        self.layer = layer
        var transposed = [Double](repeating: 0, count: layer.weights.count)
        for u in 0..<layer.outputs { for i in 0..<layer.inputs { transposed[i * layer.outputs + u] = layer.weights[u * layer.inputs + i] } }
        inputMajorWeights = transposed
        var counts = [(layer.inputs + DenseOperation.block - 1) / DenseOperation.block]
        while counts.last! > DenseOperation.fanIn { counts.append((counts.last! + DenseOperation.fanIn - 1) / DenseOperation.fanIn) }
        levelCounts = counts
    }

    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) {
        let base = u * layer.inputs
        for i in 0..<layer.inputs {
            let w = layer.weights[base + i]
            if w != 0 { body(0, i, w) }
        }
    }

    func bias(of u: Int) -> Double { layer.bias[u] }

    /// Every output reads every input.
    func dependents(ofInput slot: Int, units: [Int]) -> [Int]? { units.isEmpty ? [] : Array(0..<outputCount) }

    /// Recomputes the blocks holding a changed input and the sums above them (all when
    /// `out.partials` is not yet set up), then every output from the top level's sums (`units` is
    /// every output: all read every input).
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        let n = outputCount, inCount = layer.inputs, size = DenseOperation.block, fanIn = DenseOperation.fanIn
        let input = inputs[0], width = 3 * n
        var partialSums = out.partials
        out.partials = []
        // Level l's sum k of row r of output u at partials[(levelStart[l] + k)·3n + r·n + u]
        // (sum-major, so the sums run over all 3n outputs side by side, each adding its terms in order).
        var levelStart = [0]
        for count in levelCounts { levelStart.append(levelStart.last! + count) }
        var dirty: [Int]
        if partialSums.count != width * levelStart.last! {
            partialSums = [Double](repeating: 0, count: width * levelStart.last!)
            dirty = Array(0..<levelCounts[0])
        } else {
            dirty = DenseOperation.ascending(changed[0].lazy.map { $0 / size }, below: levelCounts[0])
        }
        var rows = out.rows
        out.rows = []
        partialSums.withUnsafeMutableBufferPointer { partials in
            input.rows.withUnsafeBufferPointer { x in
                inputMajorWeights.withUnsafeBufferPointer { weights in
                    let xa = x.baseAddress!, xb = xa + inCount, xc = xb + inCount
                    for k in dirty {
                        // Block k's 3n sums side by side, each over the block's inputs in order.
                        let pa = partials.baseAddress! + k * width, pb = pa + n, pc = pb + n
                        for j in 0..<width { pa[j] = 0 }
                        for i in (k * size)..<min(k * size + size, inCount) {
                            let a = xa[i], b = xb[i], c = xc[i], w = weights.baseAddress! + i * n
                            for u in 0..<n { pa[u] += w[u] * a; pb[u] += w[u] * b; pc[u] += w[u] * c }
                        }
                    }
                }
            }
            // Each level: the sums above the dirty ones, each over its run of the level below in order.
            for level in 1..<levelCounts.count {
                let below = partials.baseAddress! + levelStart[level - 1] * width
                let here = partials.baseAddress! + levelStart[level] * width
                var last = -1
                for k in dirty where k / fanIn != last {
                    last = k / fanIn
                    let total = here + last * width
                    for j in 0..<width { total[j] = 0 }
                    for b in (last * fanIn)..<min(last * fanIn + fanIn, levelCounts[level - 1]) {
                        let sum = below + b * width
                        for j in 0..<width { total[j] += sum[j] }
                    }
                }
                dirty = dirty.map { $0 / fanIn }
            }
            rows.withUnsafeMutableBufferPointer { rows in
                let top = partials.baseAddress! + levelStart[levelCounts.count - 1] * width
                for j in 0..<width { rows[j] = 0 }
                for k in 0..<levelCounts.last! {
                    let total = top + k * width
                    for j in 0..<width { rows[j] += total[j] }
                }
                for u in 0..<n { rows[2 * n + u] += layer.bias[u] }
            }
        }
        out.rows = rows
        out.partials = partialSums
    }

    /// The distinct `values` (each in 0..<bound) in ascending order.
    static func ascending(_ values: some Sequence<Int>, below bound: Int) -> [Int] {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (bound + 63) / 64) { words in
            words.initialize(repeating: 0)
            var count = 0
            for v in values where words[v >> 6] & (1 << UInt64(v & 63)) == 0 {
                words[v >> 6] |= 1 << UInt64(v & 63)
                count += 1
            }
            var sorted: [Int] = []
            sorted.reserveCapacity(count)
            for (w, word) in words.enumerated() {
                var bits = word
                while bits != 0 { sorted.append(w * 64 + bits.trailingZeroBitCount); bits &= bits - 1 }
            }
            return sorted
        }
    }
}

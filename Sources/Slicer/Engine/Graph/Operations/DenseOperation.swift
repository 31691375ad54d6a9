/// y = W·x + b on the flattened input (Gemm / MatMul + bias).
///
/// The float evaluation sums in blocks of `DenseOperation.block` inputs: each block's terms in
/// input order (zero weights included: w·x̃ = 0 adds nothing and rounds nothing), then the block sums
/// in block order, then the bias. It keeps the block sums in the output's `partials`, so a change of
/// a few inputs recomputes only their blocks; every output is still the one fixed formula.
struct DenseOperation: AffineOperation {
    let layer: DenseLayer
    var outputCount: Int { layer.outputs }
    static let block = 32

    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) {
        let base = u * layer.inputs
        for i in 0..<layer.inputs {
            let w = layer.weights[base + i]
            if w != 0 { body(0, i, w) }
        }
    }

    func bias(of u: Int) -> Double { layer.bias[u] }

    var blockCount: Int { (layer.inputs + DenseOperation.block - 1) / DenseOperation.block }

    /// Recomputes the blocks holding a changed input (all when `out.partials` is not yet set up),
    /// then every output from its block sums (`units` is every output: all read every input).
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        let n = outputCount, inCount = layer.inputs, blocks = blockCount, size = DenseOperation.block
        let input = inputs[0]
        var dirty: [Int]
        var partialSums = out.partials
        out.partials = []
        if partialSums.count != 3 * n * blocks {
            partialSums = [Double](repeating: 0, count: 3 * n * blocks)
            dirty = Array(0..<blocks)
        } else {
            dirty = changed[0].map { $0 / size }
            dirty.sort()
            dirty = dirty.enumerated().filter { $0.offset == 0 || dirty[$0.offset - 1] != $0.element }.map(\.element)
        }
        // partials[(r·n + u)·blocks + k]: block k's sum of row r of output u.
        var rows = out.rows
        out.rows = []
        partialSums.withUnsafeMutableBufferPointer { partials in
            input.rows.withUnsafeBufferPointer { x in
                layer.weights.withUnsafeBufferPointer { weights in
                    for k in dirty {
                        let start = k * size, end = min(start + size, inCount)
                        for u in 0..<n {
                            let w = weights.baseAddress! + u * inCount
                            for r in 0..<3 {
                                let row = x.baseAddress! + r * inCount
                                var sum = 0.0
                                for i in start..<end { sum += w[i] * row[i] }
                                partials[(r * n + u) * blocks + k] = sum
                            }
                        }
                    }
                }
            }
            for u in 0..<n {
                for r in 0..<3 {
                    var sum = 0.0
                    let base = (r * n + u) * blocks
                    for k in 0..<blocks { sum += partials[base + k] }
                    if r == 2 { sum += layer.bias[u] }
                    rows[r * n + u] = sum
                }
            }
        }
        out.rows = rows
        out.partials = partialSums
    }
}

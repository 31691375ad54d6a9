import Models

/// y = W·x + b on the flattened input (Gemm / MatMul + bias).
///
/// The float evaluation sums in blocks of `DenseOperation.block` inputs: each block's terms in
/// input order (zero weights included: w·x̃ = 0 adds nothing and rounds nothing), then each run of
/// `DenseOperation.superBlock` block sums in block order, then those run sums in order, then the
/// bias. It keeps the block and run sums in the output's `partials`, so a change of a few inputs
/// recomputes only their blocks and runs; every output is still the one fixed formula.
struct DenseOperation: AffineOperation {
    let layer: DenseLayer
    /// The weights input-major ([input][output]), so a block's sums run over the outputs side by side.
    let inputMajorWeights: [Double]
    var outputCount: Int { layer.outputs }
    static let block = 32
    static let superBlock = 32

    init(layer: DenseLayer) {
        self.layer = layer
        var transposed = [Double](repeating: 0, count: layer.weights.count)
        for u in 0..<layer.outputs { for i in 0..<layer.inputs { transposed[i * layer.outputs + u] = layer.weights[u * layer.inputs + i] } }
        inputMajorWeights = transposed
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

    var blockCount: Int { (layer.inputs + DenseOperation.block - 1) / DenseOperation.block }
    var superBlockCount: Int { (blockCount + DenseOperation.superBlock - 1) / DenseOperation.superBlock }

    /// Recomputes the blocks holding a changed input and their runs (all when `out.partials` is not
    /// yet set up), then every output from its run sums (`units` is every output: all read every input).
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        let n = outputCount, inCount = layer.inputs, blocks = blockCount, size = DenseOperation.block
        let supers = superBlockCount, run = DenseOperation.superBlock
        let input = inputs[0]
        var dirty: [Int]
        var partialSums = out.partials
        out.partials = []
        if partialSums.count != 3 * n * (blocks + supers) {
            partialSums = [Double](repeating: 0, count: 3 * n * (blocks + supers))
            dirty = Array(0..<blocks)
        } else {
            var marked = [Bool](repeating: false, count: blocks)
            for i in changed[0] { marked[i / size] = true }
            dirty = (0..<blocks).filter { marked[$0] }
        }
        // partials[k·3n + r·n + u]: block k's sum of row r of output u, then run K's at
        // partials[(blocks + K)·3n + r·n + u] (block-major, so the sums run over all 3n outputs
        // side by side, each still adding its terms in order).
        var rows = out.rows
        out.rows = []
        let width = 3 * n
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
            var last = -1
            for k in dirty where k / run != last {
                last = k / run
                let total = partials.baseAddress! + (blocks + last) * width
                for j in 0..<width { total[j] = 0 }
                for b in (last * run)..<min(last * run + run, blocks) {
                    let block = partials.baseAddress! + b * width
                    for j in 0..<width { total[j] += block[j] }
                }
            }
            rows.withUnsafeMutableBufferPointer { rows in
                for j in 0..<width { rows[j] = 0 }
                for k in 0..<supers {
                    let total = partials.baseAddress! + (blocks + k) * width
                    for j in 0..<width { rows[j] += total[j] }
                }
                for u in 0..<n { rows[2 * n + u] += layer.bias[u] }
            }
        }
        out.rows = rows
        out.partials = partialSums
    }
}

/// y = W·x + b on the flattened input (Gemm / MatMul + bias).
///
/// The float evaluation sums in blocks of `DenseOperation.block` inputs: each block's terms in
/// input order (zero weights included: w·x̃ = 0 adds nothing and rounds nothing), then the block sums
/// in block order, then the bias. It keeps the block sums in the output's `partials`, so a change of
/// a few inputs recomputes only their blocks; every output is still the one fixed formula.
import Models

struct DenseOperation: AffineOperation {
    let layer: DenseLayer
    /// The weights input-major ([input][output]), so a block's sums run over the outputs side by side.
    let inputMajorWeights: [Double]
    var outputCount: Int { layer.outputs }
    static let block = 32

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
        // partials[k·3n + r·n + u]: block k's sum of row r of output u (block-major, so the final
        // sums run over all 3n outputs side by side, each still adding its blocks in order).
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
            rows.withUnsafeMutableBufferPointer { rows in
                for j in 0..<width { rows[j] = 0 }
                for k in 0..<blocks {
                    let block = partials.baseAddress! + k * width
                    for j in 0..<width { rows[j] += block[j] }
                }
                for u in 0..<n { rows[2 * n + u] += layer.bias[u] }
            }
        }
        out.rows = rows
        out.partials = partialSums
    }
}

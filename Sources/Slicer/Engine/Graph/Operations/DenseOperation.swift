/// y = W·x + b on the flattened input (Gemm / MatMul + bias).
struct DenseOperation: AffineOperation {
    let layer: DenseLayer
    var outputCount: Int { layer.outputs }

    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) {
        let base = u * layer.inputs
        for i in 0..<layer.inputs {
            let w = layer.weights[base + i]
            if w != 0 { body(0, i, w) }
        }
    }

    func bias(of u: Int) -> Double { layer.bias[u] }
}

/// Dense layer over a batch: y = x · Wᵀ + b, one gemm for every row.
enum ForwardDense {
    /// `x` is [rows × layer.inputs], `y` [rows × layer.outputs]. The bias is written first and the gemm
    /// adds to it (β = 1), so a zero bias gives the bare product bit for bit.
    static func run(_ layer: DenseLayer, _ x: UnsafePointer<Double>, rows: Int, into y: UnsafeMutablePointer<Double>) {
        for row in 0..<rows {
            for j in 0..<layer.outputs { y[row * layer.outputs + j] = layer.bias[j] }
        }
        layer.weights.withUnsafeBufferPointer { w in
            gemm(x, w.baseAddress!, y, m: rows, n: layer.outputs, k: layer.inputs, transposeB: true, beta: 1)
        }
    }
}

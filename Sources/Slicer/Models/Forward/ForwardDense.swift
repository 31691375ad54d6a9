/// Dense layer over a batch, y = x · Wᵀ + b (one gemm for every row), its parameters in the pass's scalar.
package struct ForwardDense<T: ForwardScalar>: Sendable {
    let inputs: Int
    let outputs: Int
    /// [outputs × inputs], row-major.
    let weights: [T]
    var bias: [T]

    init(_ layer: DenseLayer) {
        inputs = layer.inputs; outputs = layer.outputs
        weights = layer.weights.map(T.init); bias = layer.bias.map(T.init)
    }

    /// `x` is [rows × inputs], `y` [rows × outputs]. The bias is written first and the gemm adds to it
    /// (β = 1), so a zero bias gives the bare product bit for bit.
    func run(_ x: UnsafePointer<T>, rows: Int, into y: UnsafeMutablePointer<T>) {
        for row in 0..<rows {
            for j in 0..<outputs { y[row * outputs + j] = bias[j] }
        }
        weights.withUnsafeBufferPointer { w in
            gemm(x, w.baseAddress!, y, m: rows, n: outputs, k: inputs, transposeB: true, beta: 1)
        }
    }
}

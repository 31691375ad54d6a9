import COpenBLAS

/// C = alpha · op(A) · op(B) + beta · C for row-major Double matrices, through OpenBLAS.
/// A is [m × k] (or [k × m] when `transposeA`), B is [k × n] (or [n × k] when `transposeB`), C is [m × n].
public func gemm(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                 m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
                 alpha: Double = 1, beta: Double = 0) {
    guard m > 0, n > 0 else { return }
    cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(transposeA ? m : k),
                b, blasint(transposeB ? k : n), beta, c, blasint(n))
}

/// Array convenience for `gemm`.
public func gemm(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int,
                 transposeA: Bool = false, transposeB: Bool = false) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                gemm(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, m: m, n: n, k: k,
                     transposeA: transposeA, transposeB: transposeB)
            }
        }
    }
    return c
}

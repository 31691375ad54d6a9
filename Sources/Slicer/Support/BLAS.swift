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

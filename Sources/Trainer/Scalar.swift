import Slicer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The floating-point types the trainer computes in: Float (sgemm, PyTorch's default) or Double (dgemm).
public protocol TrainScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// The checkpoint dtype that stores these values exactly.
    static var dtype: DType { get }
    /// C = alpha · op(A) · op(B) + beta · C, row-major, through OpenBLAS (same shapes as Slicer's `gemm`).
    static func gemm(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ c: UnsafeMutablePointer<Self>,
                     m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Self)
    static func erf(_ x: Self) -> Self
    static func exp(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
}

extension Float: TrainScalar {
    public static var dtype: DType { .f32 }
    public static func gemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                            m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float) {
        Slicer.gemm(a, b, c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, beta: beta)
    }
    public static func erf(_ x: Float) -> Float { erff(x) }
    public static func exp(_ x: Float) -> Float { expf(x) }
    public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
}

extension Double: TrainScalar {
    public static var dtype: DType { .f64 }
    public static func gemm(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                            m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Double) {
        Slicer.gemm(a, b, c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, beta: beta)
    }
    public static func erf(_ x: Double) -> Double { Glibc.erf(x) }
    public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
}

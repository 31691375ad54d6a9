import COpenBLAS
import ForwardKernels

/// The number type a forward pass computes in: float64 (reproduces earlier numbers bit for bit) or
/// float32 (PyTorch's precision, twice the vector lanes).
public enum Precision: String, Sendable, CaseIterable {
    case float32, float64

    /// Parses `float32`/`f32`/`single` or `float64`/`f64`/`double`; anything else is one error line.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "float32", "f32", "single": self = .float32
        case "float64", "f64", "double": self = .float64
        default: throw TesseraError.badInput("unknown precision '\(text)' (float32 or float64)")
        }
    }
}

/// A scalar the forward pass is generic over: its kernels (`KernelScalar`) and its BLAS product.
public protocol ForwardScalar: KernelScalar {
    /// C = alpha · op(A) · op(B) + beta · C, row-major, as `gemm`.
    static func blasGemm(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ c: UnsafeMutablePointer<Self>,
                         m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Self, beta: Self)
    /// The precision this scalar stands for.
    static var precision: Precision { get }
}

extension Double: ForwardScalar {
    public static var precision: Precision { .float64 }
    public static func blasGemm(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
                                m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Double, beta: Double) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(transposeA ? m : k),
                    b, blasint(transposeB ? k : n), beta, c, blasint(n))
    }
}

extension Float: ForwardScalar {
    public static var precision: Precision { .float32 }
    public static func blasGemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(transposeA ? m : k),
                    b, blasint(transposeB ? k : n), beta, c, blasint(n))
    }
}

/// C = alpha · op(A) · op(B) + beta · C for row-major matrices of either precision, through OpenBLAS.
public func gemm<T: ForwardScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ c: UnsafeMutablePointer<T>,
                            m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
                            alpha: T = 1, beta: T = 0) {
    guard m > 0, n > 0 else { return }
    T.blasGemm(a, b, c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
}

/// A forward pass in the precision chosen at run time.
public enum AnyGraphForward: Sendable {
    case float32(GraphForward<Float>)
    case float64(GraphForward<Double>)

    public init(model: GraphModel, precision: Precision) throws {
        switch precision {
        case .float32: self = .float32(try GraphForward(model: model, scalar: Float.self))
        case .float64: self = .float64(try GraphForward(model: model, scalar: Double.self))
        }
    }
}

extension AnyGraphForward {
    /// `GraphForward.parallelism`.
    public var parallelism: Parallelism {
        get {
            switch self {
            case .float32(let forward): return forward.parallelism
            case .float64(let forward): return forward.parallelism
            }
        }
        set {
            switch self {
            case .float32(var forward): forward.parallelism = newValue; self = .float32(forward)
            case .float64(var forward): forward.parallelism = newValue; self = .float64(forward)
            }
        }
    }

    /// `GraphForward.value(named:)`.
    public func value(named name: String) throws -> Int {
        switch self {
        case .float32(let forward): return try forward.value(named: name)
        case .float64(let forward): return try forward.value(named: name)
        }
    }

    /// `GraphForward.run`: the values in this precision, widened to float64.
    public func run(_ points: [Double], count: Int, value: Int? = nil) throws -> [Double] {
        switch self {
        case .float32(let forward): return try forward.run(points, count: count, value: value)
        case .float64(let forward): return try forward.run(points, count: count, value: value)
        }
    }
}

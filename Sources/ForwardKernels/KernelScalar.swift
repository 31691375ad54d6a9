/// A number type the forward kernels run in, float32 or float64. Every kernel has one generic body and
/// a concrete entry point per type (the requirements below): this module is always compiled optimised,
/// so callers built for debugging still run specialised vector loops instead of generic code that
/// looks each operation up at run time (five times slower).
public protocol KernelScalar: BinaryFloatingPoint, SIMDScalar, Sendable {
    /// The vector a register tile holds: 32 bytes.
    associatedtype Vector: SIMD where Vector.Scalar == Self

    /// `DirectConvPlan.run`.
    static func directConv(_ plan: DirectConvPlan<Self>, _ x: UnsafePointer<Self>, rows: Int,
                           into y: UnsafeMutablePointer<Self>, scratch: UnsafeMutablePointer<Self>)
    /// `WinogradConvPlan.run`.
    static func winogradConv(_ plan: WinogradConvPlan<Self>, _ x: UnsafePointer<Self>, rows: Int, rectify: Bool,
                             into y: UnsafeMutablePointer<Self>, scratch: UnsafeMutablePointer<Self>)
    /// y = max(x, 0).
    static func relu(_ x: UnsafePointer<Self>, count: Int, into y: UnsafeMutablePointer<Self>)
    /// y = x for x > 0, else slope·x.
    static func leakyReLU(_ x: UnsafePointer<Self>, count: Int, slope: Self, into y: UnsafeMutablePointer<Self>)
    /// y = |x|.
    static func absolute(_ x: UnsafePointer<Self>, count: Int, into y: UnsafeMutablePointer<Self>)
    /// y = scale[c]·x + shift[c] over [rows × channels × plane] values.
    static func channelAffine(_ x: UnsafePointer<Self>, rows: Int, channels: Int, plane: Int, scale: UnsafePointer<Self>,
                              shift: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>)
    /// y = x + constant over [rows × size] values.
    static func addConstant(_ x: UnsafePointer<Self>, rows: Int, constant: UnsafePointer<Self>, size: Int,
                            into y: UnsafeMutablePointer<Self>)
    /// y = a + b.
    static func add(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, count: Int, into y: UnsafeMutablePointer<Self>)
    /// `VertexKernels.vertices`.
    static func vertices(centres: UnsafePointer<Self>, images: UnsafePointer<Self>, samples: Int, directions: Int, units: Int,
                         radius: Self, into z: UnsafeMutablePointer<Self>)
    /// `VertexKernels.signChanges`.
    static func signChanges(_ z: UnsafePointer<Self>, units: Int, samples: Int, vertexCount: Int,
                            into out: UnsafeMutablePointer<Int>, stride: Int, workspace: SignWorkspace<Self>)
}

extension Float: KernelScalar { public typealias Vector = SIMD8<Float> }
extension Double: KernelScalar { public typealias Vector = SIMD4<Double> }

/// The elementwise kernels' bodies, one per operation, specialised for each scalar below.
enum ElementwiseKernels {
    @inline(__always)
    static func relu<T: KernelScalar>(_ x: UnsafePointer<T>, count: Int, into y: UnsafeMutablePointer<T>) {
        for i in 0..<count { let z = x[i]; y[i] = z > 0 ? z : 0 }
    }

    @inline(__always)
    static func leakyReLU<T: KernelScalar>(_ x: UnsafePointer<T>, count: Int, slope: T, into y: UnsafeMutablePointer<T>) {
        for i in 0..<count { let z = x[i]; y[i] = z > 0 ? z : slope * z }
    }

    @inline(__always)
    static func absolute<T: KernelScalar>(_ x: UnsafePointer<T>, count: Int, into y: UnsafeMutablePointer<T>) {
        for i in 0..<count { y[i] = Swift.abs(x[i]) }
    }

    @inline(__always)
    static func channelAffine<T: KernelScalar>(_ x: UnsafePointer<T>, rows: Int, channels: Int, plane: Int,
                                               scale: UnsafePointer<T>, shift: UnsafePointer<T>, into y: UnsafeMutablePointer<T>) {
        for row in 0..<rows {
            for c in 0..<channels {
                let a = scale[c], b = shift[c]
                let base = (row * channels + c) * plane
                for p in base..<(base + plane) { y[p] = a * x[p] + b }
            }
        }
    }

    @inline(__always)
    static func addConstant<T: KernelScalar>(_ x: UnsafePointer<T>, rows: Int, constant: UnsafePointer<T>, size: Int,
                                             into y: UnsafeMutablePointer<T>) {
        for row in 0..<rows {
            let base = row * size
            for i in 0..<size { y[base + i] = x[base + i] + constant[i] }
        }
    }

    @inline(__always)
    static func add<T: KernelScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, count: Int, into y: UnsafeMutablePointer<T>) {
        for i in 0..<count { y[i] = a[i] + b[i] }
    }
}

extension Float {
    public static func relu(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        ElementwiseKernels.relu(x, count: count, into: y)
    }
    public static func leakyReLU(_ x: UnsafePointer<Float>, count: Int, slope: Float, into y: UnsafeMutablePointer<Float>) {
        ElementwiseKernels.leakyReLU(x, count: count, slope: slope, into: y)
    }
    public static func absolute(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        ElementwiseKernels.absolute(x, count: count, into: y)
    }
    public static func channelAffine(_ x: UnsafePointer<Float>, rows: Int, channels: Int, plane: Int, scale: UnsafePointer<Float>,
                                     shift: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        ElementwiseKernels.channelAffine(x, rows: rows, channels: channels, plane: plane, scale: scale, shift: shift, into: y)
    }
    public static func addConstant(_ x: UnsafePointer<Float>, rows: Int, constant: UnsafePointer<Float>, size: Int,
                                   into y: UnsafeMutablePointer<Float>) {
        ElementwiseKernels.addConstant(x, rows: rows, constant: constant, size: size, into: y)
    }
    public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        ElementwiseKernels.add(a, b, count: count, into: y)
    }
}

extension Double {
    public static func relu(_ x: UnsafePointer<Double>, count: Int, into y: UnsafeMutablePointer<Double>) {
        ElementwiseKernels.relu(x, count: count, into: y)
    }
    public static func leakyReLU(_ x: UnsafePointer<Double>, count: Int, slope: Double, into y: UnsafeMutablePointer<Double>) {
        ElementwiseKernels.leakyReLU(x, count: count, slope: slope, into: y)
    }
    public static func absolute(_ x: UnsafePointer<Double>, count: Int, into y: UnsafeMutablePointer<Double>) {
        ElementwiseKernels.absolute(x, count: count, into: y)
    }
    public static func channelAffine(_ x: UnsafePointer<Double>, rows: Int, channels: Int, plane: Int, scale: UnsafePointer<Double>,
                                     shift: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
        ElementwiseKernels.channelAffine(x, rows: rows, channels: channels, plane: plane, scale: scale, shift: shift, into: y)
    }
    public static func addConstant(_ x: UnsafePointer<Double>, rows: Int, constant: UnsafePointer<Double>, size: Int,
                                   into y: UnsafeMutablePointer<Double>) {
        ElementwiseKernels.addConstant(x, rows: rows, constant: constant, size: size, into: y)
    }
    public static func add(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int, into y: UnsafeMutablePointer<Double>) {
        ElementwiseKernels.add(a, b, count: count, into: y)
    }
}

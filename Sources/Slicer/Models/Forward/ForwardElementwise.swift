import ForwardKernels

/// The elementwise operations of a graph: per-channel affine maps, constants, sums, activations (the
/// piecewise-linear ones by `KernelScalar`'s optimised kernels).
enum ForwardElementwise {
    /// y = scale[c]·x + shift[c], c the leading (channel) index of each sample's values.
    static func channelAffine<T: ForwardScalar>(_ x: UnsafePointer<T>, rows: Int, scale: [T], shift: [T],
                              plane: Int, into y: UnsafeMutablePointer<T>) {
        scale.withUnsafeBufferPointer { a in
            shift.withUnsafeBufferPointer { b in
                T.channelAffine(x, rows: rows, channels: a.count, plane: plane, scale: a.baseAddress!, shift: b.baseAddress!, into: y)
            }
        }
    }

    /// y = x + constant, the constant broadcast over rows.
    static func addConstant<T: ForwardScalar>(_ x: UnsafePointer<T>, rows: Int, constant: [T], into y: UnsafeMutablePointer<T>) {
        constant.withUnsafeBufferPointer { c in
            T.addConstant(x, rows: rows, constant: c.baseAddress!, size: c.count, into: y)
        }
    }

    /// y = a + b.
    static func add<T: ForwardScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, count: Int, into y: UnsafeMutablePointer<T>) {
        T.add(a, b, count: count, into: y)
    }

    /// y = activation(x), with the same expressions as `Activation.apply`, one loop per kind.
    static func activation<T: ForwardScalar>(_ activation: Activation, _ x: UnsafePointer<T>, count: Int, into y: UnsafeMutablePointer<T>) {
        switch activation {
        case .relu: T.relu(x, count: count, into: y)
        case .leakyReLU(let slope): T.leakyReLU(x, count: count, slope: T(slope), into: y)
        case .abs: T.absolute(x, count: count, into: y)
        default:
            // Smooth activations are evaluated in float64 and rounded once.
            for i in 0..<count { y[i] = T(activation.apply(Double(x[i]))) }
        }
    }
}

/// The elementwise operations of a graph: per-channel affine maps, constants, sums, activations.
enum ForwardElementwise {
    /// y = scale[c]·x + shift[c], c the leading (channel) index of each sample's values.
    static func channelAffine<T: ForwardScalar>(_ x: UnsafePointer<T>, rows: Int, scale: [T], shift: [T],
                              plane: Int, into y: UnsafeMutablePointer<T>) {
        let channels = scale.count
        for row in 0..<rows {
            for c in 0..<channels {
                let a = scale[c], b = shift[c]
                let base = (row * channels + c) * plane
                for p in base..<(base + plane) { y[p] = a * x[p] + b }
            }
        }
    }

    /// y = x + constant, the constant broadcast over rows.
    static func addConstant<T: ForwardScalar>(_ x: UnsafePointer<T>, rows: Int, constant: [T], into y: UnsafeMutablePointer<T>) {
        let size = constant.count
        for row in 0..<rows {
            let base = row * size
            for i in 0..<size { y[base + i] = x[base + i] + constant[i] }
        }
    }

    /// y = a + b.
    static func add<T: ForwardScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, count: Int, into y: UnsafeMutablePointer<T>) {
        for i in 0..<count { y[i] = a[i] + b[i] }
    }

    /// y = activation(x), with the same expressions as `Activation.apply`, one loop per kind.
    static func activation<T: ForwardScalar>(_ activation: Activation, _ x: UnsafePointer<T>, count: Int, into y: UnsafeMutablePointer<T>) {
        switch activation {
        case .relu:
            for i in 0..<count { let z = x[i]; y[i] = z > 0 ? z : 0 }
        case .leakyReLU(let slope):
            let alpha = T(slope)
            for i in 0..<count { let z = x[i]; y[i] = z > 0 ? z : alpha * z }
        case .abs:
            for i in 0..<count { y[i] = Swift.abs(x[i]) }
        default:
            // Smooth activations are evaluated in float64 and rounded once.
            for i in 0..<count { y[i] = T(activation.apply(Double(x[i]))) }
        }
    }
}

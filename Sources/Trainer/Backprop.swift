import Foundation
import Slicer

/// Activation values and derivatives in the training precision (derivative at 0 as PyTorch: relu 0,
/// leaky_relu α, abs 0).
struct ActivationFunction<T: TrainScalar> {
    let kind: Activation

    @inline(__always) func value(_ z: T) -> T {
        switch kind {
        case .relu: return z > 0 ? z : 0
        case .leakyReLU(let alpha): return z > 0 ? z : T(alpha) * z
        case .abs: return Swift.abs(z)
        case .gelu: return z * (1 + T.erf(z * T(0.5.squareRoot()))) / 2
        case .geluTanh, .sigmoid, .tanh, .silu: return T(kind.apply(Double(z)))
        }
    }

    @inline(__always) func derivative(_ z: T) -> T {
        switch kind {
        case .relu: return z > 0 ? 1 : 0
        case .leakyReLU(let alpha): return z > 0 ? 1 : T(alpha)
        case .abs: return z > 0 ? 1 : z < 0 ? -1 : 0
        case .gelu:
            // Φ(z) + z·φ(z) for the erf form of GELU.
            let cdf = (1 + T.erf(z * T(0.5.squareRoot()))) / 2
            return cdf + z * T.exp(-z * z / 2) * T(1 / (2 * Double.pi).squareRoot())
        case .sigmoid:
            let s = kind.apply(Double(z))
            return T(s * (1 - s))
        case .tanh:
            let t = kind.apply(Double(z))
            return T(1 - t * t)
        case .silu:
            let x = Double(z), s = Activation.sigmoid.apply(x)
            return T(s + x * s * (1 - s))
        case .geluTanh:
            let x = Double(z), c = (2 / Double.pi).squareRoot()
            let t = Foundation.tanh(c * (x + 0.044715 * x * x * x))
            return T(0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x))
        }
    }
}

/// Scratch matrices for a forward and backward pass of up to `capacity` rows.
final class Workspace<T: TrainScalar> {
    let layout: ParameterLayout
    let capacity: Int
    /// Pre-activations z_l and activations a_l = σ(z_l), [rows × sizes[l+1]] each.
    var z: [UnsafeMutablePointer<T>]
    var a: [UnsafeMutablePointer<T>]
    /// Gradient with respect to the current layer's pre-activations, and to its input.
    let dz: UnsafeMutablePointer<T>
    let da: UnsafeMutablePointer<T>
    /// ∂loss/∂parameters of the rows last passed backward, in layout order.
    let gradient: UnsafeMutablePointer<T>
    let widest: Int

    init(layout: ParameterLayout, capacity: Int) {
        self.layout = layout
        self.capacity = capacity
        widest = layout.sizes.max() ?? 1
        z = (0..<layout.layers).map { _ in .allocate(capacity: capacity * (layout.sizes.max() ?? 1)) }
        a = (0..<layout.layers).map { _ in .allocate(capacity: capacity * (layout.sizes.max() ?? 1)) }
        dz = .allocate(capacity: capacity * widest)
        da = .allocate(capacity: capacity * widest)
        gradient = .allocate(capacity: layout.count)
    }

    deinit {
        (z + a).forEach { $0.deallocate() }
        dz.deallocate(); da.deallocate(); gradient.deallocate()
    }

    /// Forward pass of `rows` inputs; returns the output layer's pre-activations (the logits) pointer.
    func forward(_ input: UnsafePointer<T>, rows: Int, parameters: UnsafePointer<T>, activation: ActivationFunction<T>) -> UnsafeMutablePointer<T> {
        var current = input
        for l in 0..<layout.layers {
            let n = layout.outputs(l), k = layout.inputs(l)
            let bias = parameters + layout.biasOffsets[l]
            let out = z[l]
            for r in 0..<rows { (out + r * n).update(from: bias, count: n) }
            T.gemm(current, parameters + layout.weightOffsets[l], out, m: rows, n: n, k: k,
                   transposeA: false, transposeB: true, beta: 1)
            if l + 1 < layout.layers {
                let act = a[l]
                for i in 0..<(rows * n) { act[i] = activation.value(out[i]) }
                current = UnsafePointer(act)
            }
        }
        return z[layout.layers - 1]
    }

    /// Backward pass after `forward`: `dz` must hold ∂loss/∂logits; writes ∂loss/∂parameters into `gradient`.
    func backward(_ input: UnsafePointer<T>, rows: Int, parameters: UnsafePointer<T>, activation: ActivationFunction<T>,
                  gradient: UnsafeMutablePointer<T>) {
        for l in stride(from: layout.layers - 1, through: 0, by: -1) {
            let n = layout.outputs(l), k = layout.inputs(l)
            let previous = l == 0 ? input : UnsafePointer(a[l - 1])
            // dW = dzᵀ · a_{l−1}, db = column sums of dz.
            T.gemm(dz, previous, gradient + layout.weightOffsets[l], m: n, n: k, k: rows,
                   transposeA: true, transposeB: false, beta: 0)
            let db = gradient + layout.biasOffsets[l]
            for j in 0..<n { db[j] = 0 }
            for r in 0..<rows { for j in 0..<n { db[j] += dz[r * n + j] } }
            guard l > 0 else { break }
            // da = dz · W, then dz_{l−1} = da ⊙ σ'(z_{l−1}).
            T.gemm(dz, parameters + layout.weightOffsets[l], da, m: rows, n: k, k: n,
                   transposeA: false, transposeB: false, beta: 0)
            let zPrevious = z[l - 1]
            for i in 0..<(rows * k) { dz[i] = da[i] * activation.derivative(zPrevious[i]) }
        }
    }
}

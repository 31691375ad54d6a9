import ForwardKernels
import Models

/// The estimator's two counts over the 2P vertices of each sample.
enum LCCounting {
    /// Per sample, the units whose sign class (+, −, 0; NaN its own class) is not the same at every
    /// vertex (`KernelScalar.signChanges`). `z` is [samples · vertexCount × units]; counts go to out[sample · stride].
    static func signChanges<T: ForwardScalar>(_ z: UnsafeBufferPointer<T>, units: Int, samples: Int, vertexCount: Int,
                            into out: UnsafeMutablePointer<Int>, stride: Int, workspace: SignWorkspace<T>) {
        guard let values = z.baseAddress else { return }
        T.signChanges(values, units: units, samples: samples, vertexCount: vertexCount, into: out, stride: stride, workspace: workspace)
    }

    /// Per sample, the max-pool windows whose winner (first position holding the largest value) is not
    /// the same at every vertex. `x` is the pool's input, [samples · vertexCount × pool input size].
    static func windowChanges<T: ForwardScalar>(_ x: UnsafeBufferPointer<T>, pool: ForwardMaxPool, samples: Int, vertexCount: Int,
                              into out: UnsafeMutablePointer<Int>, stride: Int, winners: inout [Int32], changed: inout [Bool]) {
        let windows = pool.windows
        let inputSize = pool.channels * pool.window.inH * pool.window.inW
        if winners.count < 2 * windows { winners = [Int32](repeating: 0, count: 2 * windows) }
        if changed.count < windows { changed = [Bool](repeating: false, count: windows) }
        winners.withUnsafeMutableBufferPointer { w in
            let first = w.baseAddress!, current = w.baseAddress! + windows
            for s in 0..<samples {
                for k in 0..<windows { changed[k] = false }
                pool.winners(x.baseAddress! + s * vertexCount * inputSize, into: first)
                for vertex in 1..<max(1, vertexCount) {
                    pool.winners(x.baseAddress! + (s * vertexCount + vertex) * inputSize, into: current)
                    for k in 0..<windows where current[k] != first[k] { changed[k] = true }
                }
                out[s * stride] = (0..<windows).reduce(0) { $0 + (changed[$1] ? 1 : 0) }
            }
        }
    }
}

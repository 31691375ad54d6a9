/// The estimator's two counts over the 2P vertices of each sample.
enum LCCounting {
    /// Per sample, the units whose sign class (+, −, 0; NaN its own class) is not the same at every
    /// vertex. Over the vertices each unit keeps its least and largest number and whether a NaN
    /// occurred (branch-free, so the loop vectorises); the numbers share one class exactly when all are
    /// positive (least > 0), all negative (largest < 0) or all zero (least = largest = 0).
    /// `z` is [samples · vertexCount × units]; counts go to out[sample · stride].
    static func signChanges<T: ForwardScalar>(_ z: UnsafeBufferPointer<T>, units: Int, samples: Int, vertexCount: Int,
                            into out: UnsafeMutablePointer<Int>, stride: Int, workspace: SignWorkspace<T>) {
        workspace.reserve(units)
        let least = workspace.least, largest = workspace.largest, nan = workspace.nan
        let values = z.baseAddress!
        for s in 0..<samples {
            least.update(repeating: .infinity, count: units)
            largest.update(repeating: -.infinity, count: units)
            nan.update(repeating: 0, count: units)
            for vertex in 0..<vertexCount {
                let row = values + (s * vertexCount + vertex) * units
                for j in 0..<units {
                    let value = row[j]
                    least[j] = value < least[j] ? value : least[j]
                    largest[j] = value > largest[j] ? value : largest[j]
                    nan[j] |= value != value ? 1 : 0
                }
            }
            var changed = 0
            for j in 0..<units {
                let numbers = least[j] <= largest[j]
                let oneClass = least[j] > 0 || largest[j] < 0 || (least[j] == 0 && largest[j] == 0)
                if numbers && (nan[j] != 0 || !oneClass) { changed += 1 }
            }
            out[s * stride] = changed
        }
    }

    /// Per-worker buffers of `signChanges`, grown as needed.
    final class SignWorkspace<T: ForwardScalar> {
        private(set) var capacity = 0
        private(set) var least = UnsafeMutablePointer<T>.allocate(capacity: 1)
        private(set) var largest = UnsafeMutablePointer<T>.allocate(capacity: 1)
        private(set) var nan = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

        func reserve(_ units: Int) {
            guard units > capacity else { return }
            least.deallocate(); largest.deallocate(); nan.deallocate()
            least = .allocate(capacity: units); largest = .allocate(capacity: units); nan = .allocate(capacity: units)
            capacity = units
        }

        deinit { least.deallocate(); largest.deallocate(); nan.deallocate() }
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

/// 2-D average pooling: each window's sum divided by its position count, which includes the padding
/// (clipped to the padded input, as PyTorch) when `countIncludePad`, else only the input positions.
package struct ForwardAveragePool<T: ForwardScalar>: Sendable {
    let window: WindowGeometry
    let channels: Int
    /// The divisor of each output pixel, [Ho·Wo].
    let divisors: [T]

    init(window: WindowGeometry, channels: Int, countIncludePad: Bool) {
        self.window = window
        self.channels = channels
        var divisors: [T] = []
        for oh in 0..<window.outH {
            for ow in 0..<window.outW {
                let counts = window.windowCounts(oh, ow)
                divisors.append(T(countIncludePad ? counts.padded : counts.inside))
            }
        }
        self.divisors = divisors
    }

    func run(_ x: UnsafePointer<T>, rows: Int, into y: UnsafeMutablePointer<T>) {
        let w = window
        let inPlane = w.inH * w.inW, outPlane = w.outH * w.outW
        for plane in 0..<(rows * channels) {
            let input = x + plane * inPlane, output = y + plane * outPlane
            for oh in 0..<w.outH {
                for ow in 0..<w.outW {
                    var sum: T = 0
                    for i in 0..<w.kernelH {
                        let ih = w.rowOrigin(oh) + i * w.dilationH
                        guard ih >= 0 && ih < w.inH else { continue }
                        for j in 0..<w.kernelW {
                            let iw = w.columnOrigin(ow) + j * w.dilationW
                            if iw >= 0 && iw < w.inW { sum += input[ih * w.inW + iw] }
                        }
                    }
                    output[oh * w.outW + ow] = sum / divisors[oh * w.outW + ow]
                }
            }
        }
    }
}

/// 2-D max pooling: each window's largest input, the padding being −∞; ties go to the lowest index.
package struct ForwardMaxPool: Sendable {
    package let window: WindowGeometry
    package let channels: Int

    func run<T: ForwardScalar>(_ x: UnsafePointer<T>, rows: Int, into y: UnsafeMutablePointer<T>) {
        let outPlane = window.outH * window.outW
        for plane in 0..<(rows * channels) {
            let input = x + plane * window.inH * window.inW, output = y + plane * outPlane
            for p in 0..<outPlane { output[p] = input[winner(input, p / window.outW, p % window.outW)] }
        }
    }

    /// Windows per sample (the units an LC max-pool count ranges over).
    package var windows: Int { channels * window.outH * window.outW }

    /// Index in the input plane of window (oh, ow)'s winner: the first position (row-major within the
    /// window) holding the largest value. Every window holds an input position (checked when the graph
    /// is built).
    @inline(__always) func winner<T: ForwardScalar>(_ plane: UnsafePointer<T>, _ oh: Int, _ ow: Int) -> Int {
        let w = window
        var best = -T.infinity, bestIndex = -1
        w.forEachPosition(oh, ow) { _, ih, iw in
            let index = ih * w.inW + iw
            if bestIndex < 0 || plane[index] > best { best = plane[index]; bestIndex = index }
        }
        return bestIndex
    }

    /// The winner of every window of one sample, [channels · Ho · Wo] input-plane indices.
    package func winners<T: ForwardScalar>(_ x: UnsafePointer<T>, into out: UnsafeMutablePointer<Int32>) {
        let outPlane = window.outH * window.outW
        for c in 0..<channels {
            let input = x + c * window.inH * window.inW
            for p in 0..<outPlane { out[c * outPlane + p] = Int32(winner(input, p / window.outW, p % window.outW)) }
        }
    }
}

/// Global average pooling: the mean of each channel's H·W values.
enum ForwardGlobalAveragePool {
    static func run<T: ForwardScalar>(_ x: UnsafePointer<T>, rows: Int, channels: Int, plane: Int, into y: UnsafeMutablePointer<T>) {
        for index in 0..<(rows * channels) {
            let input = x + index * plane
            var sum: T = 0
            for p in 0..<plane { sum += input[p] }
            y[index] = sum / T(plane)
        }
    }
}

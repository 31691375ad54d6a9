/// A 2-D convolution (cross-correlation) with strides, zero padding, dilations and groups on a
/// [C, H, W] input; output [C', H', W'].
import Models

struct ConvOperation: AffineOperation {
    let conv: Conv2D
    let inputHeight: Int, inputWidth: Int
    let outputHeight: Int, outputWidth: Int
    /// The weights with the output channel innermost: [group][ci][ky][kx][o within the group].
    let tapMajorWeights: [Double]

    init(conv: Conv2D, inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int) {
        self.conv = conv
        self.inputHeight = inputHeight; self.inputWidth = inputWidth
        self.outputHeight = outputHeight; self.outputWidth = outputWidth
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let taps = groupInputs * conv.kernelH * conv.kernelW
        var transposed = [Double](repeating: 0, count: conv.weights.count)
        for o in 0..<conv.outChannels {
            let group = o / groupOutputs, within = o % groupOutputs
            for tap in 0..<taps { transposed[(group * taps + tap) * groupOutputs + within] = conv.weights[o * taps + tap] }
        }
        tapMajorWeights = transposed
    }

    var outputCount: Int { conv.outChannels * outputHeight * outputWidth }

    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) {
        let plane = outputHeight * outputWidth
        let o = u / plane, oy = (u % plane) / outputWidth, ox = u % outputWidth
        let groupInputs = conv.inChannels / conv.groups
        let group = o / (conv.outChannels / conv.groups)
        for ci in 0..<groupInputs {
            let channel = group * groupInputs + ci
            for ky in 0..<conv.kernelH {
                let iy = oy * conv.strideH - conv.pads[0] + ky * conv.dilationH
                if iy < 0 || iy >= inputHeight { continue }
                for kx in 0..<conv.kernelW {
                    let ix = ox * conv.strideW - conv.pads[1] + kx * conv.dilationW
                    if ix < 0 || ix >= inputWidth { continue }
                    let w = conv.weights[((o * groupInputs + ci) * conv.kernelH + ky) * conv.kernelW + kx]
                    if w != 0 { body(0, (channel * inputHeight + iy) * inputWidth + ix, w) }
                }
            }
        }
    }

    func bias(of u: Int) -> Double { conv.bias[u / (outputHeight * outputWidth)] }
}

extension ConvOperation {
    /// Outputs reading input (channel, iy, ix): every output channel of its group, at the positions
    /// (oy, ox) with oy·stride − pad + ky·dilation = iy for some ky (likewise x).
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) {
        let channel = index / (inputHeight * inputWidth)
        let iy = (index / inputWidth) % inputHeight, ix = index % inputWidth
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let group = channel / groupInputs
        for ky in 0..<conv.kernelH {
            let y = iy + conv.pads[0] - ky * conv.dilationH
            guard y >= 0, y % conv.strideH == 0, y / conv.strideH < outputHeight else { continue }
            let oy = y / conv.strideH
            for kx in 0..<conv.kernelW {
                let x = ix + conv.pads[1] - kx * conv.dilationW
                guard x >= 0, x % conv.strideW == 0, x / conv.strideW < outputWidth else { continue }
                let ox = x / conv.strideW
                for o in (group * groupOutputs)..<((group + 1) * groupOutputs) {
                    body((o * outputHeight + oy) * outputWidth + ox)
                }
            }
        }
    }

    /// Outputs reading any of `units`: the (group, position) blocks that read them (a few per
    /// unit, each marked once), then every output channel of each block.
    func dependents(ofInput slot: Int, units: [Int]) -> [Int]? {
        let plane = outputHeight * outputWidth
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        var marked = [Bool](repeating: false, count: conv.groups * plane)
        var blocks: [Int] = []
        for index in units {
            let channel = index / (inputHeight * inputWidth)
            let iy = (index / inputWidth) % inputHeight, ix = index % inputWidth
            let group = channel / groupInputs
            for ky in 0..<conv.kernelH {
                let y = iy + conv.pads[0] - ky * conv.dilationH
                guard y >= 0, y % conv.strideH == 0, y / conv.strideH < outputHeight else { continue }
                for kx in 0..<conv.kernelW {
                    let x = ix + conv.pads[1] - kx * conv.dilationW
                    guard x >= 0, x % conv.strideW == 0, x / conv.strideW < outputWidth else { continue }
                    let key = group * plane + (y / conv.strideH) * outputWidth + x / conv.strideW
                    if !marked[key] { marked[key] = true; blocks.append(key) }
                }
            }
        }
        var outputs: [Int] = []
        outputs.reserveCapacity(blocks.count * groupOutputs)
        for key in blocks {
            let group = key / plane, position = key % plane
            for o in (group * groupOutputs)..<((group + 1) * groupOutputs) { outputs.append(o * plane + position) }
        }
        return outputs
    }

    /// The tap-by-tap formula of the default (input channel, then kernel row, then column; the bias
    /// last), for every output channel of a group at once: an asked unit's whole group at its
    /// position is recomputed (the others come out as they were: their inputs did not change). Zero
    /// weights add w·x̃ = ±0, which changes no sum (a non-finite x̃ gives NaN, which no bound
    /// certifies, so the exact path decides). Eight (then four, then one) output channels are summed
    /// side by side in registers, each still in tap order, so every output is the same float.
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        let input = inputs[0]
        let n = outputCount, plane = outputHeight * outputWidth, inCount = input.count
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let kh = conv.kernelH, kw = conv.kernelW
        // Each (group, position) once.
        var seen = [Bool](repeating: false, count: conv.groups * plane)
        var blocks: [Int] = []
        for u in units {
            let key = (u / plane / groupOutputs) * plane + u % plane
            if !seen[key] { seen[key] = true; blocks.append(key) }
        }
        // A block's taps inside the input: input unit and offset of its weights.
        let tapInput = UnsafeMutablePointer<Int>.allocate(capacity: max(1, groupInputs * kh * kw))
        let tapWeight = UnsafeMutablePointer<Int>.allocate(capacity: max(1, groupInputs * kh * kw))
        defer { tapInput.deallocate(); tapWeight.deallocate() }
        out.rows.withUnsafeMutableBufferPointer { out in
            input.rows.withUnsafeBufferPointer { x in
                tapMajorWeights.withUnsafeBufferPointer { weights in
                    for key in blocks {
                        let group = key / plane, position = key % plane
                        let oy = position / outputWidth, ox = position % outputWidth
                        var taps = 0
                        for ci in 0..<groupInputs {
                            let channel = group * groupInputs + ci
                            for ky in 0..<kh {
                                let iy = oy * conv.strideH - conv.pads[0] + ky * conv.dilationH
                                if iy < 0 || iy >= inputHeight { continue }
                                let inRow = (channel * inputHeight + iy) * inputWidth
                                for kx in 0..<kw {
                                    let ix = ox * conv.strideW - conv.pads[1] + kx * conv.dilationW
                                    if ix < 0 || ix >= inputWidth { continue }
                                    tapInput[taps] = inRow + ix
                                    tapWeight[taps] = (((group * groupInputs + ci) * kh + ky) * kw + kx) * groupOutputs
                                    taps += 1
                                }
                            }
                        }
                        func store(_ o: Int, _ a: Double, _ b: Double, _ c: Double) {
                            let u = (group * groupOutputs + o) * plane + position
                            out[u] = a; out[n + u] = b; out[2 * n + u] = c + conv.bias[group * groupOutputs + o]
                        }
                        func sums<V: SIMD>(_ type: V.Type, from o: Int) where V.Scalar == Double {
                            var a = V(), b = V(), c = V()
                            for t in 0..<taps {
                                let i = tapInput[t]
                                let w = UnsafeRawPointer(weights.baseAddress! + tapWeight[t] + o).loadUnaligned(as: V.self)
                                a += w * x[i]; b += w * x[inCount + i]; c += w * x[2 * inCount + i]
                            }
                            for lane in 0..<V.scalarCount { store(o + lane, a[lane], b[lane], c[lane]) }
                        }
                        var o = 0
                        while o + 8 <= groupOutputs { sums(SIMD8<Double>.self, from: o); o += 8 }
                        while o + 4 <= groupOutputs { sums(SIMD4<Double>.self, from: o); o += 4 }
                        while o < groupOutputs {
                            var a = 0.0, b = 0.0, c = 0.0
                            for t in 0..<taps {
                                let i = tapInput[t], w = weights[tapWeight[t] + o]
                                a += w * x[i]; b += w * x[inCount + i]; c += w * x[2 * inCount + i]
                            }
                            store(o, a, b, c)
                            o += 1
                        }
                    }
                }
            }
        }
    }
}

/// A 2-D convolution (cross-correlation) with strides, zero padding, dilations and groups on a
/// [C, H, W] input; output [C', H', W'].
struct ConvOperation: AffineOperation {
    let conv: Conv2D
    let inputHeight: Int, inputWidth: Int
    let outputHeight: Int, outputWidth: Int

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
    /// The tap sums of the default, weight by weight over whole output rows (vectorisable), then the
    /// bias: the same terms summed in another order, which the shared bound allows.
    func apply(_ inputs: [FloatValueMap]) -> FloatValueMap {
        let input = inputs[0]
        let n = outputCount, plane = outputHeight * outputWidth, inCount = input.count
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        var out = [Double](repeating: 0, count: 3 * n)
        out.withUnsafeMutableBufferPointer { out in
            input.rows.withUnsafeBufferPointer { x in
                conv.weights.withUnsafeBufferPointer { weights in
                    for o in 0..<conv.outChannels {
                        let group = o / groupOutputs
                        for ci in 0..<groupInputs {
                            let channel = group * groupInputs + ci
                            for ky in 0..<conv.kernelH {
                                for kx in 0..<conv.kernelW {
                                    let w = weights[((o * groupInputs + ci) * conv.kernelH + ky) * conv.kernelW + kx]
                                    if w == 0 { continue }
                                    for oy in 0..<outputHeight {
                                        let iy = oy * conv.strideH - conv.pads[0] + ky * conv.dilationH
                                        if iy < 0 || iy >= inputHeight { continue }
                                        let inRow = (channel * inputHeight + iy) * inputWidth
                                        let outRow = o * plane + oy * outputWidth
                                        for ox in 0..<outputWidth {
                                            let ix = ox * conv.strideW - conv.pads[1] + kx * conv.dilationW
                                            if ix < 0 || ix >= inputWidth { continue }
                                            for r in 0..<3 { out[r * n + outRow + ox] += w * x[r * inCount + inRow + ix] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for u in 0..<n { out[2 * n + u] += conv.bias[u / plane] }
        }
        return FloatValueMap(count: n, rows: out)
    }
}

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

    /// The tap-by-tap formula of the default (input channel, then kernel row, then column; zero
    /// weights skipped; the bias last), with direct indexing.
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        let input = inputs[0]
        let n = outputCount, plane = outputHeight * outputWidth, inCount = input.count
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let kh = conv.kernelH, kw = conv.kernelW
        out.rows.withUnsafeMutableBufferPointer { out in
            input.rows.withUnsafeBufferPointer { x in
                conv.weights.withUnsafeBufferPointer { weights in
                    for u in units {
                        let o = u / plane, oy = (u % plane) / outputWidth, ox = u % outputWidth
                        let group = o / groupOutputs
                        var a = 0.0, b = 0.0, c = 0.0
                        for ci in 0..<groupInputs {
                            let channel = group * groupInputs + ci
                            let kernel = (o * groupInputs + ci) * kh * kw
                            for ky in 0..<kh {
                                let iy = oy * conv.strideH - conv.pads[0] + ky * conv.dilationH
                                if iy < 0 || iy >= inputHeight { continue }
                                let inRow = (channel * inputHeight + iy) * inputWidth
                                for kx in 0..<kw {
                                    let ix = ox * conv.strideW - conv.pads[1] + kx * conv.dilationW
                                    if ix < 0 || ix >= inputWidth { continue }
                                    let w = weights[kernel + ky * kw + kx]
                                    if w == 0 { continue }
                                    let i = inRow + ix
                                    a += w * x[i]; b += w * x[inCount + i]; c += w * x[2 * inCount + i]
                                }
                            }
                        }
                        c += conv.bias[o]
                        out[u] = a; out[n + u] = b; out[2 * n + u] = c
                    }
                }
            }
        }
    }
}

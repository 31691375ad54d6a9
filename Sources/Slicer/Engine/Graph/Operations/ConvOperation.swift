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

import ForwardKernels

/// Direct 2-D convolution for groups = 1 and a multiple of the kernel's channel block of output channels
/// (8 in float64, 16 in float32), without im2col or gemm packing (`DirectConvPlan`).
struct ForwardDirectConv<T: ForwardScalar>: Sendable {
    static var channelBlock: Int { DirectConvPlan<T>.channelBlock }

    let window: WindowGeometry
    let plan: DirectConvPlan<T>

    /// Nil when the convolution is grouped or its output channels are not a multiple of the channel block.
    init?(_ conv: Conv2D, window: WindowGeometry) {
        guard conv.groups == 1 else { return nil }
        let paddedW = window.inW + window.padLeft + window.padRight
        let paddedH = window.inH + window.padTop + window.padBottom
        var origins: [Int] = []
        for oh in 0..<window.outH {
            for ow in 0..<window.outW { origins.append(oh * window.strideH * paddedW + ow * window.strideW) }
        }
        var terms: [Int] = []
        for c in 0..<conv.inChannels {
            for i in 0..<conv.kernelH {
                for j in 0..<conv.kernelW {
                    terms.append((c * paddedH + i * window.dilationH) * paddedW + j * window.dilationW)
                }
            }
        }
        guard let plan = DirectConvPlan<T>(weights: conv.weights, bias: conv.bias, inChannels: conv.inChannels,
                                           outChannels: conv.outChannels, taps: conv.kernelH * conv.kernelW,
                                           inH: window.inH, inW: window.inW, padTop: window.padTop, padLeft: window.padLeft,
                                           paddedH: paddedH, paddedW: paddedW, origins: origins, terms: terms) else { return nil }
        self.window = window
        self.plan = plan
    }

    /// Scalars of scratch space: the padded input of one sample.
    var scratchSize: Int { plan.scratchSize }

    /// `x` is [rows × Cin·H·W], `y` [rows × Cout·Ho·Wo].
    func run(_ x: UnsafePointer<T>, rows: Int, into y: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        plan.run(x, rows: rows, into: y, scratch: scratch)
    }
}

import ForwardKernels

/// Winograd F(2×2, 3×3) for the float32 pass's 3×3, stride-1, undilated, ungrouped convolutions with a
/// multiple of 16 output channels (`WinogradConvPlan`): 2.25 times fewer multiplications than the direct
/// sum. The float64 pass never takes it, so that float64 stays bit for bit the direct kernel's.
struct ForwardWinogradConv<T: ForwardScalar>: Sendable {
    let plan: WinogradConvPlan<T>

    /// Whether a convolution in float32 takes this path (`ForwardErrorBound` bounds its rounding).
    static func applies(_ conv: Conv2D) -> Bool {
        conv.groups == 1 && conv.kernelH == 3 && conv.kernelW == 3 && conv.strideH == 1 && conv.strideW == 1
            && conv.dilationH == 1 && conv.dilationW == 1 && conv.outChannels % WinogradConvPlan<Float>.channelBlock == 0
    }

    /// Nil unless `T` is Float and the convolution `applies`.
    init?(_ conv: Conv2D, window: WindowGeometry) {
        guard T.self == Float.self, ForwardWinogradConv.applies(conv),
              let plan = WinogradConvPlan<T>(weights: conv.weights, bias: conv.bias, inChannels: conv.inChannels,
                                             outChannels: conv.outChannels, inH: window.inH, inW: window.inW,
                                             padTop: window.padTop, padLeft: window.padLeft,
                                             outH: window.outH, outW: window.outW) else { return nil }
        self.plan = plan
    }

    var scratchSize: Int { plan.scratchSize }

    /// `x` is [rows × Cin·H·W], `y` [rows × Cout·Ho·Wo]; with `rectify` the convolution of max(x, 0).
    func run(_ x: UnsafePointer<T>, rows: Int, rectify: Bool = false, into y: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        plan.run(x, rows: rows, rectify: rectify, into: y, scratch: scratch)
    }
}

// Conv -> a 2-D convolution.

/// Conv with constant weights [M, C/group, kH, kW] and optional bias [M]: strides, pads (or
/// auto_pad), dilations, groups.
struct ConvConverter: ONNXOperatorConverter {
    static let opTypes = ["Conv"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"])
        let x = try node.computed(0)
        let inputShape = graph.shape(of: x)
        guard inputShape.count == 3 else { throw node.fail("input has per-sample shape \(inputShape); only 2-D convolution on [N, C, H, W] is supported") }
        let (wShape, weights) = try node.floats(1)
        guard wShape.count == 4 else { throw node.fail("weight has shape \(wShape); expected [M, C/group, kH, kW]") }
        let groups = try node.attributes.int("group", default: 1, in: 1...SpatialWindow.maximumExtent)
        let channels = inputShape[0], outChannels = wShape[0]
        guard channels % groups == 0, outChannels % groups == 0, wShape[1] * groups == channels else {
            throw node.fail("weight shape \(wShape) with group = \(groups) does not fit \(channels) input channels")
        }
        let kernel = [wShape[2], wShape[3]]
        if let declared = try node.attributes.ints("kernel_shape", in: 1...SpatialWindow.maximumExtent), declared != kernel {
            throw node.fail("kernel_shape \(declared) differs from the weight's \(kernel)")
        }
        let window = try SpatialWindow(node, kernel: kernel, height: inputShape[1], width: inputShape[2], ceilMode: false)
        var bias = [Double](repeating: 0, count: outChannels)
        if node.hasInput(2) {
            let (bShape, bValues) = try node.floats(2)
            guard bShape == [outChannels] else { throw node.fail("bias has shape \(bShape); expected [\(outChannels)]") }
            bias = bValues
        }
        let conv = Conv2D(inChannels: channels, outChannels: outChannels, kernelH: kernel[0], kernelW: kernel[1],
                          strideH: window.strides[0], strideW: window.strides[1], pads: window.pads,
                          dilationH: window.dilations[0], dilationW: window.dilations[1], groups: groups,
                          weights: weights, bias: bias)
        return [try graph.append(node, .conv(conv), inputs: [x], shape: [outChannels, window.outputHeight, window.outputWidth])]
    }
}

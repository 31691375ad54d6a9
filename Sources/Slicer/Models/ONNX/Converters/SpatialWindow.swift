// The 2-D window arithmetic shared by Conv, AveragePool and MaxPool.

/// Kernel, strides, padding and dilations of a 2-D window operator, and its output size.
struct SpatialWindow {
    var kernel: [Int]
    var strides: [Int]
    /// [top, left, bottom, right]
    var pads: [Int]
    var dilations: [Int]
    var outputHeight: Int
    var outputWidth: Int

    /// Largest kernel, stride, dilation or padding accepted (keeps every product far from overflow).
    static let maximumExtent = 1 << 20

    /// Reads `strides`, `pads`, `dilations` and `auto_pad` for an input of spatial size
    /// [height, width]; `ceilMode` rounds the window count up as PyTorch and ONNX do (a window
    /// that would start in the bottom/right padding is dropped).
    init(_ node: ONNXNodeContext, kernel: [Int], height: Int, width: Int, ceilMode: Bool) throws {
        let extent = 1...SpatialWindow.maximumExtent
        guard kernel.count == 2, kernel.allSatisfy({ extent.contains($0) }) else {
            throw node.fail("kernel shape \(kernel) is not a 2-D window (only 2-D operators are supported)")
        }
        self.kernel = kernel
        strides = try node.attributes.ints("strides", count: 2, in: extent) ?? [1, 1]
        dilations = try node.attributes.ints("dilations", count: 2, in: extent) ?? [1, 1]
        let autoPad = try node.attributes.string("auto_pad", default: "NOTSET")
        let effective = [(kernel[0] - 1) * dilations[0] + 1, (kernel[1] - 1) * dilations[1] + 1]
        let input = [height, width]
        switch autoPad {
        case "NOTSET":
            pads = try node.attributes.ints("pads", count: 4, in: 0...SpatialWindow.maximumExtent) ?? [0, 0, 0, 0]
        case "VALID":
            pads = [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            // Output = ceil(input / stride); the odd padding unit goes at the end (UPPER) or the start.
            var begin = [0, 0], end = [0, 0]
            for axis in 0..<2 {
                let output = (input[axis] + strides[axis] - 1) / strides[axis]
                let total = max(0, (output - 1) * strides[axis] + effective[axis] - input[axis])
                let small = total / 2, large = total - small
                begin[axis] = autoPad == "SAME_UPPER" ? small : large
                end[axis] = autoPad == "SAME_UPPER" ? large : small
            }
            pads = [begin[0], begin[1], end[0], end[1]]
        default:
            throw node.fail("auto_pad '\(autoPad)' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER")
        }
        var output = [0, 0]
        for axis in 0..<2 {
            let padded = input[axis] + pads[axis] + pads[axis + 2]
            guard padded >= effective[axis] else {
                throw node.fail("window \(effective[axis]) (kernel \(kernel[axis]), dilation \(dilations[axis])) is larger than the padded input \(padded)")
            }
            let span = padded - effective[axis]
            var count = (ceilMode ? (span + strides[axis] - 1) / strides[axis] : span / strides[axis]) + 1
            if ceilMode && (count - 1) * strides[axis] >= input[axis] + pads[axis] { count -= 1 }
            output[axis] = count
        }
        outputHeight = output[0]; outputWidth = output[1]
    }

    /// True when every output position along both axes has a window tap inside the input (a max
    /// pool window that sees only padding has no value).
    func everyWindowSeesInput(height: Int, width: Int) -> Bool {
        for (axis, size, outputs) in [(0, height, outputHeight), (1, width, outputWidth)] {
            let stride = strides[axis], pad = pads[axis], dilation = dilations[axis]
            // A window starting inside the input sees its first tap; only those starting in the
            // padding (at most ~pad/stride of them at each end) need a look.
            let firstInside = min(outputs, (pad + stride - 1) / stride)
            let firstPast = min(outputs, max(firstInside, (size + pad + stride - 1) / stride))
            for position in Array(0..<firstInside) + Array(firstPast..<outputs) {
                let start = position * stride - pad
                let firstTap = start >= 0 ? 0 : (-start + dilation - 1) / dilation
                if firstTap >= kernel[axis] || start + firstTap * dilation >= size { return false }
            }
        }
        return true
    }

    var pool: Pool2D {
        Pool2D(kernelH: kernel[0], kernelW: kernel[1], strideH: strides[0], strideW: strides[1], pads: pads,
               dilationH: dilations[0], dilationW: dilations[1])
    }
}

/// 2-D convolution (cross-correlation, as PyTorch and ONNX define it): in float32 by Winograd's
/// F(2×2, 3×3) where it applies, else by the direct kernel where it applies, else through im2col and one gemm per sample and group: the kernel matrix
/// [Cout/g, Cin/g·kH·kW] times the column matrix [Cin/g·kH·kW, Ho·Wo].
package struct ForwardConv<T: ForwardScalar>: Sendable {
    /// The geometry (its weights and bias as the model holds them, in float64).
    let conv: Conv2D
    let window: WindowGeometry
    /// The weights and bias in the pass's scalar.
    let weights: [T]
    let bias: [T]
    /// The direct kernel, where it applies (ungrouped, output channels a multiple of its channel block).
    let direct: ForwardDirectConv<T>?
    /// The Winograd kernel, where it applies (float32 only).
    let winograd: ForwardWinogradConv<T>?

    init(_ conv: Conv2D, window: WindowGeometry) {
        self.conv = conv; self.window = window
        weights = conv.weights.map(T.init); bias = conv.bias.map(T.init)
        winograd = ForwardWinogradConv(conv, window: window)
        direct = winograd == nil ? ForwardDirectConv(conv, window: window) : nil
    }

    var inChannelsPerGroup: Int { conv.inChannels / conv.groups }
    var outChannelsPerGroup: Int { conv.outChannels / conv.groups }
    /// Rows of the column matrix: one per (input channel of the group, kernel row, kernel column).
    var columnRows: Int { inChannelsPerGroup * conv.kernelH * conv.kernelW }
    var outputPixels: Int { window.outH * window.outW }
    /// A 1×1 kernel with unit stride and no padding reads the input as its own column matrix.
    var isPointwise: Bool {
        conv.kernelH == 1 && conv.kernelW == 1 && conv.strideH == 1 && conv.strideW == 1 && conv.pads.allSatisfy { $0 == 0 }
    }
    /// Scalars of scratch space `run` needs.
    var scratchSize: Int { winograd?.scratchSize ?? direct?.scratchSize ?? (isPointwise ? 0 : columnRows * outputPixels) }

    /// `x` is [rows × Cin·H·W], `y` [rows × Cout·Ho·Wo]; `scratch` holds at least `scratchSize` doubles.
    /// `rectify` (the convolution of max(x, 0)) only where `winograd` is set.
    func run(_ x: UnsafePointer<T>, rows: Int, rectify: Bool = false, into y: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        if let winograd { return winograd.run(x, rows: rows, rectify: rectify, into: y, scratch: scratch) }
        precondition(!rectify, "only a Winograd convolution rectifies its input")
        if let direct { return direct.run(x, rows: rows, into: y, scratch: scratch) }
        let inSize = conv.inChannels * window.inH * window.inW
        let outSize = conv.outChannels * outputPixels
        let groupInput = inChannelsPerGroup * window.inH * window.inW
        let groupOutput = outChannelsPerGroup * outputPixels
        let groupWeights = outChannelsPerGroup * columnRows
        weights.withUnsafeBufferPointer { weights in
            for row in 0..<rows {
                let input = x + row * inSize, output = y + row * outSize
                for c in 0..<conv.outChannels {
                    let bias = self.bias[c]
                    let plane = output + c * outputPixels
                    for p in 0..<outputPixels { plane[p] = bias }
                }
                for g in 0..<conv.groups {
                    let columns: UnsafePointer<T>
                    if isPointwise {
                        columns = input + g * groupInput
                    } else {
                        im2col(input + g * groupInput, into: scratch)
                        columns = UnsafePointer(scratch)
                    }
                    gemm(weights.baseAddress! + g * groupWeights, columns, output + g * groupOutput,
                         m: outChannelsPerGroup, n: outputPixels, k: columnRows, beta: 1)
                }
            }
        }
    }

    /// The column matrix of one group of one sample: row (c, i, j) holds, for every output pixel, the
    /// input value kernel tap (i, j) of channel c reads there (0 in the padding).
    func im2col(_ input: UnsafePointer<T>, into columns: UnsafeMutablePointer<T>) {
        let w = window
        let plane = w.inH * w.inW
        var row = 0
        for c in 0..<inChannelsPerGroup {
            let channel = input + c * plane
            for i in 0..<conv.kernelH {
                for j in 0..<conv.kernelW {
                    let out = columns + row * outputPixels
                    let valid = w.validColumns(kernelColumn: j)
                    let columnOffset = j * w.dilationW - w.padLeft
                    for oh in 0..<w.outH {
                        let line = out + oh * w.outW
                        let ih = w.rowOrigin(oh) + i * w.dilationH
                        guard ih >= 0 && ih < w.inH else {
                            line.update(repeating: 0, count: w.outW)
                            continue
                        }
                        // Input index of output column ow: base + ow·sW (in range for ow in `valid`).
                        let base = ih * w.inW + columnOffset
                        for ow in 0..<valid.lowerBound { line[ow] = 0 }
                        if w.strideW == 1 {
                            (line + valid.lowerBound).update(from: channel + base + valid.lowerBound, count: valid.count)
                        } else {
                            for ow in valid { line[ow] = channel[base + ow * w.strideW] }
                        }
                        for ow in valid.upperBound..<w.outW { line[ow] = 0 }
                    }
                    row += 1
                }
            }
        }
    }
}

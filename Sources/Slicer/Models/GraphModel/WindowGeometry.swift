/// Where a 2-D window (a convolution kernel or a pooling window) lands on an H×W input: output size,
/// and which input rows/columns each window position reads. Shared by convolution and pooling.
package struct WindowGeometry: Sendable, Equatable {
    package var inH: Int, inW: Int
    package var kernelH: Int, kernelW: Int
    var strideH: Int, strideW: Int
    var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int
    package var dilationH: Int, dilationW: Int
    package var outH: Int, outW: Int

    /// Geometry of a window sliding over [inH, inW]; `ceilMode` rounds the output size up as PyTorch does
    /// (a last window that would start inside the bottom/right padding is dropped). Nil when the
    /// parameters are not positive or no window fits.
    package init?(inH: Int, inW: Int, kernelH: Int, kernelW: Int, strideH: Int, strideW: Int, pads: [Int],
          dilationH: Int, dilationW: Int, ceilMode: Bool = false) {
        guard inH > 0, inW > 0, kernelH > 0, kernelW > 0, strideH > 0, strideW > 0, dilationH > 0, dilationW > 0,
              pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else { return nil }
        self.inH = inH; self.inW = inW; self.kernelH = kernelH; self.kernelW = kernelW
        self.strideH = strideH; self.strideW = strideW
        padTop = pads[0]; padLeft = pads[1]; padBottom = pads[2]; padRight = pads[3]
        self.dilationH = dilationH; self.dilationW = dilationW
        guard let h = WindowGeometry.outputSize(inH, kernelH, strideH, padTop, padBottom, dilationH, ceilMode),
              let w = WindowGeometry.outputSize(inW, kernelW, strideW, padLeft, padRight, dilationW, ceilMode) else { return nil }
        outH = h; outW = w
    }

    /// floor or ceil((in + pads − dilation·(k − 1) − 1) / stride) + 1, PyTorch's rule for ceil mode.
    static func outputSize(_ size: Int, _ kernel: Int, _ stride: Int, _ padBegin: Int, _ padEnd: Int,
                           _ dilation: Int, _ ceilMode: Bool) -> Int? {
        let span = size + padBegin + padEnd - dilation * (kernel - 1) - 1
        guard span >= 0 else { return nil }
        var out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
        // Ceil mode never starts a window in the end padding.
        if ceilMode, (out - 1) * stride >= size + padBegin { out -= 1 }
        return out
    }

    /// First input row read by output row `oh` at kernel row 0 (may be negative: padding).
    @inline(__always) package func rowOrigin(_ oh: Int) -> Int { oh * strideH - padTop }
    @inline(__always) package func columnOrigin(_ ow: Int) -> Int { ow * strideW - padLeft }

    /// Calls `body` with (kernel position, input row, input column) for each position of window
    /// (oh, ow) that lies inside the input (padding is passed over), kernel positions increasing.
    @inline(__always)
    package func forEachPosition(_ oh: Int, _ ow: Int, _ body: (_ slot: Int, _ ih: Int, _ iw: Int) -> Void) {
        for i in 0..<kernelH {
            let ih = rowOrigin(oh) + i * dilationH
            guard ih >= 0 && ih < inH else { continue }
            for j in 0..<kernelW {
                let iw = columnOrigin(ow) + j * dilationW
                guard iw >= 0 && iw < inW else { continue }
                body(i * kernelW + j, ih, iw)
            }
        }
    }

    /// The output columns whose kernel column `j` reads a real input column: iw = ow·sW − pL + j·dW ∈ [0, W).
    func validColumns(kernelColumn j: Int) -> Range<Int> {
        let offset = j * dilationW - padLeft
        let low = min(outW, max(0, ceilDivide(-offset, strideW)))
        let high = min(outW, ceilDivide(inW - offset, strideW))
        return low..<max(low, high)
    }

    /// Number of window positions of output (oh, ow) inside the input, and inside input plus padding
    /// (PyTorch's `count_include_pad` divisor: the window clipped to the padded input).
    func windowCounts(_ oh: Int, _ ow: Int) -> (inside: Int, padded: Int) {
        var insideH = 0, paddedH = 0, insideW = 0, paddedW = 0
        for i in 0..<kernelH {
            let ih = rowOrigin(oh) + i * dilationH
            if ih >= -padTop && ih < inH + padBottom { paddedH += 1 }
            if ih >= 0 && ih < inH { insideH += 1 }
        }
        for j in 0..<kernelW {
            let iw = columnOrigin(ow) + j * dilationW
            if iw >= -padLeft && iw < inW + padRight { paddedW += 1 }
            if iw >= 0 && iw < inW { insideW += 1 }
        }
        return (insideH * insideW, paddedH * paddedW)
    }
}

/// ⌈a / b⌉ for b > 0 and any sign of a.
@inline(__always) func ceilDivide(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}

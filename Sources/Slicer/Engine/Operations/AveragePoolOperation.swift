import Models

/// 2-D average pooling of a [C, H, W] input, as PyTorch's `avg_pool2d` computes it: each window's
/// sum over the unpadded inputs divided by the window size clipped to the padded input
/// (`countIncludePad`) or by the number of real inputs. The divisor is an exact integer.
struct AveragePoolOperation: AffineOperation {
    let pool: Pool2D
    let countIncludePad: Bool
    let channels: Int, inputHeight: Int, inputWidth: Int
    let outputHeight: Int, outputWidth: Int

    var outputCount: Int { channels * outputHeight * outputWidth }

    /// The window of output (oy, ox): rows and columns of real inputs, and the padded window size.
    func window(_ oy: Int, _ ox: Int) -> (rows: Range<Int>, columns: Range<Int>, padded: Int) {
        let y0 = oy * pool.strideH - pool.pads[0], x0 = ox * pool.strideW - pool.pads[1]
        let y1 = min(y0 + pool.kernelH, inputHeight + pool.pads[2]), x1 = min(x0 + pool.kernelW, inputWidth + pool.pads[3])
        let padded = (y1 - y0) * (x1 - x0)
        let rows = max(y0, 0)..<max(max(y0, 0), min(y1, inputHeight))
        let columns = max(x0, 0)..<max(max(x0, 0), min(x1, inputWidth))
        return (rows, columns, padded)
    }

    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) {
        let plane = outputHeight * outputWidth
        let c = u / plane, oy = (u % plane) / outputWidth, ox = u % outputWidth
        let (rows, columns, _) = window(oy, ox)
        for y in rows { for x in columns { body(0, (c * inputHeight + y) * inputWidth + x, 1) } }
    }

    /// The windows holding input (c, y, x): outputs (oy, ox) with oy·stride − pad ≤ y < that + kernel.
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) {
        let c = index / (inputHeight * inputWidth), y = (index / inputWidth) % inputHeight, x = index % inputWidth
        for oy in 0..<outputHeight {
            let y0 = oy * pool.strideH - pool.pads[0]
            guard y >= y0, y < y0 + pool.kernelH else { continue }
            for ox in 0..<outputWidth {
                let x0 = ox * pool.strideW - pool.pads[1]
                if x >= x0, x < x0 + pool.kernelW { body((c * outputHeight + oy) * outputWidth + ox) }
            }
        }
    }

    func divisor(of u: Int) -> Int {
        let plane = outputHeight * outputWidth
        let (rows, columns, padded) = window((u % plane) / outputWidth, u % outputWidth)
        return max(1, countIncludePad ? padded : rows.count * columns.count)
    }
}

/// The mean of each channel's H·W values.
struct GlobalAveragePoolOperation: AffineOperation {
    let channels: Int, unitsPerChannel: Int
    var outputCount: Int { channels }
    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) {
        for i in 0..<unitsPerChannel { body(0, u * unitsPerChannel + i, 1) }
    }
    func divisor(of u: Int) -> Int { unitsPerChannel }
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) { body(index / unitsPerChannel) }
}

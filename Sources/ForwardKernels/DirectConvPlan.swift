/// A 2-D convolution (groups = 1, output channels a multiple of `channelBlock`) laid out for the direct
/// kernel: the input is copied once into a zero-padded plane per channel, and a register tile of
/// 6 output pixels × `channelBlock` output channels accumulates over every (input channel, kernel row,
/// kernel column) in that order (the column order of im2col), one fused multiply-add per term, then adds
/// the bias. On small images with few channels the copies around a gemm cost about as much as the gemm.
public struct DirectConvPlan<T: KernelScalar>: Sendable {
    /// Output channels of a tile: two vectors' lanes (8 in float64, 16 in float32).
    public static var channelBlock: Int { 2 * T.Vector.scalarCount }
    static var pixelBlock: Int { 6 }

    public let inChannels: Int, outChannels: Int
    /// The input image and where it sits in its padded copy.
    public let inH: Int, inW: Int, padTop: Int, padLeft: Int, paddedH: Int, paddedW: Int
    public let bias: [T]
    /// Weights reordered [Cout/block][Cin][kH][kW][block]: a block's output channels of one term side by side.
    public let packed: [T]
    /// Per output pixel (row-major), the padded-plane index its kernel tap (0, 0) reads.
    public let origins: [Int]
    /// Per term (input channel c, kernel row i, kernel column j), in im2col's column order, the offset
    /// in the padded planes from a pixel's origin to the value the term reads.
    public let terms: [Int]

    /// `weights` [Cout][Cin][kH][kW] and `bias` as the model holds them; `origins` and `terms` as above.
    /// Nil when the output channels are not a multiple of the channel block.
    public init?(weights: [Double], bias: [Double], inChannels: Int, outChannels: Int, taps: Int,
                 inH: Int, inW: Int, padTop: Int, padLeft: Int, paddedH: Int, paddedW: Int, origins: [Int], terms: [Int]) {
        let block = DirectConvPlan.channelBlock
        guard outChannels % block == 0, weights.count == outChannels * inChannels * taps, terms.count == inChannels * taps else {
            return nil
        }
        var packed = [T](repeating: 0, count: weights.count)
        for o in 0..<outChannels {
            for term in 0..<(inChannels * taps) {
                packed[((o / block) * inChannels * taps + term) * block + o % block] = T(weights[o * inChannels * taps + term])
            }
        }
        self.packed = packed
        self.bias = bias.map(T.init)
        self.inChannels = inChannels; self.outChannels = outChannels
        self.inH = inH; self.inW = inW; self.padTop = padTop; self.padLeft = padLeft
        self.paddedH = paddedH; self.paddedW = paddedW
        self.origins = origins; self.terms = terms
    }

    /// Scalars of scratch space: the padded input of one sample.
    public var scratchSize: Int { inChannels * paddedH * paddedW }

    /// `x` is [rows × Cin·H·W], `y` [rows × Cout·Ho·Wo]; `scratch` holds `scratchSize` scalars.
    public func run(_ x: UnsafePointer<T>, rows: Int, into y: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        T.directConv(self, x, rows: rows, into: y, scratch: scratch)
    }

    @inline(__always)
    func body(_ x: UnsafePointer<T>, rows: Int, into y: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        let inPlane = inH * inW, paddedPlane = paddedH * paddedW
        let pixels = origins.count
        // The padding stays zero: only the interior is rewritten per sample.
        scratch.update(repeating: 0, count: scratchSize)
        packed.withUnsafeBufferPointer { weights in
          terms.withUnsafeBufferPointer { terms in
            origins.withUnsafeBufferPointer { origins in
                for row in 0..<rows {
                    let input = x + row * inChannels * inPlane
                    for c in 0..<inChannels {
                        for ih in 0..<inH {
                            (scratch + c * paddedPlane + (ih + padTop) * paddedW + padLeft)
                                .update(from: input + c * inPlane + ih * inW, count: inW)
                        }
                    }
                    let output = y + row * outChannels * pixels
                    for block in 0..<(outChannels / DirectConvPlan.channelBlock) {
                        var p = 0
                        while p < pixels {
                            tile(scratch, weights.baseAddress!, terms: terms, block: block, firstPixel: p, origins: origins, into: output)
                            p += DirectConvPlan.pixelBlock
                        }
                    }
                }
            }
          }
        }
    }

    /// Output pixels p ..< p + 6 (those that exist) of one block of output channels, by the shared
    /// `RegisterTile` over the terms, plus the bias.
    @inline(__always)
    private func tile(_ padded: UnsafePointer<T>, _ weights: UnsafePointer<T>, terms: UnsafeBufferPointer<Int>,
                      block: Int, firstPixel p: Int, origins: UnsafeBufferPointer<Int>, into output: UnsafeMutablePointer<T>) {
        let pixels = origins.count
        let count = min(DirectConvPlan.pixelBlock, pixels &- p)
        // A missing pixel repeats the last one; its sums are computed and dropped.
        let last = count &- 1
        let sums = RegisterTile(padded + origins[p], padded + origins[p &+ min(1, last)], padded + origins[p &+ min(2, last)],
                                padded + origins[p &+ min(3, last)], padded + origins[p &+ min(4, last)],
                                padded + origins[p &+ min(5, last)],
                                weights: weights + block &* terms.count &* DirectConvPlan.channelBlock, terms: terms.count,
                                offset: { terms[$0] })
        let first = block &* DirectConvPlan.channelBlock
        bias.withUnsafeBufferPointer { bias in
            let lanes = T.Vector.scalarCount
            sums.rows(count) { k, low, high in
                for lane in 0..<lanes {
                    output[(first &+ lane) &* pixels &+ p &+ k] = bias[first &+ lane] + low[lane]
                    output[(first &+ lanes &+ lane) &* pixels &+ p &+ k] = bias[first &+ lanes &+ lane] + high[lane]
                }
            }
        }
    }
}

extension Float {
    public static func directConv(_ plan: DirectConvPlan<Float>, _ x: UnsafePointer<Float>, rows: Int,
                                  into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        plan.body(x, rows: rows, into: y, scratch: scratch)
    }
}

extension Double {
    public static func directConv(_ plan: DirectConvPlan<Double>, _ x: UnsafePointer<Double>, rows: Int,
                                  into y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        plan.body(x, rows: rows, into: y, scratch: scratch)
    }
}

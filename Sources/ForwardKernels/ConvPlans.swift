// The convolution plans and the micro-kernel they share live in one file: a debug build compiles
// file by file, and a plan in another file could call only the shared kernel's generic body
// (witness-table SIMD, ~100x slower: debug lc of 10 CNN samples 7 min instead of 2 s).

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

/// A 3×3, stride-1, ungrouped convolution by Winograd's F(2×2, 3×3): each 2×2 block of output pixels
/// (a tile) is Aᵀ·[Σ_c U_c ⊙ (Bᵀ·d_c·B)]·A + bias, with d_c the 4×4 input patch of channel c and
/// U_c = G·g_c·Gᵀ the transformed 3×3 kernel: 16 multiplications per tile and channel pair instead of 36.
/// The 16 sums over input channels are small matrix products [Cout × Cin]·[Cin × tiles], run by a
/// register tile of 6 tiles × `channelBlock` output channels (the direct kernel's shape).
/// Rounding differs from the direct sum; `ForwardErrorBound` bounds it.
public struct WinogradConvPlan<T: KernelScalar>: Sendable {
    /// Output channels of a register tile: two vectors' lanes (16 in float32).
    public static var channelBlock: Int { 2 * T.Vector.scalarCount }
    static var tileGroup: Int { 6 }
    /// Tiles transformed and multiplied together: their transformed inputs and products stay in cache.
    static var blockTiles: Int { 48 }

    public let inChannels: Int, outChannels: Int
    public let inH: Int, inW: Int, padTop: Int, padLeft: Int, outH: Int, outW: Int
    /// Tiles per image, down and across (an odd output size computes one extra row or column, dropped).
    public let tilesH: Int, tilesW: Int
    /// The channel-last padded copy of one image covers every tile's 4×4 patch.
    var paddedH: Int { 2 * tilesH + 2 }
    var paddedW: Int { 2 * tilesW + 2 }
    public let bias: [T]
    /// U = G·g·Gᵀ, computed in float64 and rounded once, laid out [16][Cout/block][Cin][block].
    public let packed: [T]

    /// `weights` [Cout][Cin][3][3] and `bias` as the model holds them; `outH`, `outW` the convolution's
    /// output size. Nil unless the output channels are a multiple of the channel block.
    public init?(weights: [Double], bias: [Double], inChannels: Int, outChannels: Int,
                 inH: Int, inW: Int, padTop: Int, padLeft: Int, outH: Int, outW: Int) {
        let block = WinogradConvPlan.channelBlock
        guard outChannels % block == 0, weights.count == outChannels * inChannels * 9, outH > 0, outW > 0 else { return nil }
        var packed = [T](repeating: 0, count: 16 * outChannels * inChannels)
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                let u = WinogradConvPlan.transformedKernel(Array(weights[((o * inChannels + c) * 9)..<((o * inChannels + c) * 9 + 9)]))
                for xi in 0..<16 {
                    packed[((xi * (outChannels / block) + o / block) * inChannels + c) * block + o % block] = T(u[xi])
                }
            }
        }
        self.packed = packed
        self.bias = bias.map(T.init)
        self.inChannels = inChannels; self.outChannels = outChannels
        self.inH = inH; self.inW = inW; self.padTop = padTop; self.padLeft = padLeft
        self.outH = outH; self.outW = outW
        tilesH = (outH + 1) / 2; tilesW = (outW + 1) / 2
    }

    /// G·g·Gᵀ of a 3×3 kernel g (row-major), G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]: 4×4, row-major.
    public static func transformedKernel(_ g: [Double]) -> [Double] {
        func rows(_ a: Double, _ b: Double, _ c: Double) -> [Double] { [a, (a + b + c) / 2, (a - b + c) / 2, c] }
        let columns = (0..<3).map { j in rows(g[j], g[3 + j], g[6 + j]) }   // G·g: [4][3], by column
        var u = [Double](repeating: 0, count: 16)
        for k in 0..<4 {
            let row = rows(columns[0][k], columns[1][k], columns[2][k])
            for l in 0..<4 { u[k * 4 + l] = row[l] }
        }
        return u
    }

    /// Scalars of scratch space: one padded image, one block's transformed inputs and products, and
    /// the channel-last output image of every tile's pixels.
    public var scratchSize: Int {
        paddedH * paddedW * inChannels + 16 * WinogradConvPlan.blockTiles * (inChannels + outChannels) + stagedSize
    }

    /// Scalars of the channel-last output image [2·tilesH][2·tilesW][Cout].
    var stagedSize: Int { 4 * tilesH * tilesW * outChannels }

    /// `x` is [rows × Cin·H·W], `y` [rows × Cout·Ho·Wo]; `scratch` holds `scratchSize` scalars. With
    /// `rectify` the convolution reads max(x, 0) (x > 0 ? x : 0, as the ReLU kernel computes it) instead of x.
    public func run(_ x: UnsafePointer<T>, rows: Int, rectify: Bool = false, into y: UnsafeMutablePointer<T>,
                    scratch: UnsafeMutablePointer<T>) {
        T.winogradConv(self, x, rows: rows, rectify: rectify, into: y, scratch: scratch)
    }

    @inline(__always)
    func body(_ x: UnsafePointer<T>, rows: Int, rectify: Bool, into y: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>) {
        let cin = inChannels, plane = inH * inW
        let padded = scratch
        let transformed = padded + paddedH * paddedW * cin
        let products = transformed + 16 * WinogradConvPlan.blockTiles * cin
        let staged = products + 16 * WinogradConvPlan.blockTiles * outChannels
        // The padding stays zero: only the interior is rewritten per image.
        padded.update(repeating: 0, count: paddedH * paddedW * cin)
        let tiles = tilesH * tilesW
        packed.withUnsafeBufferPointer { weights in
            bias.withUnsafeBufferPointer { bias in
                for row in 0..<rows {
                    copyChannelLast(x + row * cin * plane, rectify: rectify, into: padded)
                    let output = y + row * outChannels * outH * outW
                    var first = 0
                    while first < tiles {
                        let count = min(WinogradConvPlan.blockTiles, tiles - first)
                        transformInputs(padded, first: first, count: count, into: transformed)
                        multiply(transformed, weights.baseAddress!, count: count, into: products)
                        transformOutputs(products, bias.baseAddress!, first: first, count: count, into: staged)
                        first += count
                    }
                    copyChannelFirst(staged, into: output)
                }
            }
        }
    }

    /// One image's [Cin][H][W] values (rectified with `rectify`) into the interior of the channel-last
    /// padded image [paddedH][paddedW][Cin].
    @inline(__always)
    private func copyChannelLast(_ input: UnsafePointer<T>, rectify: Bool, into padded: UnsafeMutablePointer<T>) {
        let cin = inChannels, plane = inH * inW
        if T.self == Float.self, cin % 8 == 0, inW >= 8 {
            let source = UnsafeRawPointer(input).assumingMemoryBound(to: Float.self)
            let target = UnsafeMutableRawPointer(padded).assumingMemoryBound(to: Float.self)
            WinogradTranspose.image(rows: inH, channels: cin, width: inW, sourceStride: plane, targetStride: cin, rectify: rectify) { ih, c, iw in
                (source + c * plane + ih * inW + iw, target + ((ih + padTop) * paddedW + padLeft + iw) * cin + c)
            }
            return
        }
        for ih in 0..<inH {
            for iw in 0..<inW {
                let target = padded + ((ih + padTop) * paddedW + padLeft + iw) * cin
                let source = input + ih * inW + iw
                for c in 0..<cin {
                    let z = source[c * plane]
                    target[c] = !rectify || z > 0 ? z : 0
                }
            }
        }
    }

    /// V[ξ][t][c] = (Bᵀ·d·B)[ξ] for tiles first ..< first + count, Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].
    @inline(__always)
    private func transformInputs(_ padded: UnsafePointer<T>, first: Int, count: Int, into v: UnsafeMutablePointer<T>) {
        let cin = inChannels, rowStride = paddedW * cin
        let xiStride = WinogradConvPlan.blockTiles * cin
        for t in 0..<count {
            let tile = first + t
            let origin = padded + (2 * (tile / tilesW) * paddedW + 2 * (tile % tilesW)) * cin
            let out = v + t * cin
            if cin % T.Vector.scalarCount == 0 {
                transformInput(origin, rowStride: rowStride, into: out, xiStride: xiStride)
                continue
            }
            for c in 0..<cin {
                // Along each row, then down the columns: every stage one addition or subtraction per value.
                func row(_ i: Int) -> (T, T, T, T) {
                    let d = origin + i * rowStride + c
                    let d0 = d[0], d1 = d[cin], d2 = d[2 * cin], d3 = d[3 * cin]
                    return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
                }
                let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3)
                let o = out + c
                o[0] = r0.0 - r2.0; o[xiStride] = r0.1 - r2.1; o[2 * xiStride] = r0.2 - r2.2; o[3 * xiStride] = r0.3 - r2.3
                o[4 * xiStride] = r1.0 + r2.0; o[5 * xiStride] = r1.1 + r2.1; o[6 * xiStride] = r1.2 + r2.2; o[7 * xiStride] = r1.3 + r2.3
                o[8 * xiStride] = r2.0 - r1.0; o[9 * xiStride] = r2.1 - r1.1; o[10 * xiStride] = r2.2 - r1.2; o[11 * xiStride] = r2.3 - r1.3
                o[12 * xiStride] = r1.0 - r3.0; o[13 * xiStride] = r1.1 - r3.1; o[14 * xiStride] = r1.2 - r3.2; o[15 * xiStride] = r1.3 - r3.3
            }
        }
    }

    /// One tile's Bᵀ·d·B, a vector of channels at a time (the same additions as the scalar loop).
    @inline(__always)
    private func transformInput(_ origin: UnsafePointer<T>, rowStride: Int, into out: UnsafeMutablePointer<T>, xiStride: Int) {
        let cin = inChannels, lanes = T.Vector.scalarCount, size = MemoryLayout<T>.stride
        let source = UnsafeRawPointer(origin), target = UnsafeMutableRawPointer(out)
        var c = 0
        while c < cin {
            func row(_ i: Int) -> (T.Vector, T.Vector, T.Vector, T.Vector) {
                func load(_ j: Int) -> T.Vector { source.loadUnaligned(fromByteOffset: (i &* rowStride &+ j &* cin &+ c) &* size, as: T.Vector.self) }
                let d0 = load(0), d1 = load(1), d2 = load(2), d3 = load(3)
                return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
            }
            let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3)
            func store(_ xi: Int, _ value: T.Vector) { target.storeBytes(of: value, toByteOffset: (xi &* xiStride &+ c) &* size, as: T.Vector.self) }
            store(0, r0.0 - r2.0); store(1, r0.1 - r2.1); store(2, r0.2 - r2.2); store(3, r0.3 - r2.3)
            store(4, r1.0 + r2.0); store(5, r1.1 + r2.1); store(6, r1.2 + r2.2); store(7, r1.3 + r2.3)
            store(8, r2.0 - r1.0); store(9, r2.1 - r1.1); store(10, r2.2 - r1.2); store(11, r2.3 - r1.3)
            store(12, r1.0 - r3.0); store(13, r1.1 - r3.1); store(14, r1.2 - r3.2); store(15, r1.3 - r3.3)
            c += lanes
        }
    }

    /// M[t][ξ][o] = Σ_c U[ξ][o][c]·V[ξ][t][c] for the block's `count` tiles.
    @inline(__always)
    private func multiply(_ v: UnsafePointer<T>, _ weights: UnsafePointer<T>, count: Int, into m: UnsafeMutablePointer<T>) {
        let blocks = outChannels / WinogradConvPlan.channelBlock
        for xi in 0..<16 {
            for block in 0..<blocks {
                var t = 0
                while t < count {
                    tile(v + xi * WinogradConvPlan.blockTiles * inChannels, weights + (xi * blocks + block) * inChannels * WinogradConvPlan.channelBlock,
                         firstTile: t, count: count, xi: xi, block: block, into: m)
                    t += WinogradConvPlan.tileGroup
                }
            }
        }
    }

    /// Tiles t ..< t + 6 (those that exist) of one ξ and one block of output channels, by the shared
    /// `RegisterTile` over the input channels.
    @inline(__always)
    private func tile(_ v: UnsafePointer<T>, _ weights: UnsafePointer<T>, firstTile t: Int, count: Int, xi: Int, block: Int,
                      into m: UnsafeMutablePointer<T>) {
        let cin = inChannels
        let n = min(WinogradConvPlan.tileGroup, count &- t)
        // A missing tile repeats the last one; its sums are computed and dropped.
        let last = n &- 1
        let sums = RegisterTile(v + t &* cin, v + (t &+ min(1, last)) &* cin, v + (t &+ min(2, last)) &* cin,
                                v + (t &+ min(3, last)) &* cin, v + (t &+ min(4, last)) &* cin, v + (t &+ min(5, last)) &* cin,
                                weights: weights, terms: cin, offset: { $0 })
        let half = T.Vector.scalarCount &* MemoryLayout<T>.stride
        let base = UnsafeMutableRawPointer(m + (xi &* outChannels &+ block &* WinogradConvPlan.channelBlock))
        let step = 16 &* outChannels &* MemoryLayout<T>.stride
        sums.rows(n) { k, low, high in
            base.storeBytes(of: low, toByteOffset: (t &+ k) &* step, as: T.Vector.self)
            base.storeBytes(of: high, toByteOffset: (t &+ k) &* step &+ half, as: T.Vector.self)
        }
    }

    /// Y = Aᵀ·M·A + bias per tile, Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]], a vector of output channels at a
    /// time, into the channel-last output image (whole vectors stored, none scattered).
    @inline(__always)
    private func transformOutputs(_ m: UnsafePointer<T>, _ bias: UnsafePointer<T>, first: Int, count: Int,
                                  into staged: UnsafeMutablePointer<T>) {
        let lanes = T.Vector.scalarCount, size = MemoryLayout<T>.stride
        let cout = outChannels, rowStride = 2 &* tilesW &* cout
        let raw = UnsafeRawPointer(m), target = UnsafeMutableRawPointer(staged)
        for t in 0..<count {
            let tile = first &+ t
            let corner = (2 &* (tile / tilesW)) &* rowStride &+ (2 &* (tile % tilesW)) &* cout
            var o = 0
            while o < cout {
                func at(_ xi: Int) -> T.Vector {
                    raw.loadUnaligned(fromByteOffset: ((t &* 16 &+ xi) &* cout &+ o) &* size, as: T.Vector.self)
                }
                // Along each row of M, then down the columns.
                func rowTransform(_ k: Int) -> (T.Vector, T.Vector) {
                    let m0 = at(4 &* k), m1 = at(4 &* k &+ 1), m2 = at(4 &* k &+ 2), m3 = at(4 &* k &+ 3)
                    return (m0 + m1 + m2, m1 - m2 - m3)
                }
                let r0 = rowTransform(0), r1 = rowTransform(1), r2 = rowTransform(2), r3 = rowTransform(3)
                let b = UnsafeRawPointer(bias).loadUnaligned(fromByteOffset: o &* size, as: T.Vector.self)
                func store(_ offset: Int, _ value: T.Vector) {
                    target.storeBytes(of: value, toByteOffset: (corner &+ offset &+ o) &* size, as: T.Vector.self)
                }
                store(0, r0.0 + r1.0 + r2.0 + b); store(cout, r0.1 + r1.1 + r2.1 + b)
                store(rowStride, r1.0 - r2.0 - r3.0 + b); store(rowStride &+ cout, r1.1 - r2.1 - r3.1 + b)
                o &+= lanes
            }
        }
    }

    /// The channel-last output image's pixels inside the output into `output` [Cout][outH][outW].
    @inline(__always)
    private func copyChannelFirst(_ staged: UnsafePointer<T>, into output: UnsafeMutablePointer<T>) {
        let cout = outChannels, pixels = outH * outW, stagedW = 2 * tilesW
        if T.self == Float.self, cout % 8 == 0, outW >= 8 {
            let source = UnsafeRawPointer(staged).assumingMemoryBound(to: Float.self)
            let target = UnsafeMutableRawPointer(output).assumingMemoryBound(to: Float.self)
            WinogradTranspose.image(rows: outH, channels: cout, width: outW, sourceStride: cout, targetStride: pixels) { oh, c, ow in
                (source + (oh * stagedW + ow) * cout + c, target + c * pixels + oh * outW + ow)
            }
            return
        }
        for c in 0..<cout {
            for oh in 0..<outH {
                for ow in 0..<outW { output[c * pixels + oh * outW + ow] = staged[(oh * stagedW + ow) * cout + c] }
            }
        }
    }
}

extension Float {
    public static func winogradConv(_ plan: WinogradConvPlan<Float>, _ x: UnsafePointer<Float>, rows: Int, rectify: Bool,
                                    into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        plan.body(x, rows: rows, rectify: rectify, into: y, scratch: scratch)
    }
}

extension Double {
    public static func winogradConv(_ plan: WinogradConvPlan<Double>, _ x: UnsafePointer<Double>, rows: Int, rectify: Bool,
                                    into y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        plan.body(x, rows: rows, rectify: rectify, into: y, scratch: scratch)
    }
}

/// An 8×8 float32 transpose in registers, for the channel-last copies in and out.
enum WinogradTranspose {
    /// Transposes, per row < `rows`, every 8 channels × 8 columns (channels and width at least 8; the last
    /// run of columns may overlap the one before it, writing the same values again) from and to where
    /// `place(row, channel, column)` says.
    @inline(__always)
    static func image(rows: Int, channels: Int, width: Int, sourceStride: Int, targetStride: Int, rectify: Bool = false,
                      _ place: (Int, Int, Int) -> (UnsafePointer<Float>, UnsafeMutablePointer<Float>)) {
        for row in 0..<rows {
            for c in stride(from: 0, to: channels, by: 8) {
                var column = 0
                while true {
                    let (source, target) = place(row, c, min(column, width - 8))
                    block(source, sourceStride: sourceStride, into: target, targetStride: targetStride, rectify: rectify)
                    column += 8
                    if column >= width { break }
                }
            }
        }
    }

    /// target[j·targetStride + k] = source[k·sourceStride + j] for j, k < 8 (with `rectify`, max(source, 0)).
    @inline(__always)
    static func block(_ source: UnsafePointer<Float>, sourceStride: Int, into target: UnsafeMutablePointer<Float>, targetStride: Int,
                      rectify: Bool = false) {
        let raw = UnsafeRawPointer(source), size = MemoryLayout<Float>.stride
        func load(_ k: Int) -> SIMD8<Float> {
            let v = raw.loadUnaligned(fromByteOffset: k * sourceStride * size, as: SIMD8<Float>.self)
            return rectify ? v.replacing(with: 0, where: .!(v .> 0)) : v
        }
        var v0 = load(0), v1 = load(1), v2 = load(2), v3 = load(3), v4 = load(4), v5 = load(5), v6 = load(6), v7 = load(7)
        // Each step puts the even elements of the 64 (row-major) before the odd ones, rotating the index's
        // six bits right by one; three steps swap row and column.
        for _ in 0..<3 {
            (v0, v1, v2, v3, v4, v5, v6, v7) = (
                SIMD8(lowHalf: v0.evenHalf, highHalf: v1.evenHalf), SIMD8(lowHalf: v2.evenHalf, highHalf: v3.evenHalf),
                SIMD8(lowHalf: v4.evenHalf, highHalf: v5.evenHalf), SIMD8(lowHalf: v6.evenHalf, highHalf: v7.evenHalf),
                SIMD8(lowHalf: v0.oddHalf, highHalf: v1.oddHalf), SIMD8(lowHalf: v2.oddHalf, highHalf: v3.oddHalf),
                SIMD8(lowHalf: v4.oddHalf, highHalf: v5.oddHalf), SIMD8(lowHalf: v6.oddHalf, highHalf: v7.oddHalf))
        }
        let out = UnsafeMutableRawPointer(target), step = targetStride * size
        out.storeBytes(of: v0, toByteOffset: 0, as: SIMD8<Float>.self)
        out.storeBytes(of: v1, toByteOffset: step, as: SIMD8<Float>.self)
        out.storeBytes(of: v2, toByteOffset: 2 * step, as: SIMD8<Float>.self)
        out.storeBytes(of: v3, toByteOffset: 3 * step, as: SIMD8<Float>.self)
        out.storeBytes(of: v4, toByteOffset: 4 * step, as: SIMD8<Float>.self)
        out.storeBytes(of: v5, toByteOffset: 5 * step, as: SIMD8<Float>.self)
        out.storeBytes(of: v6, toByteOffset: 6 * step, as: SIMD8<Float>.self)
        out.storeBytes(of: v7, toByteOffset: 7 * step, as: SIMD8<Float>.self)
    }
}

/// The micro-kernel both convolution plans share: six rows of inputs (output pixels of the direct
/// kernel, Winograd tiles) against one block of 2 vectors of output channels. Per term, the two weight
/// vectors are loaded once and each row's input is broadcast into one fused multiply-add per vector:
/// twelve independent accumulators keep both FMA pipes busy, and with two weight vectors and one
/// broadcast they fit in the sixteen vector registers.
struct RegisterTile<T: KernelScalar> {
    /// Row k's sums for the block's low and high output channels.
    private var a00 = T.Vector(), a01 = T.Vector(), a10 = T.Vector(), a11 = T.Vector()
    private var a20 = T.Vector(), a21 = T.Vector(), a30 = T.Vector(), a31 = T.Vector()
    private var a40 = T.Vector(), a41 = T.Vector(), a50 = T.Vector(), a51 = T.Vector()

    /// Sums over terms t < `terms` of x_k[offset(t)] · (the t-th pair of weight vectors), for the rows
    /// x_0 … x_5; `weights` holds the pairs one after another.
    @inline(__always)
    init(_ x0: UnsafePointer<T>, _ x1: UnsafePointer<T>, _ x2: UnsafePointer<T>, _ x3: UnsafePointer<T>,
         _ x4: UnsafePointer<T>, _ x5: UnsafePointer<T>, weights: UnsafePointer<T>, terms: Int, offset: (Int) -> Int) {
        var w = UnsafeRawPointer(weights)
        let half = T.Vector.scalarCount &* MemoryLayout<T>.stride
        for t in 0..<terms {
            let at = offset(t)
            let w0 = w.loadUnaligned(fromByteOffset: 0, as: T.Vector.self)
            let w1 = w.loadUnaligned(fromByteOffset: half, as: T.Vector.self)
            w += 2 &* half
            var x = T.Vector(repeating: x0[at])
            a00 = a00.addingProduct(x, w0); a01 = a01.addingProduct(x, w1)
            x = T.Vector(repeating: x1[at])
            a10 = a10.addingProduct(x, w0); a11 = a11.addingProduct(x, w1)
            x = T.Vector(repeating: x2[at])
            a20 = a20.addingProduct(x, w0); a21 = a21.addingProduct(x, w1)
            x = T.Vector(repeating: x3[at])
            a30 = a30.addingProduct(x, w0); a31 = a31.addingProduct(x, w1)
            x = T.Vector(repeating: x4[at])
            a40 = a40.addingProduct(x, w0); a41 = a41.addingProduct(x, w1)
            x = T.Vector(repeating: x5[at])
            a50 = a50.addingProduct(x, w0); a51 = a51.addingProduct(x, w1)
        }
    }

    /// Hands rows 0 ..< count (at most 6) with their low and high sums to `store`.
    @inline(__always)
    func rows(_ count: Int, _ store: (Int, T.Vector, T.Vector) -> Void) {
        store(0, a00, a01)
        if count > 1 { store(1, a10, a11) }
        if count > 2 { store(2, a20, a21) }
        if count > 3 { store(3, a30, a31) }
        if count > 4 { store(4, a40, a41) }
        if count > 5 { store(5, a50, a51) }
    }
}

import Models

/// A 2-D convolution (cross-correlation) with strides, zero padding, dilations and groups on a
/// [C, H, W] input; output [C', H', W'].
struct ConvOperation: AffineOperation {
    let conv: Conv2D
    let inputHeight: Int, inputWidth: Int
    let outputHeight: Int, outputWidth: Int
    /// The weights with the output channel innermost: [group][ci][ky][kx][o within the group].
    let tapMajorWeights: [Double]

    init(conv: Conv2D, inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int) {
        self.conv = conv
        self.inputHeight = inputHeight; self.inputWidth = inputWidth
        self.outputHeight = outputHeight; self.outputWidth = outputWidth
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let taps = groupInputs * conv.kernelH * conv.kernelW
        var transposed = [Double](repeating: 0, count: conv.weights.count)
        for o in 0..<conv.outChannels {
            let group = o / groupOutputs, within = o % groupOutputs
            for tap in 0..<taps { transposed[(group * taps + tap) * groupOutputs + within] = conv.weights[o * taps + tap] }
        }
        tapMajorWeights = transposed
    }

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

extension ConvOperation {
    /// Outputs reading input (channel, iy, ix): every output channel of its group, at the positions
    /// (oy, ox) with oy·stride − pad + ky·dilation = iy for some ky (likewise x).
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) {
        let channel = index / (inputHeight * inputWidth)
        let iy = (index / inputWidth) % inputHeight, ix = index % inputWidth
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let group = channel / groupInputs
        for ky in 0..<conv.kernelH {
            let y = iy + conv.pads[0] - ky * conv.dilationH
            guard y >= 0, y % conv.strideH == 0, y / conv.strideH < outputHeight else { continue }
            let oy = y / conv.strideH
            for kx in 0..<conv.kernelW {
                let x = ix + conv.pads[1] - kx * conv.dilationW
                guard x >= 0, x % conv.strideW == 0, x / conv.strideW < outputWidth else { continue }
                let ox = x / conv.strideW
                for o in (group * groupOutputs)..<((group + 1) * groupOutputs) {
                    body((o * outputHeight + oy) * outputWidth + ox)
                }
            }
        }
    }

    /// Outputs reading any of `units`: the (group, position) blocks that read them (a few per
    /// unit, each once), then every output channel of each block.
    func dependents(ofInput slot: Int, units: [Int]) -> [Int]? {
        let plane = outputHeight * outputWidth, groupOutputs = conv.outChannels / conv.groups
        var outputs: [Int] = []
        if conv.kernelH * conv.kernelW <= 64 {
            let blocks = dirtyTaps(units).blocks
            outputs.reserveCapacity(blocks.count * groupOutputs)
            for key in blocks {
                let group = key / plane, position = key % plane
                for o in (group * groupOutputs)..<((group + 1) * groupOutputs) { outputs.append(o * plane + position) }
            }
            return outputs
        }
        var marked = [Bool](repeating: false, count: outputCount)
        for u in units {
            forEachDependent(ofInput: slot, unit: u) { o in
                if !marked[o] { marked[o] = true; outputs.append(o) }
            }
        }
        return outputs
    }

    /// Each output is the sum, in kernel-position order, of one partial sum per kernel position
    /// (ky, kx) (that position's terms over the group's input channels in channel order; zero when it
    /// falls in the padding), then the bias: one fixed formula, so every output is the same float
    /// whatever path led to it, and the bound of `AffineOperation.bound` holds (any summation order).
    /// The partials live in `out.partials`; a changed input dirties only the partials of the kernel
    /// positions that read it, so a change recomputes a ninth of the taps next to it (3×3). Zero
    /// weights add w·x̃ = ±0, which changes no sum (a non-finite x̃ gives NaN, which no bound
    /// certifies, so the exact path decides). Eight (then four, then one) output channels are summed
    /// side by side in registers, each in the same order.
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        _ = recomputeListingMoved(&out, changed: changed, inputs: inputs, listing: false)
    }

    /// The blocks to recompute come from `changed` (all of them the first time).
    var recomputesFromChanges: Bool { true }

    /// Lists the outputs of the recomputed blocks that moved (`units` is not read).
    func updateListingMoved(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) -> [Int] {
        recomputeListingMoved(&out, changed: changed, inputs: inputs, listing: true)
    }

    private func recomputeListingMoved(_ out: inout FloatValueMap, changed: [[Int]], inputs: [FloatValueMap], listing: Bool) -> [Int] {
        let plane = outputHeight * outputWidth, kk = conv.kernelH * conv.kernelW
        let groupOutputs = conv.outChannels / conv.groups
        let stride = kk * 3 * groupOutputs  // partials of one (group, position) block
        var partials = out.partials
        out.partials = []
        var blocks: [Int] = [], masks: [UInt64] = []
        if partials.count != conv.groups * plane * stride || kk > 64 {
            if partials.count != conv.groups * plane * stride { partials = [Double](repeating: 0, count: conv.groups * plane * stride) }
            blocks = Array(0..<(conv.groups * plane))
            masks = [UInt64](repeating: .max, count: blocks.count)  // every kernel position
        } else {
            (blocks, masks) = dirtyTaps(changed[0])
        }
        var rows = out.rows
        out.rows = []
        var moved: [Int] = []
        if listing { moved.reserveCapacity(blocks.count * groupOutputs) }
        partials.withUnsafeMutableBufferPointer { partials in
            rows.withUnsafeMutableBufferPointer { rows in
                recompute(blocks: blocks, masks: masks, partials: partials.baseAddress!, input: inputs[0])
                sum(blocks: blocks, partials: partials.baseAddress!, into: rows.baseAddress!, listing: listing, moved: &moved)
            }
        }
        out.rows = rows
        out.partials = partials
        return moved
    }

    /// The (group, position) blocks reading any of the changed input units, each with the mask of
    /// its kernel positions that read one (bit ky·kW + kx; kernels of at most 64 positions).
    private func dirtyTaps(_ changed: [Int]) -> (blocks: [Int], masks: [UInt64]) {
        let plane = outputHeight * outputWidth, inPlane = inputHeight * inputWidth, groupInputs = conv.inChannels / conv.groups
        // The changed (group, input position) pairs, each once (the channels of a group share their readers).
        var seen = [UInt64](repeating: 0, count: (conv.groups * inPlane + 63) / 64)
        var positions: [Int] = []
        for index in changed {
            let key = index / inPlane / groupInputs * inPlane + index % inPlane
            let bit: UInt64 = 1 << UInt64(key & 63)
            if seen[key >> 6] & bit == 0 { seen[key >> 6] |= bit; positions.append(key) }
        }
        // Blocks found so far, by an open-addressing table (key + 1, 0 free) of their slots.
        var capacity = 16
        while capacity < 2 * positions.count * conv.kernelH * conv.kernelW { capacity <<= 1 }
        var table = [Int](repeating: 0, count: capacity), slots = [Int32](repeating: 0, count: capacity)
        var blocks: [Int] = [], masks: [UInt64] = []
        for key in positions {
            let group = key / inPlane, iy = (key % inPlane) / inputWidth, ix = key % inputWidth
            for ky in 0..<conv.kernelH {
                let y = iy + conv.pads[0] - ky * conv.dilationH
                guard y >= 0, y % conv.strideH == 0, y / conv.strideH < outputHeight else { continue }
                for kx in 0..<conv.kernelW {
                    let x = ix + conv.pads[1] - kx * conv.dilationW
                    guard x >= 0, x % conv.strideW == 0, x / conv.strideW < outputWidth else { continue }
                    let block = group * plane + (y / conv.strideH) * outputWidth + x / conv.strideW
                    var h = (block &* 0x9E37_79B9) & (capacity - 1)
                    while table[h] != 0 && table[h] != block + 1 { h = (h + 1) & (capacity - 1) }
                    if table[h] == 0 {
                        table[h] = block + 1; slots[h] = Int32(blocks.count)
                        blocks.append(block); masks.append(0)
                    }
                    masks[Int(slots[h])] |= 1 << UInt64(ky * conv.kernelW + kx)
                }
            }
        }
        return (blocks, masks)
    }

    /// Recomputes the partials of the masked kernel positions of each block (`.max`: all of them):
    /// partials[(block·kk + tap)·3·go + row·go + o], the tap's terms over the group's input channels.
    private func recompute(blocks: [Int], masks: [UInt64], partials: UnsafeMutablePointer<Double>, input: FloatValueMap) {
        let plane = outputHeight * outputWidth, inCount = input.count, inPlane = inputHeight * inputWidth
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let kh = conv.kernelH, kw = conv.kernelW, kk = kh * kw
        input.rows.withUnsafeBufferPointer { x in
            tapMajorWeights.withUnsafeBufferPointer { weights in
                for (key, mask) in zip(blocks, masks) {
                    let group = key / plane, position = key % plane
                    let oy = position / outputWidth, ox = position % outputWidth
                    for tap in 0..<kk where mask == .max || (mask >> UInt64(tap)) & 1 != 0 {
                        let ky = tap / kw, kx = tap % kw
                        let p = partials + (key * kk + tap) * 3 * groupOutputs
                        let iy = oy * conv.strideH - conv.pads[0] + ky * conv.dilationH
                        let ix = ox * conv.strideW - conv.pads[1] + kx * conv.dilationW
                        guard iy >= 0, iy < inputHeight, ix >= 0, ix < inputWidth else {
                            p.update(repeating: 0, count: 3 * groupOutputs)
                            continue
                        }
                        let first = (group * groupInputs * inputHeight + iy) * inputWidth + ix
                        // Weight of input channel ci: weights[w0 + ci·wStep + o].
                        let w0 = ((group * groupInputs * kh + ky) * kw + kx) * groupOutputs, wStep = kk * groupOutputs
                        func sums<V: SIMD>(_ type: V.Type, from o: Int) where V.Scalar == Double {
                            var a = V(), b = V(), c = V()
                            for ci in 0..<groupInputs {
                                let i = first + ci * inPlane
                                let w = UnsafeRawPointer(weights.baseAddress! + w0 + ci * wStep + o).loadUnaligned(as: V.self)
                                a += w * x[i]; b += w * x[inCount + i]; c += w * x[2 * inCount + i]
                            }
                            let out = UnsafeMutableRawPointer(p + o), row = groupOutputs * MemoryLayout<Double>.stride
                            out.storeBytes(of: a, as: V.self)
                            out.storeBytes(of: b, toByteOffset: row, as: V.self)
                            out.storeBytes(of: c, toByteOffset: 2 * row, as: V.self)
                        }
                        var o = 0
                        while o + 8 <= groupOutputs { sums(SIMD8<Double>.self, from: o); o += 8 }
                        while o + 4 <= groupOutputs { sums(SIMD4<Double>.self, from: o); o += 4 }
                        while o < groupOutputs {
                            var a = 0.0, b = 0.0, c = 0.0
                            for ci in 0..<groupInputs {
                                let i = first + ci * inPlane, w = weights[w0 + ci * wStep + o]
                                a += w * x[i]; b += w * x[inCount + i]; c += w * x[2 * inCount + i]
                            }
                            p[o] = a; p[groupOutputs + o] = b; p[2 * groupOutputs + o] = c
                            o += 1
                        }
                    }
                }
            }
        }
    }

    /// Each output of the blocks: its kernel positions' partials in order, then the bias; when
    /// `listing`, appends to `moved` the outputs whose rows came out different.
    private func sum(blocks: [Int], partials: UnsafeMutablePointer<Double>, into rows: UnsafeMutablePointer<Double>,
                     listing: Bool, moved: inout [Int]) {
        let n = outputCount, plane = outputHeight * outputWidth, kk = conv.kernelH * conv.kernelW
        let groupOutputs = conv.outChannels / conv.groups, width = 3 * groupOutputs
        withUnsafeTemporaryAllocation(of: Double.self, capacity: width) { total in
            for key in blocks {
                let group = key / plane, position = key % plane
                let base = partials + key * kk * width
                for j in 0..<width { total[j] = 0 }
                for tap in 0..<kk {
                    let p = base + tap * width
                    for j in 0..<width { total[j] += p[j] }
                }
                for o in 0..<groupOutputs {
                    let channel = group * groupOutputs + o, u = channel * plane + position
                    let a = total[o], b = total[groupOutputs + o], c = total[2 * groupOutputs + o] + conv.bias[channel]
                    // NaN never equals itself, so a NaN output counts as moved.
                    if listing, !(rows[u] == a && rows[n + u] == b && rows[2 * n + u] == c) { moved.append(u) }
                    rows[u] = a; rows[n + u] = b; rows[2 * n + u] = c
                }
            }
        }
    }
}

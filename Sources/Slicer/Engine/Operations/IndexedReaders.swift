/// An affine operation that lists, for one input unit, the outputs reading it and the index of the
/// weight each reads it with (outputs of weight zero may be left out). The exact path updates an
/// output by weight × (change of the input), so this is all a partial update needs; an operation
/// without it gets a reverse table built once from `forEachTap` (`ReaderTable`).
protocol IndexedReaders: AffineOperation {
    /// The weights, by index. Every output's divisor is 1.
    var indexedWeights: [Double] { get }
    func forEachReader(ofInput slot: Int, unit index: Int, _ body: (_ output: Int, _ weight: Int) -> Void)
    /// The most taps of any output (bounds the size of a sum).
    var maxTaps: Int { get }
}

extension ConvOperation: IndexedReaders {
    var indexedWeights: [Double] { conv.weights }
    var maxTaps: Int { conv.inChannels / conv.groups * conv.kernelH * conv.kernelW }

    /// The outputs (o, oy, ox) reading input (channel, iy, ix) through kernel position (ky, kx), with
    /// weight index ((o·groupInputs + ci)·kh + ky)·kw + kx: the taps of `forEachTap`, turned around.
    func forEachReader(ofInput slot: Int, unit index: Int, _ body: (Int, Int) -> Void) {
        let channel = index / (inputHeight * inputWidth)
        let iy = (index / inputWidth) % inputHeight, ix = index % inputWidth
        let groupInputs = conv.inChannels / conv.groups, groupOutputs = conv.outChannels / conv.groups
        let group = channel / groupInputs, ci = channel - group * groupInputs
        let kh = conv.kernelH, kw = conv.kernelW
        for ky in 0..<kh {
            let y = iy + conv.pads[0] - ky * conv.dilationH
            guard y >= 0, y % conv.strideH == 0, y / conv.strideH < outputHeight else { continue }
            let oy = y / conv.strideH
            for kx in 0..<kw {
                let x = ix + conv.pads[1] - kx * conv.dilationW
                guard x >= 0, x % conv.strideW == 0, x / conv.strideW < outputWidth else { continue }
                let ox = x / conv.strideW
                for o in (group * groupOutputs)..<((group + 1) * groupOutputs) {
                    let weight = ((o * groupInputs + ci) * kh + ky) * kw + kx
                    if conv.weights[weight] != 0 { body((o * outputHeight + oy) * outputWidth + ox, weight) }
                }
            }
        }
    }
}

extension DenseOperation: IndexedReaders {
    var indexedWeights: [Double] { layer.weights }
    var maxTaps: Int { layer.inputs }

    /// Every output reads every input: output o with weight o·inputs + index.
    func forEachReader(ofInput slot: Int, unit index: Int, _ body: (Int, Int) -> Void) {
        let inputs = layer.inputs
        for o in 0..<layer.outputs where layer.weights[o * inputs + index] != 0 { body(o, o * inputs + index) }
    }
}

/// The reverse of `forEachTap` for any affine operation, built once: per input unit, the outputs
/// reading it and the index of their (weight, divisor) pair.
struct ReaderTable {
    /// Distinct (weight, divisor of the output) pairs.
    var weights: [(weight: Double, divisor: Int)] = []
    /// Per slot: entries of input unit i are entries[slot][offsets[slot][i]..<offsets[slot][i + 1]].
    var offsets: [[Int]]
    var entries: [[(output: Int32, weight: Int32)]]
    var maxTaps = 0

    init(_ operation: any AffineOperation, inputCounts: [Int]) {
        var ids: [UInt64: [Int: Int32]] = [:]
        var lists = inputCounts.map { [[(output: Int32, weight: Int32)]](repeating: [], count: $0) }
        var weights: [(weight: Double, divisor: Int)] = []
        var maxTaps = 0
        for u in 0..<operation.outputCount {
            let k = operation.divisor(of: u)
            var taps = 0
            operation.forEachTap(of: u) { slot, index, weight in
                taps += 1
                let id: Int32
                if let known = ids[weight.bitPattern]?[k] { id = known } else {
                    id = Int32(weights.count)
                    weights.append((weight, k))
                    ids[weight.bitPattern, default: [:]][k] = id
                }
                lists[slot][index].append((Int32(u), id))
            }
            maxTaps = max(maxTaps, taps)
        }
        self.weights = weights
        self.maxTaps = maxTaps
        offsets = lists.map { list in
            var offsets = [0]
            for entries in list { offsets.append(offsets.last! + entries.count) }
            return offsets
        }
        entries = lists.map { $0.flatMap { $0 } }
    }
}

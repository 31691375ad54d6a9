import Foundation
import Polytope

/// The layer-by-layer subdivision: each hidden layer splits every face by each of its neurons.
extension Subdivision {
    /// Runs every hidden layer and prepares the output layer's maps.
    func run(progress: ((Int, Int) -> Void)? = nil) throws {
        // The engine splits its own work over the cores; OpenBLAS runs single-threaded inside it.
        try BLASThreads.singleThreaded { try runLayers(progress: progress) }
    }

    func runLayers(progress: ((Int, Int) -> Void)?) throws {
        var clock = PhaseClock()
        computeFirstLayerMaps()
        clock.lap("layer 1 maps")
        for k in 0..<hiddenCount {
            try subdivide(layer: k)
            clock.lap("layer \(k + 1) subdivision")
            progress?(k + 1, faces.count)
            computeNextLayerMaps(after: k)
            clock.lap("layer \(k + 2) maps")
        }
    }

    /// Layer 0: M = W·[d1 u x1] + [0 0 b], with d1 = x2 − x1 and u = x3 − x1 rounded to Double.
    ///
    /// Bound: fl(x2 − x1) = d1(1 + ε), |ε| ≤ u, and the D-term products add γ_D|W||d̃1|, so
    /// |ã − a| ≤ γ_{D+2}|W||d̃1| (likewise b); |c̃ − c| ≤ γ_{D+1}(|W||x1| + |b|).
    func computeFirstLayerMaps() {
        let layer = network.layers[0]
        let n = layer.outputs, d = layer.inputs
        let x1 = plane.anchors[0]
        let input = plane.d1 + plane.u + x1                       // 3 × D, row-major
        var map = gemm(input, layer.weights, m: 3, n: n, k: d, transposeB: true)
        for j in 0..<n { map[2 * n + j] += layer.bias[j] }
        let magnitude = gemm(input.map(abs), layer.weights.map(abs), m: 3, n: n, k: d, transposeB: true)
        let g = gamma(d + 2)
        var bound = [Double](repeating: 0, count: 3 * n)
        for index in 0..<(3 * n) {
            let biasTerm = index >= 2 * n ? abs(layer.bias[index - 2 * n]) : 0
            bound[index] = g * (magnitude[index] + biasTerm) * boundSafety + boundFloor
        }
        let first = LayerMaps(width: n, regionCount: 1, baseCount: 1)
        _ = first.base.initialize(from: map)
        first.bound = bound
        first.magnitude = map.map(abs)
        maps = [first]
        regionParent = [[]]
        regionPattern = [[]]
    }

    /// Maps of layer k + 1 for every face (each face becomes a region of layer k + 1):
    /// M_{k+1} = W·S·M_k + [0 0 b] with S the face's slopes.
    ///
    /// Faces of one layer-k region share M_k and differ only in the slopes of the neurons that split
    /// the region, so one matrix product per region (with a reference face's slopes) is the base map
    /// of all its faces, and each face adds a rank-one correction (s_f − s_ref)·W[:, j]·M_k[j, :] for
    /// each neuron j where they differ. Hidden layers store only bases and corrections
    /// (`LayerMaps`); the narrow output layer is stored in full, one map per face.
    ///
    /// Bound (region-independent): with |S| ≤ s_max, |M̃_k| ≤ B_k and |M̃_k − M_k| ≤ E_k,
    /// the product gives E_{k+1} = s_max|W|E_k + γ_{n+2}(s_max|W|B_k + |b|) (the extra roundoff
    /// covers S·M̃ when the slope is not ±1 or 0), and B_{k+1} = (1 + γ_{n+2})(s_max|W|B_k + |b|).
    /// Each rank-one correction rounds its slope difference, product and sum: at most 3u·2s_max|W||M̃_k|
    /// summed over all corrections, and u·B_{k+1} per correction (every partial sum is the map of
    /// some slope pattern, so it is within B_{k+1}), so E_{k+1} gains (6 + 2d)·u·B_{k+1} for at most
    /// d corrections per face.
    func computeNextLayerMaps(after k: Int) {
        let next = network.layers[k + 1]
        let n = network.layers[k].outputs, nNext = next.outputs
        let faceCount = faces.count
        let offset = patternOffsets[k]
        let positive = network.activation.positiveSlope, negative = network.activation.negativeSlope
        let previous = maps[k]
        let regionCount = previous.regionCount
        // Faces grouped by region in increasing order; a region's first face is its reference.
        var groupStart = [Int](repeating: 0, count: regionCount + 1)
        for f in 0..<faceCount { groupStart[Int(faceRegion[f]) + 1] += 1 }
        for r in 0..<regionCount { groupStart[r + 1] += groupStart[r] }
        var grouped = [Int32](repeating: 0, count: faceCount)
        var cursor = groupStart
        for f in 0..<faceCount {
            let r = Int(faceRegion[f])
            grouped[cursor[r]] = Int32(f)
            cursor[r] += 1
        }
        // Corrections of each face: the neurons where its slopes differ from its reference face's.
        var correctionStart = [Int32](repeating: 0, count: faceCount + 1)
        var maxUpdates = 0
        for f in 0..<faceCount {
            let reference = Int(grouped[groupStart[Int(faceRegion[f])]])
            let count = facePattern[f].differenceCount(from: facePattern[reference], in: offset..<(offset + n))
            maxUpdates = max(maxUpdates, count)
            correctionStart[f + 1] = correctionStart[f] + Int32(count)
        }
        let full = k + 1 == outputLayer
        // Column j of W is row j of its transpose.
        let transposed = (0..<n).flatMap { j in (0..<nNext).map { next.weights[$0 * n + j] } }
        let result = full
            ? LayerMaps(width: nNext, regionCount: faceCount, baseCount: faceCount)
            : LayerMaps(width: nNext, regionCount: faceCount, baseCount: regionCount, regionBase: faceRegion,
                        correctionStart: correctionStart, columns: transposed)
        // One product per region, with its reference face's slopes, in chunks of regions so the
        // region maps stay in cache; each core takes whole chunks with a single-threaded product
        // (OpenBLAS's own threads would spin against ours).
        let chunk = 256
        let chunkCount = (regionCount + chunk - 1) / chunk
        next.weights.withUnsafeBufferPointer { w in
            transposed.withUnsafeBufferPointer { columns in
                facePattern.withUnsafeBufferPointer { patterns in
                    parallelChunks(chunkCount, minimumChunk: 1) { chunks in
                        let unscaled = UnsafeMutablePointer<Double>.allocate(capacity: chunk * 3 * n)
                        let scaled = UnsafeMutablePointer<Double>.allocate(capacity: chunk * 3 * n)
                        let product = UnsafeMutablePointer<Double>.allocate(capacity: full ? chunk * 3 * nNext : 0)
                        var slopes = [Double](repeating: 0, count: n)
                        defer { unscaled.deallocate(); scaled.deallocate(); product.deallocate() }
                        for c in chunks {
                            let first = c * chunk, count = min(chunk, regionCount - first)
                            for local in 0..<count {
                                let r = first + local
                                let pattern = patterns[Int(grouped[groupStart[r]])]
                                for j in 0..<n { slopes[j] = pattern[offset + j] ? positive : negative }
                                let source = unscaled + local * 3 * n, target = scaled + local * 3 * n
                                previous.materialise(region: r, into: source)
                                for row in 0..<3 {
                                    for j in 0..<n { target[row * n + j] = slopes[j] * source[row * n + j] }
                                }
                            }
                            let out = full ? product : result.base.baseAddress! + first * 3 * nNext
                            gemm(scaled, w.baseAddress!, out, m: 3 * count, n: nNext, k: n, transposeB: true)
                            for local in 0..<count {
                                let constants = out + local * 3 * nNext + 2 * nNext
                                for j in 0..<nNext { constants[j] += next.bias[j] }
                            }
                            for local in 0..<count {
                                let r = first + local
                                let reference = Int(grouped[groupStart[r]])
                                for g in grouped[groupStart[r]..<groupStart[r + 1]] {
                                    let f = Int(g)
                                    let differing = f == reference ? [] : patterns[f].differences(from: patterns[reference], in: offset..<(offset + n))
                                    var position = Int(correctionStart[f])
                                    let target = result.base.baseAddress! + f * 3 * nNext
                                    if full { target.update(from: out + local * 3 * nNext, count: 3 * nNext) }
                                    for bit in differing {
                                        let j = bit - offset
                                        let delta = patterns[f][bit] ? positive - negative : negative - positive
                                        var m = (0.0, 0.0, 0.0)
                                        let source = unscaled + local * 3 * n + j
                                        m.0 = delta * source[0]; m.1 = delta * source[n]; m.2 = delta * source[2 * n]
                                        if full {
                                            withUnsafePointer(to: &m) { pointer in
                                                pointer.withMemoryRebound(to: Double.self, capacity: 3) { coefficients in
                                                    LayerMaps.addCorrection(to: target, width: nNext, column: columns.baseAddress! + j * nNext,
                                                                            coefficients: coefficients)
                                                }
                                            }
                                        } else {
                                            result.correctionNeuron[position] = Int32(j)
                                            let stored = result.correctionCoefficients.baseAddress! + 3 * position
                                            stored[0] = m.0; stored[1] = m.1; stored[2] = m.2
                                            position += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let sMax = maxSlope
        let absWeights = next.weights.map(abs)
        let propagated = gemm(previous.bound.map { $0 * sMax }, absWeights, m: 3, n: nNext, k: n, transposeB: true)
        let magnitude = gemm(previous.magnitude.map { $0 * sMax }, absWeights, m: 3, n: nNext, k: n, transposeB: true)
        let g = gamma(n + 2)
        let updateRounding = Double(6 + 2 * maxUpdates) * unitRoundoff
        var bound = [Double](repeating: 0, count: 3 * nNext)
        var newMagnitude = [Double](repeating: 0, count: 3 * nNext)
        for index in 0..<(3 * nNext) {
            let biasTerm = index >= 2 * nNext ? abs(next.bias[index - 2 * nNext]) : 0
            newMagnitude[index] = (1 + g) * (magnitude[index] + biasTerm) * boundSafety + boundFloor
            bound[index] = (propagated[index] + g * (magnitude[index] + biasTerm)
                            + updateRounding * newMagnitude[index]) * boundSafety + boundFloor
        }
        result.bound = bound
        result.magnitude = newMagnitude
        maps.append(result)
        regionParent.append(faceRegion)
        regionPattern.append(facePattern)
        for f in 0..<faceCount { faceRegion[f] = Int32(f) }
        // Edges keep their own line coefficients, so layer k's maps are no longer needed.
        maps[k] = LayerMaps(width: 0, regionCount: 0, baseCount: 0)
    }

    /// Splits every face by every neuron of hidden layer k whose zero set crosses its interior.
    func subdivide(layer k: Int) throws {
        let n = network.layers[k].outputs
        let offset = patternOffsets[k]
        let words = (n + 63) / 64
        // Bit j: neuron j is positive (negative) at some vertex of this layer's subdivision.
        var positiveSomewhere = [UInt64](repeating: 0, count: words)
        var negativeSomewhere = [UInt64](repeating: 0, count: words)
        let startCount = faces.count
        // The floating-point filter only reads the subdivision, so it runs on all cores first, and
        // sets the pattern bits of the neurons it finds positive on a whole face; the splits it finds
        // stay valid while faces change (an inserted vertex lies on an existing edge).
        var clock = PhaseClock()
        var filters = [FaceFilter](repeating: FaceFilter(), count: startCount)
        let lock = NSLock()
        filters.withUnsafeMutableBufferPointer { results in
            facePattern.withUnsafeMutableBufferPointer { patterns in
                withVertexView { view in
                    parallelChunks(startCount, minimumChunk: 256) { range in
                        var scratch = FilterScratch(width: n)
                        defer { scratch.deallocate() }
                        var positive = [UInt64](repeating: 0, count: words), negative = positive
                        for f in range {
                            let filter = floatFilter(face: f, layer: k, vertices: view, scratch: &scratch)
                            patterns[f].setBits(scratch.positive, at: offset)
                            for w in 0..<words { positive[w] |= scratch.positive[w]; negative[w] |= scratch.negative[w] }
                            for j in filter.candidates { positive[j >> 6] |= 1 << UInt64(j & 63); negative[j >> 6] |= 1 << UInt64(j & 63) }
                            results[f] = filter
                        }
                        lock.withLock {
                            for w in 0..<words { positiveSomewhere[w] |= positive[w]; negativeSomewhere[w] |= negative[w] }
                        }
                    }
                }
            }
        }
        clock.lap("  filter")
        var signs: [Int] = []
        var work: [(face: Int32, next: Int)] = []
        for f0 in 0..<startCount {
            let candidates = resolve(filters[f0], face: Int32(f0), layer: k,
                                     positive: &positiveSomewhere, negative: &negativeSomewhere)
            if candidates.isEmpty { continue }
            // All pieces of face f0 lie in its region, so each neuron has one line for all of them.
            work.append((Int32(f0), 0))
            while let (f, first) = work.popLast() {
                for index in first..<candidates.count {
                    let (j, line) = candidates[index]
                    signs.removeAll(keepingCapacity: true)
                    var positive = false, negative = false
                    for v in faces[Int(f)].vertices {
                        let s = sign(v, line)
                        signs.append(s)
                        if s > 0 { positive = true } else if s < 0 { negative = true }
                    }
                    if positive && negative {
                        let g = split(face: f, by: line, signs: signs, layer: Int32(k + 1), neuron: Int32(j))
                        facePattern[Int(f)][offset + j] = true
                        facePattern[Int(g)][offset + j] = false
                        if faces.count > maxRegions {
                            throw TesseraError.limitExceeded(limitIsMemory
                                ? "the slice would exceed the memory budget (\(maxRegions) regions of this network) at layer \(k + 1); raise --max-memory or shrink the domain"
                                : "the slice exceeds --max-regions \(maxRegions) at layer \(k + 1); raise the limit or shrink the domain")
                        }
                        work.append((g, index + 1))
                    } else {
                        facePattern[Int(f)][offset + j] = positive
                    }
                }
            }
        }
        clock.lap("  splits")
        let cut = zip(positiveSomewhere, negativeSomewhere).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
        layerStats.append(LayerStats(index: k + 1, neurons: n, neuronsCut: cut, regions: faces.count))
    }

    /// What the floating-point filter left for the sequential pass on one face: neurons that
    /// certainly take both signs, and neurons it could not settle.
    struct FaceFilter {
        var candidates: [Int] = []
        var ambiguous: [Int] = []
        /// The lines of the candidates, then of the ambiguous neurons, read while the face's map
        /// was at hand (empty in exact mode, where they are built when needed).
        var lines: [CertifiedLine] = []
    }

    /// Per-thread buffers of the filter.
    struct FilterScratch {
        var map: UnsafeMutablePointer<Double>
        var low: UnsafeMutablePointer<Double>
        var high: UnsafeMutablePointer<Double>
        var bound: UnsafeMutablePointer<Double>
        /// Bit j: neuron j is certainly positive (negative) at every vertex of the face.
        var positive: [UInt64]
        var negative: [UInt64]

        init(width n: Int) {
            map = .allocate(capacity: 3 * n)
            low = .allocate(capacity: n); high = .allocate(capacity: n); bound = .allocate(capacity: n)
            positive = [UInt64](repeating: 0, count: (n + 63) / 64)
            negative = positive
        }

        func deallocate() { map.deallocate(); low.deallocate(); high.deallocate(); bound.deallocate() }
    }

    /// Classifies layer k's neurons on face f from the face's vertex values and one bound per neuron
    /// (the per-vertex bound of `evaluate` with |s|, |t| and δ at their face maxima). Reads only;
    /// the certainly positive and negative neurons are left in `scratch`.
    func floatFilter(face f: Int, layer k: Int, vertices view: VertexView, scratch: inout FilterScratch) -> FaceFilter {
        let n = network.layers[k].outputs
        var result = FaceFilter()
        let words = (n + 63) / 64
        for w in 0..<words { scratch.positive[w] = 0; scratch.negative[w] = 0 }
        if arithmetic == .exact {
            result.ambiguous = Array(0..<n)
            return result
        }
        let layerMaps = maps[k]
        let map = layerMaps.map(region: Int(faceRegion[f]), scratch: scratch.map)
        let a = map, b = a + n, c = b + n
        let low = scratch.low, high = scratch.high, bound = scratch.bound
        for j in 0..<n { low[j] = .infinity; high[j] = -.infinity }
        var sMax = 0.0, tMax = 0.0, deltaMax = 0.0
        for v in faces[f].vertices {
            let record = view[v]
            let s = record.s, t = record.t
            sMax = max(sMax, abs(s)); tMax = max(tMax, abs(t)); deltaMax = max(deltaMax, record.delta)
            for j in 0..<n {
                let z = a[j] * s + b[j] * t + c[j]
                low[j] = z < low[j] ? z : low[j]
                high[j] = z > high[j] ? z : high[j]
            }
        }
        layerMaps.bound.withUnsafeBufferPointer { e in
            let ea = e.baseAddress!, eb = ea + n, ec = eb + n
            for j in 0..<n {
                bound[j] = (ea[j] * sMax + eb[j] * tMax + ec[j] + (abs(a[j]) + ea[j] + abs(b[j]) + eb[j]) * deltaMax
                            + gamma3 * (abs(a[j]) * sMax + abs(b[j]) * tMax + abs(c[j]))) * boundSafety + boundFloor
            }
        }
        for w in 0..<words {
            var positive: UInt64 = 0, negative: UInt64 = 0, crossing: UInt64 = 0
            let first = w * 64, last = min(n, first + 64)
            for j in first..<last {
                let bit: UInt64 = 1 << UInt64(j - first)
                let e = bound[j]
                // NaN values or bounds fail every test and leave the neuron ambiguous.
                if low[j] > e { positive |= bit }
                if high[j] < -e { negative |= bit }
                if low[j] < -e && high[j] > e { crossing |= bit }
            }
            scratch.positive[w] = positive
            scratch.negative[w] = negative
            let all: UInt64 = last - first == 64 ? ~0 : (1 << UInt64(last - first)) - 1
            var undecided = all & ~(positive | negative | crossing)
            while crossing != 0 { result.candidates.append(first + crossing.trailingZeroBitCount); crossing &= crossing - 1 }
            while undecided != 0 { result.ambiguous.append(first + undecided.trailingZeroBitCount); undecided &= undecided - 1 }
        }
        let count = result.candidates.count + result.ambiguous.count
        if count > 0 {
            result.lines.reserveCapacity(count)
            let e = layerMaps.bound
            for j in result.candidates + result.ambiguous {
                result.lines.append(CertifiedLine(a: a[j], b: b[j], c: c[j], ea: e[j], eb: e[n + j], ec: e[2 * n + j],
                                                  ref: .neuron(layer: k, neuron: j, region: Int(faceRegion[f]))))
            }
        }
        return result
    }

    /// Settles the filter's undecided neurons with exact-correct signs, sets the pattern bits of those
    /// that do not split face f, records their signs, and returns all splitting neurons in order with
    /// their lines.
    func resolve(_ filter: FaceFilter, face f: Int32, layer k: Int,
                 positive positiveSomewhere: inout [UInt64], negative negativeSomewhere: inout [UInt64]) -> [(neuron: Int, line: CertifiedLine)] {
        let region = Int(faceRegion[Int(f)])
        func line(_ index: Int, _ j: Int) -> CertifiedLine {
            filter.lines.isEmpty ? certifiedLine(layer: k, neuron: j, region: region) : filter.lines[index]
        }
        var candidates = filter.candidates.enumerated().map { ($1, line($0, $1)) }
        if filter.ambiguous.isEmpty { return candidates }
        let offset = patternOffsets[k]
        for (index, j) in filter.ambiguous.enumerated() {
            let line = line(filter.candidates.count + index, j)
            var positive = false, negative = false
            for v in faces[Int(f)].vertices {
                let s = sign(v, line)
                if s > 0 { positive = true } else if s < 0 { negative = true }
                if positive && negative { break }
            }
            if positive { positiveSomewhere[j >> 6] |= 1 << UInt64(j & 63) }
            if negative { negativeSomewhere[j >> 6] |= 1 << UInt64(j & 63) }
            if positive && negative { candidates.append((j, line)) }
            else { facePattern[Int(f)][offset + j] = positive }
        }
        candidates.sort { $0.0 < $1.0 }
        return candidates
    }
}

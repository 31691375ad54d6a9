import Foundation
import Models
import Polytope

/// The float maps of each layer: the first from the plane, the others one matrix product per region
/// plus rank-one corrections per face.
extension Subdivision {
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
            bound[index] = certifiedBound(dotProductError(propagated: 0, magnitude: magnitude[index] + biasTerm, gamma: g))
        }
        let first = LayerMaps(width: n, regionCount: 1, baseCount: 1)
        _ = first.base.initialize(from: map)
        first.bound = bound
        first.magnitude = map.map(abs)
        maps = [first]
        history.parent = [[]]
        history.pattern = [[]]
    }

    /// Maps of layer k + 1 for every face (each face becomes a region of layer k + 1):
    /// M_{k+1} = W·S·M_k + [0 0 b] with S the face's slopes.
    ///
    /// All faces of one layer-k region share M_k and differ only in the slopes of the neurons that
    /// split the region. `products` holds, per region, the base W·S_base·M_k + [0 0 b] for the slope
    /// pattern S_base at the region's seed (`LayerSeeds`); each face adds a rank-one correction
    /// (s_f − s_base)·W[:, j]·M_k[j, :] for each neuron j where its slopes differ, or, past
    /// `maxCorrections` of them, gets a product of its own. Which it is depends on the face's pattern
    /// and its region's map and seed only, so every strip of a sharded slice computes the same floats.
    /// Hidden layers store only bases and corrections (`LayerMaps`); the narrow output layer is stored
    /// in full.
    ///
    /// Bound (region-independent): with |S| ≤ s_max, |M̃_k| ≤ B_k and |M̃_k − M_k| ≤ E_k,
    /// the product gives E_{k+1} = s_max|W|E_k + γ_{n+2}(s_max|W|B_k + |b|) (the extra roundoff
    /// covers S·M̃ when the slope is not ±1 or 0), and B_{k+1} = (1 + γ_{n+2})(s_max|W|B_k + |b|).
    /// Each rank-one correction rounds its slope difference, product and sum: at most 3u·2s_max|W||M̃_k|
    /// summed over all corrections, and u·B_{k+1} per correction (every partial sum is the map of
    /// some slope pattern, so it is within B_{k+1}), so E_{k+1} gains (6 + 2d)·u·B_{k+1} for at most
    /// d corrections per face; d = `maxCorrections` always (not the largest count met), so the bounds
    /// too are the same in every strip.
    func finishNextLayerMaps(after k: Int, products: RegionProducts) {
        var clock = PhaseClock()
        products.finish()
        clock.lap("  products")
        let next = network.layers[k + 1]
        let n = network.layers[k].outputs, nNext = next.outputs
        let faceCount = faces.count, regionCount = products.regionCount
        let offset = patternOffsets[k]
        let words = (n + 63) / 64
        let cap = Subdivision.maxCorrections
        let positive = network.activation.positiveSlope, negative = network.activation.negativeSlope
        let previous = maps[k]
        let full = k + 1 == outputLayer
        // Corrections of each face: the neurons where its slopes differ from its region's base; a
        // face with more than `cap` of them has none (its own product).
        var differing = [UInt64](repeating: 0, count: faceCount * words)
        var correctionStart = [Int32](repeating: 0, count: faceCount + 1)
        var ownProduct = [Bool](repeating: false, count: faceCount)
        differing.withUnsafeMutableBufferPointer { differing in
            correctionStart.withUnsafeMutableBufferPointer { counts in
                ownProduct.withUnsafeMutableBufferPointer { own in
                    products.baseSlopes.withUnsafeBufferPointer { base in
                        facePattern.withUnsafeBufferPointer { patterns in
                            parallelism.chunks(faceCount, minimumChunk: 2048) { range in
                                for f in range {
                                    let r = Int(faceRegion[f])
                                    var total = 0
                                    for w in 0..<words {
                                        let bits = patterns[f].word(at: offset + 64 * w, width: min(64, n - 64 * w)) ^ base[r * words + w]
                                        differing[f * words + w] = bits
                                        total += bits.nonzeroBitCount
                                    }
                                    own[f] = total > cap
                                    counts[f + 1] = own[f] ? 0 : Int32(total)
                                }
                            }
                        }
                    }
                }
            }
        }
        for f in 0..<faceCount { correctionStart[f + 1] += correctionStart[f] }
        let ownFaces = ownProduct.indices.filter { ownProduct[$0] }
        // Column j of W is row j of its transpose.
        var transposed = [Double](repeating: 0, count: n * nNext)
        for i in 0..<nNext { for j in 0..<n { transposed[j * nNext + i] = next.weights[i * n + j] } }
        let result: LayerMaps
        if full {
            result = LayerMaps(width: nNext, regionCount: faceCount, baseCount: faceCount)
        } else {
            // Bases: the regions' products, then the own products of faces with too many corrections.
            var regionBase = faceRegion
            for (index, f) in ownFaces.enumerated() { regionBase[f] = Int32(regionCount + index) }
            result = LayerMaps(width: nNext, regionCount: faceCount, adopting: products.takeOutput(), ownCount: ownFaces.count,
                               regionBase: regionBase, correctionStart: correctionStart, columns: transposed)
        }
        faceProducts(ownFaces, after: k, previous: previous) { index, f in
            full ? result.base.baseAddress! + f * 3 * nNext : result.ownBase.baseAddress! + index * 3 * nNext
        }
        clock.lap("  own products (\(ownFaces.count) of \(faceCount) faces)")
        // Each face's corrections, and its seed moved to its side of their neurons' lines (the
        // output layer's regions need no seeds).
        var newSeeds = [Double](repeating: 0, count: full ? 0 : 2 * faceCount)
        let oldSeeds = seeds
        differing.withUnsafeBufferPointer { differing in
            transposed.withUnsafeBufferPointer { columns in
                facePattern.withUnsafeBufferPointer { patterns in
                    newSeeds.withUnsafeMutableBufferPointer { newSeeds in
                        parallelism.chunks(faceCount, minimumChunk: 2048) { range in
                            // The rows of a face's differing neurons, each on the face's side positive.
                            let rows = UnsafeMutablePointer<Double>.allocate(capacity: 3 * n)
                            let mapScratch = UnsafeMutablePointer<Double>.allocate(capacity: 3 * n)
                            defer { rows.deallocate(); mapScratch.deallocate() }
                            // The pieces of one region follow one another: its map is built once for them.
                            var mappedRegion = -1, map = UnsafePointer(mapScratch)
                            for f in range {
                                let r = Int(faceRegion[f])
                                let own = ownProduct[f]
                                var position = Int(correctionStart[f])
                                let target = result.base.baseAddress! + f * 3 * nNext
                                if full && !own { target.update(from: products.output + r * 3 * nNext, count: 3 * nNext) }
                                var count = 0
                                for w in 0..<words {
                                    var bits = differing[f * words + w]
                                    let sides = bits == 0 ? 0 : patterns[f].word(at: offset + 64 * w, width: min(64, n - 64 * w))
                                    while bits != 0 {
                                        let lane = bits.trailingZeroBitCount, j = 64 * w + lane
                                        bits &= bits - 1
                                        let row = previous.line(neuron: j, region: r)
                                        let side = sides >> UInt64(lane) & 1 != 0
                                        if !full {
                                            let sign = side ? 1.0 : -1.0
                                            rows[3 * count] = sign * row.a; rows[3 * count + 1] = sign * row.b; rows[3 * count + 2] = sign * row.c
                                            count += 1
                                        }
                                        if own { continue }
                                        let delta = side ? positive - negative : negative - positive
                                        var m = (delta * row.a, delta * row.b, delta * row.c)
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
                                if !full {
                                    var s = oldSeeds[2 * r], t = oldSeeds[2 * r + 1]
                                    if count > 0 {
                                        LayerSeeds.move(&s, &t, toPositiveSidesOf: rows, count: count)
                                        // A moved seed may have crossed other lines of the layer: it moves back across
                                        // those (a third more corrections at the next layers without).
                                        if r != mappedRegion { map = previous.map(region: r, scratch: mapScratch); mappedRegion = r }
                                        var extra = 0
                                        for w in 0..<words {
                                            let sides = patterns[f].word(at: offset + 64 * w, width: min(64, n - 64 * w))
                                            for j in (64 * w)..<min(n, 64 * w + 64) {
                                                let v = LayerSeeds.value(map[j], map[n + j], map[2 * n + j], s: s, t: t)
                                                let side = sides >> UInt64(j - 64 * w) & 1 != 0
                                                if (v > 0) != side {
                                                    let sign = side ? 1.0 : -1.0
                                                    rows[3 * extra] = sign * map[j]; rows[3 * extra + 1] = sign * map[n + j]; rows[3 * extra + 2] = sign * map[2 * n + j]
                                                    extra += 1
                                                }
                                            }
                                        }
                                        if extra > 0 { LayerSeeds.move(&s, &t, toPositiveSidesOf: rows, count: extra) }
                                    }
                                    newSeeds[2 * f] = s; newSeeds[2 * f + 1] = t
                                }
                            }
                        }
                    }
                }
            }
        }
        clock.lap("  corrections (\(correctionStart[faceCount]) in \(faceCount - ownFaces.count) faces)")
        install(result, after: k, corrections: cap)
        seeds = newSeeds
    }

    /// Corrections a face may take before it gets a product of its own: past this many, one product
    /// is cheaper than rebuilding the corrections at every read of its map.
    static let maxCorrections = 16

    /// Makes `result` layer k + 1's maps, with its bounds; every face becomes a region of layer k + 1.
    func install(_ result: LayerMaps, after k: Int, corrections maxUpdates: Int) {
        setBounds(of: result, after: k, corrections: maxUpdates)
        maps.append(result)
        history.parent.append(faceRegion)
        history.pattern.append(facePattern)
        for f in faceRegion.indices { faceRegion[f] = Int32(f) }
        // Edges keep their own line coefficients, so layer k's maps are no longer needed.
        maps[k] = LayerMaps(width: 0, regionCount: 0, baseCount: 0)
    }

    /// Layer k + 1's maps of `faceList`, each from its own slopes (no corrections), the i-th written
    /// at `target(i, face)`.
    func faceProducts(_ faceList: [Int], after k: Int, previous: LayerMaps,
                      target: @escaping (Int, Int) -> UnsafeMutablePointer<Double>) {
        guard !faceList.isEmpty else { return }
        let next = network.layers[k + 1]
        let n = network.layers[k].outputs, nNext = next.outputs
        let offset = patternOffsets[k]
        let positive = network.activation.positiveSlope, negative = network.activation.negativeSlope
        next.weights.withUnsafeBufferPointer { w in
            facePattern.withUnsafeBufferPointer { patterns in
                faceRegion.withUnsafeBufferPointer { regions in
                    parallelism.chunks((faceList.count + productBlock - 1) / productBlock, minimumChunk: 1) { blocks in
                        let scaled = UnsafeMutablePointer<Double>.allocate(capacity: productBlock * 3 * n)
                        let slopes = UnsafeMutablePointer<Double>.allocate(capacity: n)
                        let products = UnsafeMutablePointer<Double>.allocate(capacity: productBlock * 3 * nNext)
                        defer { scaled.deallocate(); slopes.deallocate(); products.deallocate() }
                        for block in blocks {
                            let first = block * productBlock, count = min(productBlock, faceList.count - first)
                            nextLayerProducts(count: count, width: n, weights: w.baseAddress!, bias: next.bias,
                                              scaled: scaled, slopes: slopes, into: products) { local, slopes, scratch in
                                let f = faceList[first + local]
                                for j in 0..<n { slopes[j] = patterns[f][offset + j] ? positive : negative }
                                return previous.map(region: Int(regions[f]), scratch: scratch)
                            }
                            for local in 0..<count {
                                target(first + local, faceList[first + local]).update(from: products + local * 3 * nNext, count: 3 * nNext)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The region-independent bounds E_{k+1} and B_{k+1} (see `finishNextLayerMaps`) for maps with at
    /// most `corrections` rank-one corrections per face.
    func setBounds(of result: LayerMaps, after k: Int, corrections maxUpdates: Int) {
        let next = network.layers[k + 1]
        let n = network.layers[k].outputs, nNext = next.outputs
        let previous = maps[k]
        let sMax = maxSlope
        let absWeights = next.weights.map(abs)
        let propagated = gemm(previous.bound.map { $0 * sMax }, absWeights, m: 3, n: nNext, k: n, transposeB: true)
        let magnitude = gemm(previous.magnitude.map { $0 * sMax }, absWeights, m: 3, n: nNext, k: n, transposeB: true)
        let g = gamma(n + 2)
        var bound = [Double](repeating: 0, count: 3 * nNext)
        var newMagnitude = [Double](repeating: 0, count: 3 * nNext)
        for index in 0..<(3 * nNext) {
            let biasTerm = index >= 2 * nNext ? abs(next.bias[index - 2 * nNext]) : 0
            newMagnitude[index] = certifiedBound(dotProductMagnitude(magnitude[index] + biasTerm, gamma: g))
            bound[index] = certifiedBound(dotProductError(propagated: propagated[index], magnitude: magnitude[index] + biasTerm, gamma: g)
                                     + roundingError(units: 6 + 2 * maxUpdates, of: newMagnitude[index]))
        }
        result.bound = bound
        result.magnitude = newMagnitude
    }
}

/// The next layer's base maps, one matrix product per region of the current layer with a slope
/// pattern fixed by the filter, computed by a background thread (and the caller, once it is free)
/// while the current layer's faces are split. It reads only the current maps and the weights.
// @unchecked: its mutable state (chunk cursor, cancel flag, output hand-off) changes only under `lock`.
final class RegionProducts: @unchecked Sendable {
    let previous: LayerMaps
    let weights: [Double]
    let bias: [Double]
    /// Per region, `words` words: bit j set when neuron j takes the positive slope in the base.
    let baseSlopes: [UInt64]
    let positiveSlope: Double
    let negativeSlope: Double
    let regionCount: Int
    let width: Int
    let nextWidth: Int
    /// regionCount × 3 × nextWidth: the base maps.
    let output: UnsafeMutablePointer<Double>
    private var outputTaken = false
    private let chunk = productBlock
    private var nextChunk = 0
    private var cancelled = false
    private let lock = NSLock()
    private let group = DispatchGroup()

    init(previous: LayerMaps, next: DenseLayer, baseSlopes: [UInt64], positiveSlope: Double, negativeSlope: Double) {
        self.previous = previous
        weights = next.weights
        bias = next.bias
        self.baseSlopes = baseSlopes
        self.positiveSlope = positiveSlope
        self.negativeSlope = negativeSlope
        regionCount = previous.regionCount
        width = previous.width
        nextWidth = next.outputs
        output = .allocate(capacity: regionCount * 3 * nextWidth)
    }

    deinit { if !outputTaken { output.deallocate() } }

    /// Starts the background thread.
    func start() {
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.work()
            self.group.leave()
        }
    }

    /// Takes the remaining chunks on the calling thread, then waits for the background thread.
    func finish() {
        work()
        group.wait()
    }

    /// Stops handing out chunks and waits for the one in progress.
    func cancel() {
        lock.withLock { cancelled = true }
        group.wait()
    }

    /// The base maps, now owned by the caller.
    func takeOutput() -> UnsafeMutableBufferPointer<Double> {
        outputTaken = true
        return UnsafeMutableBufferPointer(start: output, count: regionCount * 3 * nextWidth)
    }

    private func claim() -> Int? {
        lock.withLock {
            guard !cancelled, nextChunk * chunk < regionCount else { return nil }
            nextChunk += 1
            return nextChunk - 1
        }
    }

    private func work() {
        let n = width, nNext = nextWidth
        let words = (n + 63) / 64
        let scaled = UnsafeMutablePointer<Double>.allocate(capacity: chunk * 3 * n)
        let slopes = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { scaled.deallocate(); slopes.deallocate() }
        weights.withUnsafeBufferPointer { w in
            baseSlopes.withUnsafeBufferPointer { bits in
                while let c = claim() {
                    let first = c * chunk, count = min(chunk, regionCount - first)
                    nextLayerProducts(count: count, width: n, weights: w.baseAddress!, bias: bias, scaled: scaled, slopes: slopes,
                                      into: output + first * 3 * nNext) { local, slopes, scratch in
                        let r = first + local
                        for j in 0..<n {
                            slopes[j] = bits[r * words + (j >> 6)] >> UInt64(j & 63) & 1 != 0 ? positiveSlope : negativeSlope
                        }
                        return previous.map(region: r, scratch: scratch)
                    }
                }
            }
        }
    }
}

/// Maps multiplied by one matrix product of `nextLayerProducts`: a chunk of fewer is padded with zero
/// maps, so every product has the same shape and the BLAS computes each map's rows in the same way
/// whichever maps share its chunk (with other shapes its kernels may round a row differently), which
/// keeps a region's floats the same in every strip of a sharded slice.
let productBlock = 128

/// One chunk of next-layer products: for each of `count` ≤ `productBlock` maps, `prepare` fills the
/// slopes and returns the map (3·width values; it may be built in the scratch it is given), the map
/// is scaled by the slopes in `scaled` (room for `productBlock` maps), and one product of
/// `productBlock` maps writes W·S·M + [0 0 b] to `out` (3 rows of W's height per map, `count` maps).
func nextLayerProducts(count: Int, width n: Int, weights: UnsafePointer<Double>, bias: [Double],
                       scaled: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>,
                       into out: UnsafeMutablePointer<Double>,
                       prepare: (_ local: Int, _ slopes: UnsafeMutablePointer<Double>,
                                 _ scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double>) {
    let nNext = bias.count
    for local in 0..<count {
        let target = scaled + local * 3 * n
        // In place when `prepare` built the map in `target`: each value is read before it is written.
        let source = prepare(local, slopes, target)
        for row in 0..<3 {
            for j in 0..<n { target[row * n + j] = slopes[j] * source[row * n + j] }
        }
    }
    if count == productBlock {
        gemm(scaled, weights, out, m: 3 * productBlock, n: nNext, k: n, transposeB: true)
    } else {
        (scaled + count * 3 * n).update(repeating: 0, count: (productBlock - count) * 3 * n)
        let padded = UnsafeMutablePointer<Double>.allocate(capacity: productBlock * 3 * nNext)
        defer { padded.deallocate() }
        gemm(scaled, weights, padded, m: 3 * productBlock, n: nNext, k: n, transposeB: true)
        out.update(from: padded, count: count * 3 * nNext)
    }
    for local in 0..<count {
        let constants = out + local * 3 * nNext + 2 * nNext
        for j in 0..<nNext { constants[j] += bias[j] }
    }
}

import Foundation
import Polytope

/// The layer-by-layer subdivision: each hidden layer splits every face by each of its neurons.
extension Subdivision {
    /// Runs every hidden layer and prepares the output layer's maps.
    func run(progress: ((Int, Int) -> Void)? = nil) throws {
        var clock = PhaseClock()
        computeFirstLayerMaps()
        seeds = LayerSeeds.domainSeed(corners: domainCorners)
        clock.lap("layer 1 maps")
        for k in 0..<hiddenCount {
            let products = try subdivide(layer: k)
            clock.lap("layer \(k + 1) subdivision")
            progress?(k + 1, faces.count)
            finishNextLayerMaps(after: k, products: products)
            clock.lap("layer \(k + 2) maps")
        }
    }

    /// Splits every face by every neuron of hidden layer k whose zero set crosses its interior.
    ///
    /// The next layer's matrix products need only each region's map and a slope pattern chosen
    /// before the splits, so they start on a second thread as soon as the filter is done and run
    /// while this thread splits; the returned products are finished by `finishNextLayerMaps`.
    func subdivide(layer k: Int) throws -> RegionProducts {
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
        var baseSlopes = [UInt64](repeating: 0, count: startCount * words)
        let lock = NSLock()
        // Read apart from the patterns, which the filter writes (both are columns of the records).
        let regions = faceRegion
        withVertexView { view in
            filters.withUnsafeMutableBufferPointer { results in
                facePattern.withUnsafeMutableBufferPointer { patterns in
                    baseSlopes.withUnsafeMutableBufferPointer { baseSlopes in
                        parallelism.chunks(startCount, minimumChunk: 256) { range in
                            var scratch = FilterScratch(width: n)
                            defer { scratch.deallocate() }
                            var positive = [UInt64](repeating: 0, count: words), negative = positive
                            for f in range {
                                let filter = floatFilter(face: f, region: Int(regions[f]), layer: k, vertices: view, scratch: &scratch)
                                for w in 0..<words { baseSlopes[f * words + w] = scratch.seedPositive[w] }
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
        }
        clock.lap("  filter")
        let products = RegionProducts(previous: maps[k], next: network.layers[k + 1], baseSlopes: baseSlopes,
                                      positiveSlope: network.activation.positiveSlope,
                                      negativeSlope: network.activation.negativeSlope)
        products.start()
        do {
            try splitFaces(layer: k, count: startCount, filters: filters,
                           positive: &positiveSomewhere, negative: &negativeSomewhere)
        } catch {
            products.cancel()
            throw error
        }
        clock.lap("  splits")
        let cut = zip(positiveSomewhere, negativeSomewhere).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
        var stats = LayerStats(index: k + 1, neurons: n, neuronsCut: cut, regions: faces.count)
        stats.positiveSomewhere = positiveSomewhere; stats.negativeSomewhere = negativeSomewhere
        layerStats.append(stats)
        return products
    }

    /// The sequential pass: settles each face's undecided neurons and splits it by its crossing ones.
    func splitFaces(layer k: Int, count startCount: Int, filters: [FaceFilter],
                    positive positiveSomewhere: inout [UInt64], negative negativeSomewhere: inout [UInt64]) throws {
        var scratch = CutScratch()
        for f0 in 0..<startCount {
            let candidates = resolve(filters[f0], face: Int32(f0), layer: k,
                                     positive: &positiveSomewhere, negative: &negativeSomewhere)
            if candidates.isEmpty { continue }
            try cut(face: Int32(f0), by: candidates, layer: k + 1, patternOffset: patternOffsets[k], scratch: &scratch)
        }
    }

    /// What the floating-point filter left for the sequential pass on one face: neurons that
    /// certainly take both signs, and neurons it could not settle.
    struct FaceFilter {
        var candidates: [Int] = []
        var ambiguous: [Int] = []
        /// The lines of the candidates, read while the face's map was at hand (the ambiguous
        /// neurons' lines are built when needed).
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
        /// Bit j: neuron j's float value is positive at the region's seed: the base slope pattern of
        /// the next layer's products (any pattern would do; this one is the same in every strip of
        /// the domain, and the seed lies in or near the region, so it needs few corrections).
        var seedPositive: [UInt64]

        init(width n: Int) {
            map = .allocate(capacity: 3 * n)
            low = .allocate(capacity: n); high = .allocate(capacity: n); bound = .allocate(capacity: n)
            positive = [UInt64](repeating: 0, count: (n + 63) / 64)
            negative = positive
            seedPositive = positive
        }

        func deallocate() { map.deallocate(); low.deallocate(); high.deallocate(); bound.deallocate() }
    }

    /// Classifies layer k's neurons on face f (of region `r`) from the face's vertex values and one bound per neuron
    /// (the per-vertex bound of `evaluate` with |s|, |t| and δ at their face maxima). Reads only;
    /// the certainly positive and negative neurons are left in `scratch`.
    func floatFilter(face f: Int, region r: Int, layer k: Int, vertices view: VertexView, scratch: inout FilterScratch) -> FaceFilter {
        let n = network.layers[k].outputs
        var result = FaceFilter()
        let words = (n + 63) / 64
        let layerMaps = maps[k]
        let map = layerMaps.map(region: r, scratch: scratch.map)
        let a = map, b = a + n, c = b + n
        let low = scratch.low, high = scratch.high, bound = scratch.bound
        for j in 0..<n { low[j] = .infinity; high[j] = -.infinity }
        let seedS = seeds[2 * r], seedT = seeds[2 * r + 1]
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
                bound[j] = affineFormBound(a: a[j], b: b[j], c: c[j], ea: ea[j], eb: eb[j], ec: ec[j], s: sMax, t: tMax, delta: deltaMax)
            }
        }
        for w in 0..<words {
            var positive: UInt64 = 0, negative: UInt64 = 0, crossing: UInt64 = 0, seeded: UInt64 = 0
            let first = w * 64, last = min(n, first + 64)
            // The kernel leaves NaN values or bounds undecided. Eight neurons at a time.
            let lanes = SIMD8<UInt64>(1, 2, 4, 8, 16, 32, 64, 128), none = SIMD8<UInt64>(repeating: 0)
            var j = first
            while j + 8 <= last {
                let lo = UnsafeRawPointer(low + j).loadUnaligned(as: SIMD8<Double>.self)
                let hi = UnsafeRawPointer(high + j).loadUnaligned(as: SIMD8<Double>.self)
                let e = UnsafeRawPointer(bound + j).loadUnaligned(as: SIMD8<Double>.self)
                let shift = UInt64(j - first)
                let classes = kernel.classify(low: lo, high: hi, bound: e)
                positive |= classes.positive << shift
                negative |= classes.negative << shift
                crossing |= classes.crossing << shift
                // LayerSeeds.value, lane by lane (the same operations in the same order).
                let seedValue = UnsafeRawPointer(a + j).loadUnaligned(as: SIMD8<Double>.self) * seedS
                    + UnsafeRawPointer(b + j).loadUnaligned(as: SIMD8<Double>.self) * seedT
                    + UnsafeRawPointer(c + j).loadUnaligned(as: SIMD8<Double>.self)
                seeded |= none.replacing(with: lanes, where: seedValue .> 0).wrappedSum() << shift
                j += 8
            }
            while j < last {
                let bit: UInt64 = 1 << UInt64(j - first)
                switch kernel.classify(low: low[j], high: high[j], bound: bound[j]) {
                case .positive: positive |= bit
                case .negative: negative |= bit
                case .crossing: crossing |= bit
                case .undecided: break
                }
                if LayerSeeds.value(a[j], b[j], c[j], s: seedS, t: seedT) > 0 { seeded |= bit }
                j += 1
            }
            scratch.seedPositive[w] = seeded
            scratch.positive[w] = positive
            scratch.negative[w] = negative
            let all: UInt64 = last - first == 64 ? ~0 : (1 << UInt64(last - first)) - 1
            var undecided = all & ~(positive | negative | crossing)
            while crossing != 0 { result.candidates.append(first + crossing.trailingZeroBitCount); crossing &= crossing - 1 }
            while undecided != 0 { result.ambiguous.append(first + undecided.trailingZeroBitCount); undecided &= undecided - 1 }
        }
        if !result.candidates.isEmpty {
            result.lines.reserveCapacity(result.candidates.count)
            let e = layerMaps.bound
            for j in result.candidates {
                result.lines.append(CertifiedLine(a: a[j], b: b[j], c: c[j], ea: e[j], eb: e[n + j], ec: e[2 * n + j],
                                                  ref: .neuron(layer: k, neuron: j, region: r)))
            }
        }
        return result
    }

    /// Settles the filter's undecided neurons with exact-correct signs, sets the pattern bits of those
    /// that do not split face f, records their signs, and returns all splitting neurons in order with
    /// their lines.
    func resolve(_ filter: FaceFilter, face f: Int32, layer k: Int,
                 positive positiveSomewhere: inout [UInt64], negative negativeSomewhere: inout [UInt64]) -> [(unit: Int, line: CertifiedLine)] {
        let region = Int(faceRegion[Int(f)])
        func line(_ index: Int, _ j: Int) -> CertifiedLine {
            index < filter.lines.count ? filter.lines[index] : certifiedLine(layer: k, neuron: j, region: region)
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

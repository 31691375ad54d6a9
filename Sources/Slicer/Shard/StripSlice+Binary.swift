import Foundation
import Models
import Polytope

/// A strip's part in binary (`ShardPart.blob`): doubles by bit pattern, indices as 32-bit integers,
/// exact seam positions as "p/q" text, and patterns as the bits that vary across the strip's regions
/// (a graph's patterns run to thousands of bits, nearly all of them the same in every region).
extension StripSlice {
    public func encoded() throws -> Data {
        let r = result
        var w = PartWriter()
        func points(_ ps: [Point2]) { w.int(ps.count); for p in ps { w.double(p.x); w.double(p.y) } }
        w.text(r.arithmetic); w.text(r.domainKind)
        points(r.domainPolygon); w.double(r.domainArea); points(r.anchors); points(r.vertices)
        let patternBits = r.regions.first?.pattern.count ?? 0
        w.int(patternBits)
        let (common, varying) = Self.varyingBits(r.regions.map(\.pattern), count: patternBits)
        w.words(common); try w.i32s(varying)
        w.int(r.regions.count)
        for region in r.regions {
            try w.i32s(region.vertexIndices)
            w.words(Self.pack(region.pattern, at: varying))
            w.int(region.predictedClass); w.double(region.slope)
            w.int(region.classCells.count)
            for cell in region.classCells { w.int(cell.label); points(cell.polygon) }
        }
        try w.i32s(r.edges.flatMap { [$0.from, $0.to, $0.layer, $0.neuron] })
        points(r.boundarySegments.flatMap { [$0.0, $0.1] })
        try w.i32s(r.stripSegmentVertices.flatMap { [$0.0, $0.1] })
        w.int(r.layers.count)
        for layer in r.layers {
            w.ints([layer.index, layer.neurons, layer.neuronsCut, layer.regions, layer.windowPositions ?? 0])
            w.words(layer.positiveSomewhere ?? []); w.words(layer.negativeSomewhere ?? [])
        }
        w.int(r.outputs); w.double(r.seconds); w.int(r.batchNormScale ? 1 : 0)
        w.ints([r.decisions.certified, r.decisions.symbolic, r.decisions.exact])
        let seams = seamPoints.sorted { $0.key < $1.key }
        w.int(seams.count)
        for (v, point) in seams { w.int(v); w.int(point.seam); w.text(point.t.description) }
        return w.data
    }

    /// Reads what `encoded` wrote; a damaged part is an error naming `source`.
    public init(encoded data: Data, source: String) throws {
        let damaged = TesseraError.badInput("\(source) holds a damaged slice strip")
        var r = PartReader(data, damaged: damaged)
        func points() throws -> [Point2] { try (0..<r.count(16)).map { _ in Point2(try r.double(), try r.double()) } }
        let arithmetic = try r.text(), kind = try r.text()
        let domainPolygon = try points(), domainArea = try r.double(), anchors = try points(), vertices = try points()
        let patternBits = try r.int()
        guard patternBits >= 0, patternBits < 1 << 32 else { throw damaged }
        let inRange = { (v: Int) in v >= 0 && v < vertices.count }
        var common = ActivationPattern(count: patternBits)
        let commonWords = try r.words(), varying = try r.i32s()
        guard commonWords.count == common.words.count, varying.allSatisfy({ $0 >= 0 && $0 < patternBits }) else { throw damaged }
        common.words = commonWords
        var regions: [SliceRegion] = []
        for _ in 0..<(try r.count(8)) {
            let ring = try r.i32s()
            var pattern = common
            let packed = try r.words()
            guard ring.allSatisfy(inRange), packed.count == (varying.count + 63) / 64 else { throw damaged }
            for (k, bit) in varying.enumerated() where packed[k >> 6] >> UInt64(k & 63) & 1 == 1 { pattern[bit] = true }
            let label = try r.int(), slope = try r.double()
            let cells = try (0..<r.count(16)).map { _ in
                let label = try r.int()
                return ClassCell(polygon: try points(), label: label)
            }
            regions.append(SliceRegion(vertexIndices: ring, pattern: pattern, predictedClass: label, classCells: cells,
                                       slope: slope, area: 0))
        }
        let edgeFlat = try r.i32s(), segmentPoints = try points(), segmentFlat = try r.i32s()
        guard edgeFlat.count % 4 == 0, segmentFlat.count % 2 == 0, segmentPoints.count == segmentFlat.count else { throw damaged }
        let edges = stride(from: 0, to: edgeFlat.count, by: 4).map {
            SliceEdge(from: edgeFlat[$0], to: edgeFlat[$0 + 1], layer: edgeFlat[$0 + 2], neuron: edgeFlat[$0 + 3])
        }
        guard edges.allSatisfy({ inRange($0.from) && inRange($0.to) }) else { throw damaged }
        let layers = try (0..<r.count(40)).map { _ -> LayerStats in
            let row = try r.ints()
            guard row.count == 5 else { throw damaged }
            var layer = LayerStats(index: row[0], neurons: row[1], neuronsCut: row[2], regions: row[3])
            if row[4] > 0 { layer.windowPositions = row[4] }
            layer.positiveSomewhere = try r.words(); layer.negativeSomewhere = try r.words()
            return layer
        }
        let outputs = try r.int(), seconds = try r.double(), batchNormScale = try r.int() == 1
        let decisions = try r.ints()
        guard decisions.count == 3 else { throw damaged }
        var seamPoints: [Int: (seam: Int, t: Rational)] = [:]
        for _ in 0..<(try r.count(24)) {
            let v = try r.int(), k = try r.int()
            guard let t = Rational(parsing: try r.text()) else { throw damaged }
            seamPoints[v] = (k, t)
        }
        guard r.atEnd else { throw damaged }
        var result = SliceResult(arithmetic: arithmetic, domainKind: kind, domainPolygon: domainPolygon, domainArea: domainArea,
                                 anchors: anchors, vertices: vertices, regions: regions, edges: edges,
                                 boundarySegments: stride(from: 0, to: segmentPoints.count, by: 2).map { (segmentPoints[$0], segmentPoints[$0 + 1]) },
                                 layers: layers, outputs: outputs, seconds: seconds)
        result.stripSegmentVertices = stride(from: 0, to: segmentFlat.count, by: 2).map { (segmentFlat[$0], segmentFlat[$0 + 1]) }
        result.decisions.certified = decisions[0]; result.decisions.symbolic = decisions[1]; result.decisions.exact = decisions[2]
        result.batchNormScale = batchNormScale
        self.init(result: result, seamPoints: seamPoints)
    }

    /// The bits set in every pattern, and the positions that differ between some two.
    static func varyingBits(_ patterns: [ActivationPattern], count: Int) -> (common: [UInt64], varying: [Int]) {
        let words = (count + 63) / 64
        guard let first = patterns.first else { return ([UInt64](repeating: 0, count: words), []) }
        var all = first.words, any = first.words
        for p in patterns.dropFirst() { for i in 0..<words { all[i] &= p.word(i); any[i] |= p.word(i) } }
        var varying: [Int] = []
        for i in 0..<words {
            var differ = any[i] & ~all[i]
            while differ != 0 { varying.append(i << 6 + differ.trailingZeroBitCount); differ &= differ - 1 }
        }
        return (all, varying)
    }

    /// The pattern's bits at `positions`, packed into words.
    static func pack(_ pattern: ActivationPattern, at positions: [Int]) -> [UInt64] {
        var packed = [UInt64](repeating: 0, count: (positions.count + 63) / 64)
        for (k, bit) in positions.enumerated() where pattern[bit] { packed[k >> 6] |= 1 << UInt64(k & 63) }
        return packed
    }
}

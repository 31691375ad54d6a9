import BigInt
import Foundation
import Models
import Polytope

/// One share of a sharded slice: the slice of one strip of the domain (`SliceStrip`), with where its
/// vertices on the seams lie exactly, as `merge` needs it to stitch the strips together.
// @unchecked: a value with no shared mutable state (its exact numbers are values), handed between threads whole.
public struct StripSlice: @unchecked Sendable {
    public var result: SliceResult
    /// Vertex index (partition vertices, then the decision boundary's) → (seam k, 1-based; its exact t).
    public var seamPoints: [Int: (seam: Int, t: Rational)]

    /// The strip `strip` of a slice whose domain has these corners in (s, t).
    public init(_ result: SliceResult, strip: SliceStrip, corners: [(s: Double, t: Double)]) {
        self.result = result
        let seams = (1..<max(strip.count, 1)).map { SliceStrip.seam($0, of: strip.count, corners: corners) }
        var points: [Int: (seam: Int, t: Rational)] = [:]
        for (v, point) in result.stripVertices {
            let s = point.s
            for k in [strip.index - 1, strip.index] where k >= 1 && k < strip.count && seams[k - 1] == s {
                points[v] = (k, point.t)
            }
        }
        seamPoints = points
    }

    init(result: SliceResult, seamPoints: [Int: (seam: Int, t: Rational)]) {
        self.result = result; self.seamPoints = seamPoints
    }
}

/// The JSON payload of a strip's part: doubles by bit pattern, exact seam positions as "p/q".
extension StripSlice {
    public var payload: [String: Any] {
        let r = result
        // JSON numbers past 2^53 do not come back as integers: bit patterns go as hex text.
        func bits(_ x: Double) -> String { String(x.bitPattern, radix: 16) }
        func points(_ ps: [Point2]) -> [String] { ps.flatMap { [bits($0.x), bits($0.y)] } }
        let regions: [[Any]] = r.regions.map { region in
            [region.vertexIndices, region.pattern.words.map { String($0, radix: 16) }, region.predictedClass,
             bits(region.slope), region.classCells.map { [$0.label, points($0.polygon)] as [Any] }]
        }
        return [
            "arithmetic": r.arithmetic, "domain_kind": r.domainKind, "domain_polygon": points(r.domainPolygon),
            "domain_area": bits(r.domainArea), "anchors": points(r.anchors), "vertices": points(r.vertices),
            "pattern_bits": r.regions.first?.pattern.count ?? 0, "regions": regions,
            "edges": r.edges.flatMap { [$0.from, $0.to, $0.layer, $0.neuron] },
            "segments": points(r.boundarySegments.flatMap { [$0.0, $0.1] }),
            "segment_vertices": r.stripSegmentVertices.flatMap { [$0.0, $0.1] },
            "layers": r.layers.map { [$0.index, $0.neurons, $0.neuronsCut, $0.regions, $0.windowPositions ?? 0] },
            "layer_signs": r.layers.map { [($0.positiveSomewhere ?? []).map { String($0, radix: 16) },
                                           ($0.negativeSomewhere ?? []).map { String($0, radix: 16) }] },
            "outputs": r.outputs, "seconds": r.seconds, "batchnorm_scale": r.batchNormScale,
            "decisions": [r.decisions.certified, r.decisions.symbolic, r.decisions.exact],
            "seam_points": seamPoints.sorted { $0.key < $1.key }.map { [$0.key, $0.value.seam, $0.value.t.description] as [Any] },
        ]
    }

    /// Reads a payload written by `payload`; a damaged one is an error naming `source`.
    public init(payload p: [String: Any], source: String) throws {
        let damaged = TesseraError.badInput("\(source) holds a damaged slice strip")
        func double(_ any: Any?) throws -> Double {
            guard let text = any as? String, let bits = UInt64(text, radix: 16) else { throw damaged }
            return Double(bitPattern: bits)
        }
        func points(_ any: Any?) throws -> [Point2] {
            guard let flat = any as? [String], flat.count % 2 == 0 else { throw damaged }
            return try stride(from: 0, to: flat.count, by: 2).map { Point2(try double(flat[$0]), try double(flat[$0 + 1])) }
        }
        guard let arithmetic = p["arithmetic"] as? String, let kind = p["domain_kind"] as? String,
              let patternBits = p["pattern_bits"] as? Int, let regionRows = p["regions"] as? [[Any]],
              let edgeFlat = p["edges"] as? [Int], edgeFlat.count % 4 == 0,
              let segmentFlat = p["segment_vertices"] as? [Int], segmentFlat.count % 2 == 0,
              let layerRows = p["layers"] as? [[Int]], let outputs = p["outputs"] as? Int,
              let decisions = p["decisions"] as? [Int], decisions.count == 3,
              let seamRows = p["seam_points"] as? [[Any]] else { throw damaged }
        let vertices = try points(p["vertices"])
        let segmentPoints = try points(p["segments"])
        guard segmentPoints.count == segmentFlat.count else { throw damaged }
        var regions: [SliceRegion] = []
        regions.reserveCapacity(regionRows.count)
        for row in regionRows {
            guard row.count == 5, let ring = row[0] as? [Int], ring.allSatisfy({ $0 >= 0 && $0 < vertices.count }),
                  let words = row[1] as? [String], let label = row[2] as? Int, let cellRows = row[4] as? [[Any]] else { throw damaged }
            var pattern = ActivationPattern(count: patternBits)
            guard words.count == pattern.words.count else { throw damaged }
            let values = words.compactMap { UInt64($0, radix: 16) }
            guard values.count == words.count else { throw damaged }
            pattern.words = values
            let cells = try cellRows.map { cell -> ClassCell in
                guard cell.count == 2, let label = cell[0] as? Int else { throw damaged }
                return ClassCell(polygon: try points(cell[1]), label: label)
            }
            regions.append(SliceRegion(vertexIndices: ring, pattern: pattern, predictedClass: label, classCells: cells,
                                       slope: try double(row[3]), area: 0))
        }
        let edges = stride(from: 0, to: edgeFlat.count, by: 4).map {
            SliceEdge(from: edgeFlat[$0], to: edgeFlat[$0 + 1], layer: edgeFlat[$0 + 2], neuron: edgeFlat[$0 + 3])
        }
        guard edges.allSatisfy({ $0.from >= 0 && $0.from < vertices.count && $0.to >= 0 && $0.to < vertices.count }) else { throw damaged }
        guard let signRows = p["layer_signs"] as? [[[String]]], signRows.count == layerRows.count else { throw damaged }
        let layers = try zip(layerRows, signRows).map { row, signs -> LayerStats in
            guard row.count == 5, signs.count == 2 else { throw damaged }
            var layer = LayerStats(index: row[0], neurons: row[1], neuronsCut: row[2], regions: row[3])
            if row[4] > 0 { layer.windowPositions = row[4] }
            let words = signs.map { $0.compactMap { UInt64($0, radix: 16) } }
            guard words[0].count == signs[0].count, words[1].count == signs[1].count else { throw damaged }
            layer.positiveSomewhere = words[0]; layer.negativeSomewhere = words[1]
            return layer
        }
        var result = SliceResult(arithmetic: arithmetic, domainKind: kind, domainPolygon: try points(p["domain_polygon"]),
                                 domainArea: try double(p["domain_area"]), anchors: try points(p["anchors"]), vertices: vertices,
                                 regions: regions, edges: edges,
                                 boundarySegments: stride(from: 0, to: segmentPoints.count, by: 2).map { (segmentPoints[$0], segmentPoints[$0 + 1]) },
                                 layers: layers, outputs: outputs, seconds: p["seconds"] as? Double ?? 0)
        result.stripSegmentVertices = stride(from: 0, to: segmentFlat.count, by: 2).map { (segmentFlat[$0], segmentFlat[$0 + 1]) }
        result.decisions = DecisionCounts()
        result.decisions.certified = decisions[0]; result.decisions.symbolic = decisions[1]; result.decisions.exact = decisions[2]
        result.batchNormScale = p["batchnorm_scale"] as? Bool ?? false
        var seamPoints: [Int: (seam: Int, t: Rational)] = [:]
        for row in seamRows {
            guard row.count == 3, let v = row[0] as? Int, let k = row[1] as? Int, let text = row[2] as? String,
                  let t = Rational(parsing: text) else { throw damaged }
            seamPoints[v] = (k, t)
        }
        self.init(result: result, seamPoints: seamPoints)
    }
}

extension Rational {
    /// Parses `description`'s form: "p" or "p/q".
    init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let p = BigInt(String(parts[0])) else { return nil }
        guard parts.count == 2 else { self.init(p); return }
        guard let q = BigInt(String(parts[1])), !q.isZero else { return nil }
        self.init(p, q)
    }
}

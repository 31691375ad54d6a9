import Foundation
import Models
import Polytope

/// The partition of one slice as a GeoJSON FeatureCollection, for GIS and dataframe tools.
///
/// Coordinates are the plane's input-space coordinates (u, v) = (s·|d1|, t·|d2|), the metric the
/// pictures use, with anchor 1 at the origin. Features, each with a `kind` property:
/// - `region`: a Polygon (counter-clockwise, closed) with `id`, `pattern` (one hex string per hidden
///   layer; unit i is bit i of the number; for a max-pool layer of k-position windows, bit w·k + p
///   is set when window w's winner is its position p), `class`, `area`, `vertices`, `slope`, and with exact
///   vertices `exact_vertices`: the ring's (s, t) as rational strings ("p/q");
/// - `edge`: a LineString made by hidden `layer` (1-based) and `unit` (0-based);
/// - `domain_edge`: a LineString of the domain's boundary;
/// - `decision_boundary`: a LineString between two predicted classes;
/// - `domain`: the domain Polygon;
/// - `anchor`: a Point with `index` (1, 2, 3) and `label` when known.
public enum PartitionGeoJSON {
    /// The document as UTF-8 bytes. `exactVertices`, when given, holds every vertex's exact (s, t).
    public static func encode(_ result: SliceResult, exactVertices: [ExactPlanePoint]? = nil,
                              anchorLabels: [String] = [], step: Int? = nil,
                              parallelism: Parallelism = .machine) -> Data {
        var out = String()
        let widths = result.layers.map { $0.neurons * ($0.windowPositions ?? 1) }
        out += "{\"type\":\"FeatureCollection\",\"tessera\":{"
        out += "\"coordinates\":\"input-space units in the slice plane: u = s*|d1|, v = t*|d2|, anchor 1 at the origin\","
        if exactVertices != nil {
            out += "\"exact_vertices\":\"(s, t) with x = x1 + s*d1 + t*d2, d1 = x2 - x1, d2 = the part of x3 - x1 orthogonal to d1\","
        }
        if let step { out += "\"step\":\(step)," }
        out += "\"regions\":\(result.regions.count),\"vertices\":\(result.vertices.count),\"edges\":\(result.edges.count),"
        out += "\"boundary_segments\":\(result.boundarySegments.count),\"domain_area\":\(number(result.domainArea)),"
        out += "\"arithmetic\":\(quoted(result.arithmetic)),\"layers\":[\(widths.map(String.init).joined(separator: ","))]},"
        out += "\"features\":["
        func feature(_ geometry: String, _ properties: String) -> String {
            "{\"type\":\"Feature\",\"geometry\":\(geometry),\"properties\":{\(properties)}}"
        }
        var features = encodeInParallel(parallelism, result.regions.count) { id in
            let region = result.regions[id]
            let ring = region.vertexIndices + [region.vertexIndices[0]]
            var properties = "\"kind\":\"region\",\"id\":\(id),\"pattern\":[\(layerHex(region.pattern, widths: widths).map { "\"\($0)\"" }.joined(separator: ","))],"
            properties += "\"class\":\(region.predictedClass),\"area\":\(number(region.area)),"
            properties += "\"vertices\":\(region.vertexIndices.count),\"slope\":\(number(region.slope))"
            if let exactVertices {
                // Rational strings hold digits, "-" and "/" only: nothing to escape.
                properties += ",\"exact_vertices\":["
                properties += region.vertexIndices.map { "[\"\(exactVertices[$0].s)\",\"\(exactVertices[$0].t)\"]" }.joined(separator: ",")
                properties += "]"
            }
            return feature(polygon(ring.map { result.vertices[$0] }), properties)
        }
        features += encodeInParallel(parallelism, result.edges.count) { index in
            let edge = result.edges[index]
            let points = lineString([result.vertices[edge.from], result.vertices[edge.to]])
            return edge.layer > 0 ? feature(points, "\"kind\":\"edge\",\"layer\":\(edge.layer),\"unit\":\(edge.neuron)")
                                  : feature(points, "\"kind\":\"domain_edge\"")
        }
        for segment in result.boundarySegments {
            features.append(feature(lineString([segment.0, segment.1]), "\"kind\":\"decision_boundary\""))
        }
        features.append(feature(polygon(result.domainPolygon + result.domainPolygon.prefix(1)),
                                "\"kind\":\"domain\",\"domain\":\(quoted(result.domainKind)),\"area\":\(number(result.domainArea))"))
        for (index, anchor) in result.anchors.enumerated() {
            var properties = "\"kind\":\"anchor\",\"index\":\(index + 1)"
            if index < anchorLabels.count { properties += ",\"label\":\(quoted(anchorLabels[index]))" }
            features.append(feature("{\"type\":\"Point\",\"coordinates\":\(position(anchor))}", properties))
        }
        out += features.joined(separator: ",\n")
        out += "]}\n"
        return Data(out.utf8)
    }

    /// `body(i)` for every i in 0..<count, on `parallelism`'s threads.
    static func encodeInParallel(_ parallelism: Parallelism, _ count: Int, _ body: (Int) -> String) -> [String] {
        var parts = [String](repeating: "", count: count)
        parts.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            parallelism.chunks(count, minimumChunk: 2048) { range in
                for i in range { base[i] = body(i) }
            }
        }
        return parts
    }

    /// One hex string per hidden layer: unit i of the layer is bit i of the number (most significant digit first).
    public static func layerHex(_ pattern: ActivationPattern, widths: [Int]) -> [String] {
        var offset = 0
        var parts: [String] = []
        parts.reserveCapacity(widths.count)
        for width in widths {
            let count = (width + 3) / 4
            // Digits written from the last (the lowest nibble) back: a graph's patterns run to thousands of bits.
            parts.append(String(unsafeUninitializedCapacity: count) { digits in
                for k in 0..<count {
                    let bit = 4 * k
                    digits[count - 1 - k] = hexDigits[Int(pattern.word(at: offset + bit, width: min(4, width - bit)))]
                }
                return count
            })
            offset += width
        }
        return parts
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func polygon(_ ring: [Point2]) -> String {
        "{\"type\":\"Polygon\",\"coordinates\":[[\(ring.map(position).joined(separator: ","))]]}"
    }

    static func lineString(_ points: [Point2]) -> String {
        "{\"type\":\"LineString\",\"coordinates\":[\(points.map(position).joined(separator: ","))]}"
    }

    static func position(_ p: Point2) -> String { "[\(number(p.x)),\(number(p.y))]" }

    /// Shortest round-trip decimal; non-finite values (never expected) become null.
    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        guard let data, let array = String(data: data, encoding: .utf8) else { return "\"\"" }
        return String(array.dropFirst().dropLast())
    }
}

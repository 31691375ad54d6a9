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
        var head = String()
        let widths = result.layers.map { $0.neurons * ($0.windowPositions ?? 1) }
        head += "{\"type\":\"FeatureCollection\",\"tessera\":{"
        head += "\"coordinates\":\"input-space units in the slice plane: u = s*|d1|, v = t*|d2|, anchor 1 at the origin\","
        if exactVertices != nil {
            head += "\"exact_vertices\":\"(s, t) with x = x1 + s*d1 + t*d2, d1 = x2 - x1, d2 = the part of x3 - x1 orthogonal to d1\","
        }
        if let step { head += "\"step\":\(step)," }
        head += "\"regions\":\(result.regions.count),\"vertices\":\(result.vertices.count),\"edges\":\(result.edges.count),"
        head += "\"boundary_segments\":\(result.boundarySegments.count),\"domain_area\":\(number(result.domainArea)),"
        head += "\"arithmetic\":\(quoted(result.arithmetic)),\"layers\":[\(widths.map(String.init).joined(separator: ","))]},"
        head += "\"features\":["
        var blocks = encodeInParallel(parallelism, result.regions.count) { id, out in
            let region = result.regions[id]
            out.append("{\"type\":\"Feature\",\"geometry\":")
            out.polygon(region.vertexIndices.map { result.vertices[$0] })
            out.append(",\"properties\":{\"kind\":\"region\",\"id\":")
            out.append(id)
            out.append(",\"pattern\":[")
            var offset = 0
            for (layer, width) in widths.enumerated() {
                if layer > 0 { out.append(",") }
                out.append("\"")
                out.hex(region.pattern, bits: offset..<(offset + width))
                out.append("\"")
                offset += width
            }
            out.append("],\"class\":")
            out.append(region.predictedClass)
            out.append(",\"area\":")
            out.append(region.area)
            out.append(",\"vertices\":")
            out.append(region.vertexIndices.count)
            out.append(",\"slope\":")
            out.append(region.slope)
            if let exactVertices {
                // Rational strings hold digits, "-" and "/" only: nothing to escape.
                out.append(",\"exact_vertices\":[")
                for (k, index) in region.vertexIndices.enumerated() {
                    if k > 0 { out.append(",") }
                    out.append("[\"\(exactVertices[index].s)\",\"\(exactVertices[index].t)\"]")
                }
                out.append("]")
            }
            out.append("}}")
        }
        blocks += encodeInParallel(parallelism, result.edges.count) { index, out in
            let edge = result.edges[index]
            out.append("{\"type\":\"Feature\",\"geometry\":")
            out.lineString([result.vertices[edge.from], result.vertices[edge.to]])
            if edge.layer > 0 {
                out.append(",\"properties\":{\"kind\":\"edge\",\"layer\":")
                out.append(edge.layer)
                out.append(",\"unit\":")
                out.append(edge.neuron)
                out.append("}}")
            } else {
                out.append(",\"properties\":{\"kind\":\"domain_edge\"}}")
            }
        }
        var rest: [String] = []
        func feature(_ geometry: String, _ properties: String) -> String {
            "{\"type\":\"Feature\",\"geometry\":\(geometry),\"properties\":{\(properties)}}"
        }
        for segment in result.boundarySegments {
            rest.append(feature(lineString([segment.0, segment.1]), "\"kind\":\"decision_boundary\""))
        }
        rest.append(feature(polygon(result.domainPolygon + result.domainPolygon.prefix(1)),
                            "\"kind\":\"domain\",\"domain\":\(quoted(result.domainKind)),\"area\":\(number(result.domainArea))"))
        for (index, anchor) in result.anchors.enumerated() {
            var properties = "\"kind\":\"anchor\",\"index\":\(index + 1)"
            if index < anchorLabels.count { properties += ",\"label\":\(quoted(anchorLabels[index]))" }
            rest.append(feature("{\"type\":\"Point\",\"coordinates\":\(position(anchor))}", properties))
        }
        var tail = JSONText()
        tail.append(rest.joined(separator: ",\n"))
        blocks.append(tail)
        var document = Data(head.utf8)
        document.reserveCapacity(document.count + blocks.reduce(3) { $0 + $1.bytes.count + 2 })
        var first = true
        for block in blocks where !block.bytes.isEmpty {
            if !first { document.append(contentsOf: Array(",\n".utf8)) }
            document.append(contentsOf: block.bytes)
            first = false
        }
        document.append(contentsOf: Array("]}\n".utf8))
        return document
    }

    /// `body(i, text)` for every i in 0..<count on `parallelism`'s threads, features joined by ",\n" into
    /// blocks of consecutive features (the blocks do not depend on the thread count).
    static func encodeInParallel(_ parallelism: Parallelism, _ count: Int, _ body: (Int, inout JSONText) -> Void) -> [JSONText] {
        let block = 512
        var blocks = [JSONText](repeating: JSONText(), count: (count + block - 1) / block)
        blocks.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            parallelism.chunks(buffer.count, minimumChunk: 4) { range in
                for b in range {
                    var text = JSONText()
                    for i in (b * block)..<min(count, (b + 1) * block) {
                        if i > b * block { text.append(",\n") }
                        body(i, &text)
                    }
                    base[b] = text
                }
            }
        }
        return blocks
    }

    /// One hex string per hidden layer: unit i of the layer is bit i of the number (most significant digit first).
    public static func layerHex(_ pattern: ActivationPattern, widths: [Int]) -> [String] {
        var offset = 0
        return widths.map { width in
            var text = JSONText()
            text.hex(pattern, bits: offset..<(offset + width))
            offset += width
            return String(decoding: text.bytes, as: UTF8.self)
        }
    }

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

/// GeoJSON text appended as UTF-8 bytes, in the forms `PartitionGeoJSON`'s String helpers write.
struct JSONText {
    var bytes: [UInt8] = []

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(_ value: Int) {
        if value >= 0 && value < 10 { bytes.append(UInt8(ascii: "0") + UInt8(value)) } else { append(String(value)) }
    }

    /// Shortest round-trip decimal; non-finite values (never expected) become null.
    mutating func append(_ x: Double) { x.isFinite ? append(x.description) : append("null") }

    mutating func position(_ p: Point2) {
        append("["); append(p.x); append(","); append(p.y); append("]")
    }

    /// A closed counter-clockwise ring: the first point again at the end.
    mutating func polygon(_ ring: [Point2]) {
        append("{\"type\":\"Polygon\",\"coordinates\":[[")
        for point in ring { position(point); append(",") }
        position(ring[0])
        append("]]}")
    }

    mutating func lineString(_ points: [Point2]) {
        append("{\"type\":\"LineString\",\"coordinates\":[")
        for (k, point) in points.enumerated() {
            if k > 0 { append(",") }
            position(point)
        }
        append("]}")
    }

    /// The bits of `pattern` in `range` as one hex number, most significant digit first.
    mutating func hex(_ pattern: ActivationPattern, bits range: Range<Int>) {
        let width = range.count, count = (width + 3) / 4
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        let hexDigits = ("0123456789abcdef" as StaticString).utf8Start
        bytes.withUnsafeMutableBufferPointer { digits in
            // Sixteen digits per 64-bit word, written from the lowest back.
            var k = 0
            while k < count {
                var word = pattern.word(at: range.lowerBound + 4 * k, width: min(64, width - 4 * k))
                for j in 0..<min(16, count - k) {
                    digits[start + count - 1 - k - j] = hexDigits[Int(word & 15)]
                    word >>= 4
                }
                k += 16
            }
        }
    }
}

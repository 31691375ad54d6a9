import Foundation
@testable import Render
import Slicer
import Testing

@Suite(.timeLimit(.minutes(20)))
struct ViewerPageTests {
    static let slices = [EngineSlices.ternary, EngineSlices.make(widths: [16, 24, 24, 3], seed: 6)]

    static func frames() -> [ViewerFrame] {
        slices.enumerated().map { ViewerFrame($1, step: 10 * $0, title: "step \(10 * $0) · \($1.regions.count) regions") }
    }

    /// The page's embedded data document.
    static func data(_ html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: "<script id=\"tessera-data\" type=\"application/json\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = Data(html[start.upperBound..<end.lowerBound].utf8)
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    /// Frame `index`'s typed arrays, from its own element of the page.
    static func blob(_ html: String, frame index: Int) throws -> Data {
        let start = try #require(html.range(of: "<script type=\"application/octet-stream\" id=\"frame-\(index)\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return try #require(Data(base64Encoded: String(html[start.upperBound..<end.lowerBound])))
    }

    /// Reads a frame's stream as the page does (the layout is documented on ViewerFrame).
    struct Reader {
        var bytes: [UInt8]
        var at = 0
        mutating func next() -> Int {
            var value = 0, shift = 0
            while true {
                let b = bytes[at]; at += 1
                value |= Int(b & 0x7f) << shift; shift += 7
                if b < 0x80 { return value }
            }
        }
        mutating func signed() -> Int { let v = next(); return v % 2 == 1 ? -(v + 1) / 2 : v / 2 }
        mutating func raw(_ count: Int) -> [UInt8] { defer { at += count }; return Array(bytes[at..<(at + count)]) }
    }

    @Test func pageNeedsNothingFromOutside() throws {
        let html = try ViewerPage(heading: "run </script><script>alert(1)</script>", frames: Self.frames()).html()
        for reference in ["src=", "href=", "http://", "https://", "@import", "url(", "@font-face"] {
            #expect(!html.contains(reference), "the page refers to \(reference)")
        }
        // The heading cannot close the data or script elements.
        #expect(html.components(separatedBy: "</script>").count - 1 == 2 + Self.slices.count)
        #expect(html.contains("&lt;/script&gt;"))
    }

    /// A page of a small neighbourhood (disk around one anchor) opens on the disk, not on the three anchors.
    @Test func neighbourhoodPageIsFramedOnItsDomain() throws {
        let (network, anchors) = try standardWorkload(widths: [16, 24, 24, 3], seed: 5)
        let disk = try slice(network: network, anchors: anchors, options: SliceOptions(domain: .disk(radius: 0.01, anchor: 1)))
        var page = ViewerPage(heading: "disk", frames: [ViewerFrame(disk, step: 0, title: "disk")])
        let wide = try #require(try Self.data(page.html())["bounds"] as? [Double])
        page.neighbourhoodView = true
        let framed = try #require(try Self.data(page.html())["bounds"] as? [Double])
        let xs = disk.domainPolygon.map(\.x), ys = disk.domainPolygon.map(\.y)
        // The view holds the disk with a small margin, and the far anchors only in the wide view.
        #expect(framed[0] <= xs.min()! && framed[2] >= xs.max()! && framed[1] <= ys.min()! && framed[3] >= ys.max()!)
        #expect(framed[2] - framed[0] < 0.03 && framed[3] - framed[1] < 0.03)
        #expect(wide[2] - wide[0] > 10 * (framed[2] - framed[0]))
    }

    @Test func framesHoldEveryRegionEdgeAndBoundarySegment() throws {
        let html = try ViewerPage(heading: "run", frames: Self.frames()).html()
        let data = try Self.data(html)
        let frames = try #require(data["frames"] as? [[String: Any]])
        #expect(frames.count == 2)
        for (index, (frame, result)) in zip(frames, Self.slices).enumerated() {
            let counts = try #require(frame["counts"] as? [String: Int])
            let gridValues = try #require(frame["grid"] as? [Int])
            let grid = ViewerGrid(around: result.domainPolygon + result.vertices)
            #expect(gridValues == [grid.exponent, grid.originX, grid.originY])
            let corners = result.regions.reduce(0) { $0 + $1.vertexIndices.count }
            var stream = Reader(bytes: try #require(Deflate.inflate(try Self.blob(html, frame: index), expectedSize: 64 * corners + 4096)))
            let n = result.regions.count
            #expect(counts["corners"] == corners && counts["vertices"] == result.vertices.count && counts["edges"] == result.edges.count)
            #expect((0..<n).map { _ in stream.next() } == result.regions.map(\.vertexIndices.count))
            let back = (0..<corners).map { _ in stream.next() }
            // Every corner lands on its vertex's grid point.
            var points: [(Int, Int)] = [], previous = (0, 0), k = 0
            for region in result.regions {
                for vertex in region.vertexIndices {
                    if back[k] == 0 { previous = (previous.0 + stream.signed(), previous.1 + stream.signed()); points.append(previous) }
                    else { previous = points[points.count - back[k]] }
                    let expected = grid.quantise(result.vertices[vertex])
                    #expect(previous == (expected.x, expected.y))
                    k += 1
                }
            }
            #expect(points.count == result.vertices.count)
            // Every edge is met once as a region side, on its layer.
            var perLayer: [Int: Int] = [:]
            for _ in 0..<counts["sides"]! {
                let layer = stream.next()
                guard layer > 0 else { continue }
                perLayer[layer - 1, default: 0] += 1
                _ = stream.next(); _ = stream.next()
            }
            #expect(counts["looseEdges"] == 0)
            for layer in 0..<counts["layers"]! {
                #expect(perLayer[layer, default: 0] == result.edges.filter { $0.layer == layer }.count)
            }
            #expect((0..<n).map { _ in stream.next() } == result.regions.map(\.predictedClass))
            let low = stream.raw(n), high = stream.raw(n)
            // Fills are the pictures' colours.
            let key = UInt16(low[9]) | UInt16(high[9]) << 8
            #expect(Palette.pastel(key: key) == Palette.pastel(hash: result.regions[9].pattern.stableHash))
            let area = stream.raw(3 * n)
            let bits = UInt32(area[3]) << 24 | UInt32(area[n + 3]) << 16 | UInt32(area[2 * n + 3]) << 8
            #expect(abs(Double(Float(bitPattern: bits)) / result.regions[3].area - 1) <= 0x1p-16)
            _ = stream.raw(3 * n)
            for _ in 0..<(4 * result.boundarySegments.count) { _ = stream.signed() }
            #expect(counts["boundary"] == result.boundarySegments.count)
            for _ in 0..<counts["cells"]! {
                _ = stream.next(); _ = stream.next()
                for _ in 0..<(2 * stream.next()) { _ = stream.signed() }
            }
            #expect(stream.at == stream.bytes.count)
        }
    }

    @Test func geoJSONHasEveryFeature() throws {
        let result = Self.slices[0]
        let data = PartitionGeoJSON.encode(result, anchorLabels: ["a", "b", "c"], step: 7)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(document["features"] as? [[String: Any]])
        var kinds: [String: Int] = [:]
        for feature in features {
            let properties = try #require(feature["properties"] as? [String: Any])
            kinds[try #require(properties["kind"] as? String), default: 0] += 1
        }
        #expect(kinds["region"] == result.regions.count)
        #expect((kinds["edge"] ?? 0) + (kinds["domain_edge"] ?? 0) == result.edges.count)
        #expect((kinds["decision_boundary"] ?? 0) == result.boundarySegments.count)
        #expect(kinds["anchor"] == 3 && kinds["domain"] == 1)
        let first = try #require(features[0]["properties"] as? [String: Any])
        // Shortest round-trip decimals (Foundation's JSON parser on Linux is not correctly rounded: compare the text).
        #expect(first["id"] as? Int == 0)
        #expect(String(decoding: data, as: UTF8.self).contains("\"area\":\(result.regions[0].area),"))
        let ring = try #require(((features[0]["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        #expect(ring.count == result.regions[0].vertexIndices.count + 1 && ring.first == ring.last)
    }

    @Test func patternHexPutsUnitIAtBitI() {
        var pattern = ActivationPattern(count: 10)
        pattern[0] = true; pattern[5] = true; pattern[9] = true
        // Layer 1: units 0..5 → bits 0 and 5 → 0x21; layer 2: units 6..9 → its unit 3 → 0x8.
        #expect(PartitionGeoJSON.layerHex(pattern, widths: [6, 4]) == ["21", "8"])
    }
}

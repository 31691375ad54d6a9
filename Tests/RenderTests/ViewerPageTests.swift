import Foundation
import Render
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

    static func decode<T>(_ blob: Data, _ frame: [String: Any], _ key: String, as _: T.Type) throws -> [T] {
        let entry = try #require((frame["layout"] as? [String: [Int]])?[key])
        #expect(entry[0] % 4 == 0)
        let bytes = blob.subdata(in: entry[0]..<(entry[0] + entry[1] * MemoryLayout<T>.stride))
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
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
            let blob = try Self.blob(html, frame: index)
            let offsets = try Self.decode(blob, frame, "ro", as: UInt32.self)
            let corners = try Self.decode(blob, frame, "rc", as: UInt32.self)
            #expect(offsets.count == result.regions.count + 1)
            #expect(Int(offsets.last!) == corners.count)
            #expect(corners.count == result.regions.reduce(0) { $0 + $1.vertexIndices.count })
            #expect(Array(corners[Int(offsets[7])..<Int(offsets[8])]).map(Int.init) == result.regions[7].vertexIndices)
            let vertices = try Self.decode(blob, frame, "vx", as: Float.self)
            #expect(vertices.count == 2 * result.vertices.count)
            #expect(vertices[2 * 5] == Float(result.vertices[5].x))
            let layerOffsets = try #require(frame["eo"] as? [Int])
            #expect(layerOffsets.last == result.edges.count)
            for layer in 0..<(layerOffsets.count - 1) {
                #expect(layerOffsets[layer + 1] - layerOffsets[layer] == result.edges.filter { $0.layer == layer }.count)
            }
            #expect(try Self.decode(blob, frame, "b", as: Float.self).count == 4 * result.boundarySegments.count)
            let areas = try Self.decode(blob, frame, "area", as: Float.self)
            #expect(areas[3] == Float(result.regions[3].area))
            // Pattern fills are the pictures' colours.
            let fills = try Self.decode(blob, frame, "pf", as: UInt8.self)
            let colour = Palette.pastel(hash: result.regions[9].pattern.stableHash).bytes
            #expect(Array(fills[27..<30]) == [colour.r, colour.g, colour.b])
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

import Foundation
import Slicer
import Testing

/// The GeoJSON writer's patterns and features, against the slice they encode.
@Suite struct GeoJSONTests {
    /// Layer widths around the writer's 4-bit digits and 64-bit words, and a max-pool layer's 6,272 bits.
    static let widths = [1, 3, 4, 5, 63, 64, 65, 130, 6_272]

    /// One layer's hex number digit by digit from its bits: digit k from the end holds bits 4k…4k+3.
    static func referenceHex(_ pattern: ActivationPattern, offset: Int, width: Int) -> String {
        let digits = (width + 3) / 4
        return String((0..<digits).reversed().map { k in
            let value = (0..<4).reduce(0) { sum, b in 4 * k + b < width && pattern[offset + 4 * k + b] ? sum | (1 << b) : sum }
            return Array("0123456789abcdef")[value]
        })
    }

    @Test func everyLayerIsItsBitsInHex() {
        var random = SeededGenerator(seed: 29)
        var pattern = ActivationPattern(count: Self.widths.reduce(0, +))
        for i in 0..<pattern.count where random.nextUnit() < 0.4 { pattern[i] = true }
        var offset = 0, expected: [String] = []
        for width in Self.widths {
            expected.append(Self.referenceHex(pattern, offset: offset, width: width))
            offset += width
        }
        #expect(PartitionGeoJSON.layerHex(pattern, widths: Self.widths) == expected)
    }

    /// A real slice: one feature per region, edge, boundary segment, the domain and each anchor, in that
    /// order; each region's ring closed, its pattern its bits, its numbers the slice's.
    @Test func featuresAreTheSlicesOwn() throws {
        let (network, anchors) = try standardWorkload(widths: [16, 24, 24, 3], seed: 7)
        let result = try slice(network: network, anchors: anchors)
        let data = PartitionGeoJSON.encode(result, anchorLabels: ["a", "b\"c", "d"], parallelism: Parallelism(threads: 2))
        #expect(data.last == UInt8(ascii: "\n"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(document["features"] as? [[String: Any]])
        let kinds = features.map { ($0["properties"] as? [String: Any])?["kind"] as? String ?? "" }
        let edges = result.edges.map { $0.layer > 0 ? "edge" : "domain_edge" }
        #expect(kinds == Array(repeating: "region", count: result.regions.count) + edges
                + Array(repeating: "decision_boundary", count: result.boundarySegments.count) + ["domain", "anchor", "anchor", "anchor"])
        // Numbers are checked in the text, as Swift's shortest round-trip decimals: a JSON parser may round them.
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == features.count)
        let widths = result.layers.map(\.neurons)
        for (id, region) in result.regions.enumerated() {
            let properties = try #require(features[id]["properties"] as? [String: Any])
            #expect(properties["id"] as? Int == id)
            #expect(properties["pattern"] as? [String] == PartitionGeoJSON.layerHex(region.pattern, widths: widths))
            #expect(properties["class"] as? Int == region.predictedClass)
            let ring = (region.vertexIndices + [region.vertexIndices[0]]).map { "[\(result.vertices[$0].x),\(result.vertices[$0].y)]" }
            #expect(lines[id].contains("\"coordinates\":[[" + ring.joined(separator: ",") + "]]}"), "region \(id)")
            #expect(lines[id].contains("\"area\":\(region.area),\"vertices\":\(region.vertexIndices.count),\"slope\":\(region.slope)}"), "region \(id)")
        }
        let labels = features.suffix(3).map { ($0["properties"] as? [String: Any])?["label"] as? String }
        #expect(labels == ["a", "b\"c", "d"])
    }
}

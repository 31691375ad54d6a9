// `slice --regions` and `view` through the real executable: the GeoJSON agrees with the JSON summary,
// exact vertices are the float vertices' exact values, and bad uses fail with one line.

import Foundation
import Polytope
import Testing

@Suite("slice --regions and view")
struct RegionsCLITests {
    static func features(_ path: String) throws -> [[String: Any]] {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return try #require(document?["features"] as? [[String: Any]])
    }

    static func kind(_ feature: [String: Any]) -> String { (feature["properties"] as? [String: Any])?["kind"] as? String ?? "" }

    @Test func geoJSONAgreesWithTheSummaryAndExactVerticesWithTheFloats() throws {
        let s = try CLIScratch()
        let run = try runTessera(sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"),
                                                ["--json", s.file("out.json"), "--regions", s.file("out.geojson"), "--exact-vertices"]))
        #expect(run.status == 0, "\(run)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(s.bytes("out.json"))) as? [String: Any])
        let features = try Self.features(s.file("out.geojson"))
        let regions = features.filter { Self.kind($0) == "region" }
        #expect(regions.count == summary["regions"] as? Int)
        #expect(features.filter { ["edge", "domain_edge"].contains(Self.kind($0)) }.count == summary["edges"] as? Int)
        let anchors = features.filter { Self.kind($0) == "anchor" }.compactMap { ($0["geometry"] as? [String: Any])?["coordinates"] as? [Double] }
        #expect(anchors.count == 3)
        // u = s·|d1| with |d1| the second anchor's u, v = t·|d2| with |d2| the third anchor's v.
        let length1 = anchors[1][0], length2 = anchors[2][1]
        var checked = 0
        for region in regions {
            let ring = try #require(((region["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
            let exact = try #require((region["properties"] as? [String: Any])?["exact_vertices"] as? [[String]])
            #expect(exact.count == ring.count - 1)
            for (point, pair) in zip(ring, exact) {
                let s = try #require(Self.rational(pair[0])), t = try #require(Self.rational(pair[1]))
                #expect(abs(s * length1 - point[0]) <= 1e-9 * (1 + abs(point[0])))
                #expect(abs(t * length2 - point[1]) <= 1e-9 * (1 + abs(point[1])))
                checked += 1
            }
        }
        #expect(checked > 30)
    }

    /// "p/q" or "p" as a Double (the tests compare with float coordinates).
    static func rational(_ text: String) -> Double? {
        let parts = text.split(separator: "/").map(String.init)
        guard let p = Double(parts[0]) else { return nil }
        if parts.count == 1 { return p }
        // Numerators and denominators can exceed Double's range: compare their leading digits.
        let numerator = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "-")), denominator = parts[1]
        let shift = Double(numerator.count - denominator.count)
        guard let a = Double(String(numerator.prefix(17))), let b = Double(String(denominator.prefix(17))) else { return nil }
        let value = a / b * pow(10, shift - Double(min(17, numerator.count) - min(17, denominator.count)))
        return parts[0].hasPrefix("-") ? -value : value
    }

    @Test func exactVerticesNeedRegions() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--exact-vertices"]),
                           "--exact-vertices needs --regions")
    }

    @Test func unwritableRegionsWriteNothing() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"),
                                             ["--regions", s.file("missing/out.geojson")]), "does not exist")
    }

    @Test func viewOfAMissingRunFailsWithOneLine() throws {
        let s = try CLIScratch()
        try expectRejected(s, ["view", s.file("no-run"), "--out", s.file("v.html")], "no-run", withOutputs: false)
        try expectRejected(s, ["view", s.file("no-run"), "--fill", "rainbow"], "--fill", status: 2, withOutputs: false)
    }
}

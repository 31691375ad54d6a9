// `slice --regions` and `view` through the real executable: the GeoJSON agrees with the JSON summary,
// exact vertices are the float vertices' exact values, and bad uses fail with one line.

import BigInt
import Foundation
import Polytope
import Slicer
import Testing
import TestSupport

@Suite("slice --regions and view", .timeLimit(.minutes(20)))
struct RegionsCLITests {
    static func features(_ path: String) throws -> [[String: Any]] {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return try #require(document?["features"] as? [[String: Any]])
    }

    static func kind(_ feature: [String: Any]) -> String { (feature["properties"] as? [String: Any])?["kind"] as? String ?? "" }

    /// Every vertex's floats are checked against its rationals; the rationals' exact incidence (rational
    /// arithmetic, slow in a debug build) on the first 24 distinct vertices (of about 200), on all with `fullTests`.
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
        let lines = ExactLines(network: s.network, anchors: s.anchors, domain: try DomainSpec(parsing: "square:1.5"))
        var checked = 0, seen = Set<[String]>()
        noteFullTestsOnly("geoJSONAgreesWithTheSummaryAndExactVerticesWithTheFloats", "the exact incidence of every vertex (here the first 24)")
        for region in regions {
            let ring = try #require(((region["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
            let exact = try #require((region["properties"] as? [String: Any])?["exact_vertices"] as? [[String]])
            #expect(exact.count == ring.count - 1)
            for (point, pair) in zip(ring, exact) {
                let s = try #require(Self.rational(pair[0])), t = try #require(Self.rational(pair[1]))
                // The float coordinates are the exact ones rounded.
                #expect(abs(s.doubleValue * length1 - point[0]) <= 1e-12 * (1 + abs(point[0])), "\(pair) vs \(point)")
                #expect(abs(t.doubleValue * length2 - point[1]) <= 1e-12 * (1 + abs(point[1])), "\(pair) vs \(point)")
                // Exactly: a vertex is where two of the slice's lines meet (units whose input is zero
                // there, or sides of the domain), in exact arithmetic.
                if seen.count < (fullTests ? .max : 24), seen.insert(pair).inserted {
                    let meeting = try lines.count(at: s, t)
                    #expect(meeting >= 2, "vertex \(pair) lies on \(meeting) line(s)")
                }
                checked += 1
            }
        }
        #expect(checked > 30 && seen.count > 20, "\(checked) vertices, \(seen.count) distinct checked exactly")
    }

    /// "p/q" or "p" as an exact rational.
    static func rational(_ text: String) -> Rational? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let p = BigInt(parts[0]) else { return nil }
        guard parts.count == 2 else { return Rational(p) }
        guard let q = BigInt(parts[1]), q > 0 else { return nil }
        return Rational(p, q)
    }

    /// The lines of an MLP's slice, exactly: each hidden unit's input and each side of the domain,
    /// evaluated at a point (s, t) of the GeoJSON's frame (x = x1 + s·d1 + t·d2, d2 the part of
    /// x3 − x1 orthogonal to d1).
    struct ExactLines {
        var layers: [(weights: [[Rational]], bias: [Rational])]
        var x1: [Rational], d1: [Rational], d2: [Rational]
        /// The domain's corners in the same frame.
        var corners: [(s: Rational, t: Rational)]

        init(network: Network, anchors: [[Double]], domain: DomainSpec) {
            func r(_ x: Double) -> Rational { Rational(Dyadic(x)) }
            layers = network.layers.dropLast().map { layer in
                ((0..<layer.outputs).map { j in (0..<layer.inputs).map { r(layer.weight(j, $0)) } }, layer.bias.map(r))
            }
            x1 = anchors[0].map(r)
            d1 = zip(anchors[1], anchors[0]).map { r($0) - r($1) }
            let u = zip(anchors[2], anchors[0]).map { r($0) - r($1) }
            let dot = { (a: [Rational], b: [Rational]) in zip(a, b).reduce(Rational.zero) { $0 + $1.0 * $1.1 } }
            let rho = dot(u, d1) / dot(d1, d1)
            d2 = zip(u, d1).map { $0 - rho * $1 }
            // The domain's corners are in the plane's (s', t') with x = x1 + s'·d1 + t'·u: s = s' + ρt'.
            let plane = try! SlicePlane(anchors: anchors)
            corners = try! domain.corners(plane: plane).map { (s: r($0.s) + rho * r($0.t), t: r($0.t)) }
        }

        /// How many of the slice's lines pass through (s, t).
        func count(at s: Rational, _ t: Rational) throws -> Int {
            var x = x1.indices.map { x1[$0] + s * d1[$0] + t * d2[$0] }
            var zeros = 0
            for layer in layers {
                let inputs = zip(layer.weights, layer.bias).map { row, b in zip(row, x).reduce(b) { $0 + $1.0 * $1.1 } }
                zeros += inputs.filter { $0.signum == 0 }.count
                x = inputs.map { $0.signum > 0 ? $0 : Rational.zero }
            }
            for i in corners.indices {
                let a = corners[i], b = corners[(i + 1) % corners.count]
                if ((b.s - a.s) * (t - a.t) - (b.t - a.t) * (s - a.s)).signum == 0 { zeros += 1 }
            }
            return zeros
        }
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

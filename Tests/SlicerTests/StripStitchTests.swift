import Polytope
import Slicer
import Testing
@testable import Analysis
@testable import Engine
@testable import Models

/// A sharded slice: the domain's strips, sliced one by one and stitched, are the one subdivision a
/// single process computes: the same regions (patterns, classes, corners, class cells), edges and
/// per-layer statistics, with vertices at the same places.
@Suite struct StripStitchTests {
    static let domains: [DomainSpec] = [.square(scale: 1.5), .disk(radius: 0.6, anchor: 2), .diamond(radius: 0.7, anchor: 1),
                                        .triangle(scale: 1.2)]

    @Test(arguments: [1, 2, 3])
    func stitchedMLPStripsAreTheOneProcessSlice(seed: Int) throws {
        var random = TestRandom(seed: UInt64(seed))
        let network = randomNetwork(widths: [5, 10, 8, 3], activation: .relu, random: &random)
        let anchors = (0..<3).map { _ in (0..<5).map { _ in random.uniform() } }
        for domain in Self.domains {
            for count in [2, 3] {
                try Self.expectSame(domain: domain, count: count, anchors: anchors, context: "seed \(seed) \(domain) N=\(count)") { options in
                    try slice(network: network, anchors: anchors, options: options)
                }
            }
        }
    }

    @Test(arguments: [4, 5])
    func stitchedGraphStripsAreTheOneProcessSlice(seed: Int) throws {
        var random = TestRandom(seed: UInt64(seed))
        let network = randomNetwork(widths: [4, 9, 7, 2], activation: .relu, random: &random)
        let anchors = (0..<3).map { _ in (0..<4).map { _ in random.uniform() } }
        let plane = try SlicePlane(anchors: anchors)
        for domain in Self.domains.prefix(2) {
            for count in [2, 3] {
                try Self.expectSame(domain: domain, count: count, anchors: anchors, context: "graph seed \(seed) \(domain) N=\(count)",
                                    bitwise: false) { options in
                    try sliceWithGraphEngine(graph: GraphModel(network: network), plane: plane, options: options)
                }
            }
        }
    }

    /// Degenerate: in the plane (x, y) itself, unit lines x = 0 and x = 1/3, and a vertex at (0, 0),
    /// on the seams of a square [−1, 1]² cut in 2 and 3 (seams x = 0, x = ±1/3).
    @Test func linesAlongASeamAndVerticesOnItAreKept() throws {
        let network = makeNetwork([
            [([1, 0], 0), ([3, 0], -1), ([0, 1], 0), ([1, 1], 0), ([1, -1], 0.25)],
            [([1, -1, 1, 0.5, -0.5], 0.1), ([-1, 1, 0.5, 1, 1], -0.2)],
        ])
        // Anchors (−1, −1), (1, −1), (−1, 1): s, t ∈ [0, 1] map onto [−1, 1]², seams s = 1/2 and s = 1/3, 2/3.
        let anchors: [[Double]] = [[-1, -1], [1, -1], [-1, 1]]
        for count in [2, 3] {
            try Self.expectSame(domain: .triangle(scale: 1), count: count, anchors: anchors, context: "triangle N=\(count)") { options in
                try slice(network: network, anchors: anchors, options: options)
            }
            try Self.expectSame(domain: .square(scale: 1), count: count, anchors: anchors, context: "square N=\(count)") { options in
                try slice(network: network, anchors: anchors, options: options)
            }
        }
    }

    /// `bitwise`: the floats too are the same (the MLP engine's are functions of a region's pattern).
    static func expectSame(domain: DomainSpec, count: Int, anchors: [[Double]], context: String, bitwise: Bool = true,
                           _ run: (SliceOptions) throws -> SliceResult) throws {
        let plane = try SlicePlane(anchors: anchors)
        var options = SliceOptions(domain: domain)
        options.parallelism = Parallelism(threads: 1)
        let one = try run(options).canonicalized()
        var strips: [StripSlice] = []
        for index in 1...count {
            var stripOptions = options
            stripOptions.strip = SliceStrip(index: index, count: count)
            let result = try run(stripOptions)
            let strip = StripSlice(result, strip: SliceStrip(index: index, count: count), corners: try domain.corners(plane: plane))
            // Through the binary part format, as merge reads it.
            let bytes = try strip.encoded()
            strips.append(try StripSlice(encoded: bytes, source: "strip \(index)"))
            #expect(throws: TesseraError.self) { try StripSlice(encoded: bytes.dropLast(), source: "cut") }
        }
        let stitched = try StripStitcher.stitch(strips)
        let a = structure(one), b = structure(stitched)
        let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] }
        #expect(a.count == b.count && first == nil,
                "\(context): \(a.count) vs \(b.count) lines; first difference: \(first.map { "\(a[$0]) ≠ \(b[$0])" } ?? "-")")
        // Vertices are the same exact points; their float approximations are the same floats for the
        // MLP engine (`bitwise`: functions of a region's pattern), and each within its certified bound
        // of the point for the graph engine, so they may differ in the last bits there.
        let scale = one.domainPolygon.map { max(abs($0.x), abs($0.y)) }.max()! * (bitwise ? 0 : 1)
        for (r, s) in zip(one.regions, stitched.regions) where r.vertexIndices.count == s.vertexIndices.count {
            let p = r.vertexIndices.map { one.vertices[$0] }, q = s.vertexIndices.map { stitched.vertices[$0] }
            let close = q.indices.contains { shift in p.indices.allSatisfy { (p[$0] - q[($0 + shift) % q.count]).length <= 1e-12 * scale } }
            #expect(close, "\(context): region \(r.pattern.words): \(p) vs \(q)")
            #expect(abs(r.slope - s.slope) <= (bitwise ? 0 : 1e-9) * max(r.slope, s.slope), "\(context): slope of region \(r.pattern.words)")
        }
        #expect(abs(one.boundaryLength - stitched.boundaryLength) <= 1e-12 * scale * Double(one.boundarySegments.count + 1), "\(context)")
    }

    /// The exact structure: counts, per-layer statistics, each region's pattern, class, corner count
    /// and class cells, the edges' units.
    static func structure(_ r: SliceResult) -> [String] {
        var lines = ["regions \(r.regions.count) vertices \(r.vertices.count) edges \(r.edges.count) segments \(r.boundarySegments.count)",
                     "domain \(r.domainPolygon) \(r.domainArea)"]
        lines += r.layers.map { "layer \($0.index) \($0.neurons) cut \($0.neuronsCut) regions \($0.regions)" }
        for region in r.regions {
            lines.append("region \(region.pattern.words) class \(region.predictedClass) corners \(region.vertexIndices.count) "
                         + "cells \(region.classCells.map { "\($0.label):\($0.polygon.count)" })")
        }
        lines += r.edges.map { "edge \($0.layer)/\($0.neuron)" }.sorted()
        return lines
    }
}

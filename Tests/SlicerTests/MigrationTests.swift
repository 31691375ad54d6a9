import Foundation
import Polytope
import Slicer
import Testing

/// The migration measures on partitions worked out by hand.
@Suite(.timeLimit(.minutes(20)))
struct MigrationTests {
    /// The square [0, 2]² with one neuron edge on x = 1.2 (full height) and the decision boundary on x = 1.5.
    static func square(anchors: [Point2], boundary: [(Point2, Point2)]) -> SliceResult {
        let corners = [Point2(0, 0), Point2(2, 0), Point2(2, 2), Point2(0, 2)]
        let vertices = corners + [Point2(1.2, 0), Point2(1.2, 2)]
        return SliceResult(arithmetic: "exact", domainKind: "square", domainPolygon: corners, domainArea: 4, anchors: anchors,
                           vertices: vertices, regions: [], edges: [SliceEdge(from: 4, to: 5, layer: 1, neuron: 0),
                                                                    SliceEdge(from: 0, to: 1, layer: 0, neuron: 0)],
                           boundarySegments: boundary, layers: [], outputs: 1, seconds: 0)
    }

    @Test func boundaryDensityRatioDividesTheLengthShareByTheAreaShare() {
        let result = Self.square(anchors: [Point2(0.3, 0.3), Point2(0.3, 1.7), Point2(0.5, 1)],
                                 boundary: [(Point2(1.5, 0), Point2(1.5, 2))])
        let stats = migration(result, delta: 0.5)
        #expect(stats.edgeLength == 2)
        // The whole edge lies within 0.5 of the boundary, in a band [1, 2] × [0, 2]: half the domain.
        #expect(stats.nearBoundary == 1)
        #expect(abs(stats.areaNearBoundary - 0.5) < 1e-6)
        #expect(abs(stats.boundaryDensityRatio - 2) < 1e-5)
        // A longer boundary widens the band: the share of length cannot grow past 1, the ratio falls.
        let wide = migration(Self.square(anchors: result.anchors, boundary: [(Point2(1.5, 0), Point2(1.5, 2)), (Point2(0.5, 0), Point2(0.5, 2))]),
                             delta: 0.5)
        #expect(wide.nearBoundary == 1)
        #expect(abs(wide.areaNearBoundary - 1) < 1e-6)
        #expect(abs(wide.boundaryDensityRatio - 1) < 1e-5)
    }

    @Test func anchorDensityRatioUsesTheDisksInsideTheDomain() {
        // A disk of radius 0.25 around (1.2, 1) holds 0.5 of the 2 units of edge; a disk in a corner
        // keeps a quarter of its area inside the domain.
        let result = Self.square(anchors: [Point2(1.2, 1), Point2(0, 0), Point2(0.4, 1.6)], boundary: [])
        let stats = migration(result, delta: 0.25)
        #expect(abs(stats.nearAnchors - 0.25) < 1e-12)
        let disk = Double.pi * 0.25 * 0.25
        let area = (disk + disk / 4 + disk) / 4
        #expect(abs(stats.areaNearAnchors - area) / area < 1e-4)
        #expect(abs(stats.anchorDensityRatio - 0.25 / area) / (0.25 / area) < 1e-4)
        // No decision boundary: no band, and no ratio.
        #expect(stats.nearBoundary == 0 && stats.areaNearBoundary == 0)
        #expect(stats.boundaryDensityRatio.isNaN)
    }
}

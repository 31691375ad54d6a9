import Render
import Slicer

/// The numbers of one frame of a partition sequence: one row of partition.csv.
public struct PartitionRow: Sendable {
    public var step: Int
    public var regions: Int, vertices: Int, edges: Int
    public var neuronsCut: [Int]
    public var boundarySegments: Int
    public var boundaryLength: Double
    /// Regions meeting the disk of the sequence's radius around each anchor.
    public var regionsNearAnchors: [Int]
    public var migration: MigrationStats
    public var testAccuracy: Double?

    /// The numbers of a slice at `step`.
    public init(step: Int, result: SliceResult, radius: Double, delta: Double, testAccuracy: Double?) {
        self.step = step
        regions = result.regions.count; vertices = result.vertices.count; edges = result.edges.count
        neuronsCut = result.layers.map(\.neuronsCut)
        boundarySegments = result.boundarySegments.count
        boundaryLength = result.boundaryLength
        regionsNearAnchors = result.anchors.map { regionsNear($0, radius: radius, in: result) }
        migration = Slicer.migration(result, delta: delta)
        self.testAccuracy = testAccuracy
    }

    /// The partition.csv header for `layers` hidden layers, naming anchors as in the pictures.
    public static func csvHeader(layers: Int, anchors: AnchorNames) -> String {
        (["step", "regions", "vertices", "edges"] + (0..<layers).map { "neurons_cut_layer\($0 + 1)" }
            + ["boundary_segments", "boundary_length"] + anchors.columns.map { "regions_near_\($0)" }
            + ["edge_length", "edge_share_near_anchors", "area_share_near_anchors", "edge_density_ratio_near_anchors",
               "edge_share_near_boundary", "area_share_near_boundary", "edge_density_ratio_near_boundary", "test_accuracy"])
            .joined(separator: ",")
    }

    /// The row; a ratio without a neighbourhood (no decision boundary) and an unknown accuracy are empty.
    public var csv: String {
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "" }
        let m = migration
        return (["\(step)", "\(regions)", "\(vertices)", "\(edges)"] + neuronsCut.map(String.init)
            + ["\(boundarySegments)", "\(boundaryLength)"] + regionsNearAnchors.map(String.init)
            + [m.edgeLength, m.nearAnchors, m.areaNearAnchors, m.anchorDensityRatio,
               m.nearBoundary, m.areaNearBoundary, m.boundaryDensityRatio].map(number)
            + [testAccuracy.map(number) ?? ""]).joined(separator: ",")
    }
}

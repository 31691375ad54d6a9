import Foundation
import Slicer

/// The look of partition pictures as a user chooses it (fill, edges, size, thumbnails, title),
/// turned into a `PartitionStyle` for a given slice and its anchors.
public struct PictureSettings: Sendable {
    public var fill: PartitionStyle.Fill = .pattern
    public var edges: PartitionStyle.Edges = .dark
    /// Side of the square picture (pixels for PNG, points for SVG and PDF), 64...16384.
    public var size = 1200
    /// Image shape of the inputs (rows, columns) for anchor thumbnails; nil: a square dimension, if any.
    public var imageShape: (rows: Int, columns: Int)?
    public var thumbnails = true
    /// nil: the step and region count, or the region count.
    public var title: String?

    public init(fill: PartitionStyle.Fill = .pattern, edges: PartitionStyle.Edges = .dark, size: Int = 1200,
                imageShape: (rows: Int, columns: Int)? = nil, thumbnails: Bool = true, title: String? = nil) {
        self.fill = fill; self.edges = edges; self.size = size; self.imageShape = imageShape
        self.thumbnails = thumbnails; self.title = title
    }

    /// The style of a picture of `result`, with one label per anchor (nil: x₁, x₂, x₃) and class
    /// names from the dataset directory (nil: "class k").
    public func style(for result: SliceResult, labels: [String]?, anchors: [[Double]], step: Int? = nil,
                      dataDirectory: String? = nil) throws -> PartitionStyle {
        guard (64...16384).contains(size) else { throw TesseraError.badInput("--size must be between 64 and 16384 pixels") }
        var style = PartitionStyle(fill: fill, edges: edges, width: size, height: size)
        style.classNames = dataDirectory.flatMap(ClassNames.names(directory:))
        style.title = title ?? (step.map { PartitionStyle.title(step: $0, regions: result.regions.count) }
                                ?? regionCount(result.regions.count))
        style.anchorLabels = labels ?? ["x₁", "x₂", "x₃"]
        if thumbnails, let (rows, columns) = try thumbnailShape(dimension: anchors.first?.count ?? 0) {
            style.thumbnails = anchors.map { Thumbnail(rows: rows, columns: columns, values: $0.map { min(1, max(0, $0)) }) }
        }
        return style
    }

    /// The image shape for thumbnails: `imageShape`, else a square dimension, else none.
    public func thumbnailShape(dimension: Int) throws -> (Int, Int)? {
        if let imageShape {
            guard imageShape.rows > 0, imageShape.columns > 0, imageShape.rows * imageShape.columns == dimension else {
                throw TesseraError.badInput("--image-shape \(imageShape.rows)x\(imageShape.columns) does not match the input dimension \(dimension)")
            }
            return imageShape
        }
        let side = Int(Double(dimension).squareRoot().rounded())
        return side * side == dimension && side >= 4 ? (side, side) : nil
    }
}

/// Draws a slice to each requested picture file (format from each extension).
public func drawPartition(_ result: SliceResult, style: PartitionStyle, toEach paths: [String]) throws {
    for path in paths { try drawPartition(result, style: style, to: path) }
}

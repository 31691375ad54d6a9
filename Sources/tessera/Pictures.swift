import ArgumentParser
import Foundation
import Render
import Slicer

/// Picture options shared by `slice` and `render`.
struct PictureOptions: ParsableArguments {
    @Option(help: "Region fill: pattern, class or slope.") var fill = "pattern"
    @Option(help: "Neuron edges: dark, layer (coloured by layer, with a legend) or none.") var edges = "dark"
    @Option(help: "Picture size in pixels (square).") var size = 1200
    @Option(help: "Image shape of the inputs for anchor thumbnails, e.g. 28x28 (default: square D).") var imageShape: String?
    @Flag(help: "No anchor thumbnails.") var noThumbnails = false
    @Option(help: "Picture title (default: the region count).") var title: String?

    /// Checked at parse time, so a typo fails before any long work.
    func validate() throws {
        guard ["pattern", "class", "slope"].contains(fill) else {
            throw ValidationError("unknown --fill '\(fill)' (expected pattern, class or slope)")
        }
        guard ["dark", "layer", "none"].contains(edges) else {
            throw ValidationError("unknown --edges '\(edges)' (expected dark, layer or none)")
        }
        guard (64...16384).contains(size) else { throw ValidationError("--size must be between 64 and 16384 pixels") }
    }

    /// The options as the library's picture settings.
    func settings() throws -> PictureSettings {
        let fills: [String: PartitionStyle.Fill] = ["pattern": .pattern, "class": .class, "slope": .slope]
        let edgeStyles: [String: PartitionStyle.Edges] = ["dark": .dark, "layer": .byLayer, "none": .hidden]
        guard let fillStyle = fills[fill] else { throw TesseraError.badInput("unknown --fill '\(fill)' (expected pattern, class or slope)") }
        guard let edgeStyle = edgeStyles[edges] else { throw TesseraError.badInput("unknown --edges '\(edges)' (expected dark, layer or none)") }
        var shape: (rows: Int, columns: Int)?
        if let imageShape {
            let parts = imageShape.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 2, let rows = parts[0], let columns = parts[1] else {
                throw TesseraError.badInput("--image-shape \(imageShape) is not ROWSxCOLUMNS, e.g. 28x28")
            }
            shape = (rows, columns)
        }
        return PictureSettings(fill: fillStyle, edges: edgeStyle, size: size, imageShape: shape, thumbnails: !noThumbnails, title: title)
    }
}

import ArgumentParser
import Foundation
import Render

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

    func style(for result: SliceResult, labels: [String]?, anchors: [[Double]], step: Int? = nil,
               dataDirectory: String? = nil) throws -> PartitionStyle {
        var style = PartitionStyle()
        style.classNames = dataDirectory.flatMap(ClassNames.names(directory:))
        switch fill {
        case "pattern": style.fill = .pattern
        case "class": style.fill = .class
        case "slope": style.fill = .slope
        default: throw TesseraError.badInput("unknown --fill '\(fill)' (expected pattern, class or slope)")
        }
        switch edges {
        case "dark": style.edges = .dark
        case "layer": style.edges = .byLayer
        case "none": style.edges = .hidden
        default: throw TesseraError.badInput("unknown --edges '\(edges)' (expected dark, layer or none)")
        }
        guard (64...16384).contains(size) else { throw TesseraError.badInput("--size must be between 64 and 16384 pixels") }
        style.width = size
        style.height = size
        style.title = title ?? (step.map { PartitionStyle.title(step: $0, regions: result.regions.count) }
                                ?? "\(result.regions.count.formatted()) regions")
        style.anchorLabels = labels ?? ["x₁", "x₂", "x₃"]
        if !noThumbnails, let (rows, columns) = try thumbnailShape(dimension: anchors.first?.count ?? 0) {
            style.thumbnails = anchors.map { Thumbnail(rows: rows, columns: columns, values: $0.map { min(1, max(0, $0)) }) }
        }
        return style
    }

    /// The image shape for thumbnails: --image-shape, else a square dimension, else none.
    func thumbnailShape(dimension: Int) throws -> (Int, Int)? {
        if let imageShape {
            let parts = imageShape.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] * parts[1] == dimension else {
                throw TesseraError.badInput("--image-shape \(imageShape) does not match the input dimension \(dimension)")
            }
            return (parts[0], parts[1])
        }
        let side = Int(Double(dimension).squareRoot().rounded())
        return side * side == dimension && side >= 4 ? (side, side) : nil
    }
}

extension Int {
    func formatted() -> String {
        let digits = String(abs(self))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return self < 0 ? "-" + out : out
    }
}

/// Draws a slice to the requested picture files.
func drawPictures(_ result: SliceResult, style: PartitionStyle, png: String?, svg: String?, pdf: String?) throws {
    if let png { try drawPartition(result, style: style, to: png, format: .png) }
    if let svg { try drawPartition(result, style: style, to: svg, format: .svg) }
    if let pdf { try drawPartition(result, style: style, to: pdf, format: .pdf) }
}

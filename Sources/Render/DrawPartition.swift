import Foundation
import Slicer

/// Draws a slice's partition to a PNG, SVG or PDF file (format from the extension unless given).
/// The file appears whole or not at all; an unwritable path throws `TesseraError.io` before drawing.
public func drawPartition(_ result: SliceResult, style: PartitionStyle, to path: String,
                          format: ImageFormat? = nil) throws {
    let format = try format ?? ImageFormat(path: path)
    try writePicture(to: path, format: format, width: style.width, height: style.height) { canvas in
        paintPartitionPicture(result, style: style, canvas: canvas, crispFills: format == .png,
                              rasterScale: format == .png ? nil : style.rasterScale(pictureWidth: Double(style.width)))
    }
}

/// Draws a slice's partition in memory and returns the pixels, with the plane-to-pixel map.
public func renderPartitionPixels(_ result: SliceResult, style: PartitionStyle) throws -> RasterImage {
    var layout: PartitionLayout?
    var image = try drawPixels(width: style.width, height: style.height) { canvas in
        layout = paintPartitionPicture(result, style: style, canvas: canvas, crispFills: true)
    }
    image.layout = layout
    return image
}

/// Paints a white page and one partition picture covering it.
@discardableResult
func paintPartitionPicture(_ result: SliceResult, style: PartitionStyle, canvas: Canvas, crispFills: Bool,
                           rasterScale: Double? = nil) -> PartitionLayout {
    let bounds = Rect(x: 0, y: 0, width: Double(style.width), height: Double(style.height))
    canvas.fillRect(bounds, .white)
    return paintPartition(result, style: style, in: bounds, canvas: canvas, title: style.title,
                          showsKey: true, slopeRange: style.resolvedSlopeRange(for: [result]), crispFills: crispFills,
                          rasterScale: rasterScale)
}

/// Paints one partition picture inside `bounds` (also used for the panels of composite figures).
@discardableResult
func paintPartition(_ result: SliceResult, style: PartitionStyle, in bounds: Rect, canvas: Canvas, title: String?,
                    showsKey: Bool, slopeRange: ClosedRange<Double>, crispFills: Bool, unit: Double? = nil,
                    rasterScale: Double? = nil) -> PartitionLayout {
    let layout = PartitionLayout(result: result, style: style, bounds: bounds, canvas: canvas, title: title,
                                 showsKey: showsKey, unit: unit)
    var titled = style
    titled.title = title
    PartitionPainter(result: result, style: titled, layout: layout, slopeRange: slopeRange, crispFills: crispFills,
                     rasterScale: rasterScale).paint(canvas)
    return layout
}

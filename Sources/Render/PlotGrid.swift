import Foundation
import Slicer

/// Several line plots in one picture, `columns` to a row (e.g. one LC panel per radius). Each cell is
/// as large as the largest plot; every plot is drawn at its own size in the top-left of its cell.
struct PlotGrid {
    let plots: [LinePlot]
    let columns: Int

    init(_ plots: [LinePlot], columns: Int?) throws {
        guard !plots.isEmpty else { throw TesseraError.badInput("no plots to draw") }
        self.plots = plots
        self.columns = max(1, min(columns ?? min(plots.count, 3), plots.count))
    }

    var cell: (width: Int, height: Int) { (plots.map(\.width).max()!, plots.map(\.height).max()!) }
    var size: (width: Int, height: Int) {
        let rows = (plots.count + columns - 1) / columns
        return (cell.width * columns, cell.height * rows)
    }

    func paint(_ c: Canvas) {
        c.fillRect(Rect(x: 0, y: 0, width: Double(size.width), height: Double(size.height)), .white)
        for (i, plot) in plots.enumerated() {
            let bounds = Rect(x: Double((i % columns) * cell.width), y: Double((i / columns) * cell.height),
                              width: Double(plot.width), height: Double(plot.height))
            PlotPainter(plot, in: bounds, canvas: c).paint(c)
        }
    }
}

/// Draws several line plots side by side to a PNG, SVG or PDF file (format from the extension unless given).
public func drawPlots(_ plots: [LinePlot], columns: Int? = nil, to path: String, format: ImageFormat? = nil) throws {
    let grid = try PlotGrid(plots, columns: columns)
    let format = try format ?? ImageFormat(path: path)
    try writePicture(to: path, format: format, width: grid.size.width, height: grid.size.height) { grid.paint($0) }
}

/// Draws several line plots side by side in memory (for tests).
public func renderPlotsPixels(_ plots: [LinePlot], columns: Int? = nil) throws -> RasterImage {
    let grid = try PlotGrid(plots, columns: columns)
    return try drawPixels(width: grid.size.width, height: grid.size.height) { grid.paint($0) }
}

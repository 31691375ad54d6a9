import Foundation
import Slicer

extension CompositeFigure {
    /// The legend shared by all panels (layers and classes seen in any panel).
    public var legendEntries: [LegendEntry] {
        guard !panels.isEmpty else { return [] }
        return style.legendEntries(layers: panels.map { PartitionStyle.layerCount($0.result) }.max()!,
                                   classes: panels.map { PartitionStyle.classCount($0.result) }.max()!)
    }

    /// The layout with the shared legend broken into rows (text widths need a Cairo context).
    func measuredLayout(_ c: Canvas) -> (layout: Layout, rows: [[Int]], widths: [Double]) {
        let probe = layout(legendRows: 0)
        c.font(size: PartitionLayout.keyFont(probe.unit))
        let widths = legendEntries.map { 2.1 * probe.unit + c.textWidth($0.label) }
        let rows = PartitionLayout.rows(widths, spacing: 1.4 * probe.unit, width: Double(probe.width) - 2 * probe.unit)
        return (layout(legendRows: rows.count), rows, widths)
    }

    /// The figure's size in device units.
    func measuredSize() throws -> (width: Int, height: Int) {
        var size = (width: 1, height: 1)
        _ = try drawPixels(width: 1, height: 1) { c in
            let l = measuredLayout(c).layout
            size = (l.width, l.height)
        }
        return size
    }

    /// Paints the whole figure; returns the layout for probing.
    @discardableResult
    func paint(_ c: Canvas, crispFills: Bool, vector: Bool = false) -> Layout {
        let entries = legendEntries
        let (l, rows, widths) = measuredLayout(c)
        let u = l.unit
        c.fillRect(Rect(x: 0, y: 0, width: Double(l.width), height: Double(l.height)), .white)
        if let title, let y = l.titleBaseline {
            c.font(size: 1.25 * u, bold: true)
            c.text(title, x: Double(l.width) / 2, y: y, align: .center)
        }
        // One framing and one slope range for every panel, so panels compare directly.
        var shared = style
        shared.framing = style.framing ?? Framing(around: panels.flatMap { $0.result.domainPolygon + $0.result.anchors })
        let slopes = style.resolvedSlopeRange(for: panels.map(\.result))
        for (panel, rect) in zip(panels, l.panels) {
            paintPartition(panel.result, style: shared, in: rect, canvas: c, title: panel.subtitle,
                           showsKey: false, slopeRange: slopes, crispFills: crispFills, unit: u,
                           rasterScale: vector ? style.rasterScale(pictureWidth: Double(l.width)) : nil)
        }
        if let plot, let rect = l.plot { PlotPainter(plot, in: rect.inset(0.5 * u), canvas: c, unit: u).paint(c) }
        if let y = l.legendY {
            let gridLeft = l.panels.map(\.x).min() ?? 0, gridRight = l.panels.map(\.maxX).max() ?? Double(l.width)
            for (r, members) in rows.enumerated() {
                let total = members.map { widths[$0] }.reduce(0, +) + 1.4 * u * Double(members.count - 1)
                var x = (gridLeft + gridRight - total) / 2
                for i in members {
                    let mark = Rect(x: x, y: y + Double(r) * 1.4 * u + 0.3 * u, width: 1.5 * u, height: 0.8 * u)
                    KeyPainter.paintEntry(c, entries[i], mark: mark, unit: u)
                    x += widths[i] + 1.4 * u
                }
            }
        }
        if let bar = l.colorBar { KeyPainter.paintColorBar(c, bar, range: slopes, unit: u) }
        return l
    }
}

/// Draws a composite figure to a PNG, SVG or PDF file (format from the extension unless given).
/// Its size follows from the panel size, the grid and the plot.
public func drawComposite(_ figure: CompositeFigure, to path: String, format: ImageFormat? = nil) throws {
    let format = try format ?? ImageFormat(path: path)
    guard !figure.panels.isEmpty || figure.plot != nil else { throw TesseraError.badInput("a figure needs at least one panel or a plot") }
    let (width, height) = try figure.measuredSize()
    try writePicture(to: path, format: format, width: width, height: height) { c in
        figure.paint(c, crispFills: format == .png, vector: format != .png)
    }
}

/// Draws a composite figure in memory (for tests).
public func renderCompositePixels(_ figure: CompositeFigure) throws -> RasterImage {
    guard !figure.panels.isEmpty || figure.plot != nil else { throw TesseraError.badInput("a figure needs at least one panel or a plot") }
    let (width, height) = try figure.measuredSize()
    return try drawPixels(width: width, height: height) { c in figure.paint(c, crispFills: true) }
}

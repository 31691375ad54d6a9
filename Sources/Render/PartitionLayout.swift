import Foundation

/// Where each part of a partition picture goes, in device units (y down), and the equal-aspect map
/// from the plane to the picture.
public struct PartitionLayout: Sendable {
    /// The whole area given to the picture.
    public let bounds: Rect
    /// The area the framing is mapped onto (same scale on both axes).
    public let plotRect: Rect
    public let framing: Framing
    /// Device units per input-space unit.
    public let scale: Double
    /// Baseline of the title, if any.
    public let titleBaseline: Double?
    /// The legend rows and the rectangle of each row's colour mark.
    public let legend: [(entry: LegendEntry, mark: Rect)]
    /// The colour bar of `.slope` fills.
    public let colorBar: Rect?
    /// The base size of text and marks, proportional to the picture.
    public let unit: Double

    /// The device point of a plane point.
    public func map(_ p: Point2) -> (x: Double, y: Double) {
        (plotRect.x + (p.x - framing.minX) * scale, plotRect.y + (framing.maxY - p.y) * scale)
    }

    init(result: SliceResult, style: PartitionStyle, bounds: Rect, canvas: Canvas, title: String?, showsKey: Bool) {
        self.bounds = bounds
        let u = min(bounds.width, bounds.height) / 60
        unit = u
        let pad = 0.9 * u
        var f = style.framing ?? Framing(for: result)
        if !f.isUsable { f = Framing(minX: -1, minY: -1, maxX: 1, maxY: 1) }
        framing = f

        let entries = showsKey ? style.legendEntries(for: result) : []
        canvas.font(size: Self.keyFont(u))
        let legendWidth = entries.isEmpty ? 0 : 2.2 * u + (entries.map { canvas.textWidth($0.label) }.max() ?? 0)
        let wantsBar = showsKey && style.fill == .slope
        let barWidth = wantsBar ? 1.1 * u + 0.5 * u + canvas.textWidth("0.000") + 1.6 * u : 0
        let sideWidth = max(legendWidth, barWidth)
        let gap = sideWidth > 0 ? 1.2 * u : 0

        let top = bounds.y + (title == nil ? pad : 2.6 * u)
        titleBaseline = title == nil ? nil : bounds.y + 1.75 * u
        let available = Rect(x: bounds.x + pad, y: top,
                             width: max(bounds.width - 2 * pad - sideWidth - gap, 1),
                             height: max(bounds.maxY - pad - top, 1))
        let s = min(available.width / f.width, available.height / f.height)
        scale = s
        let (w, h) = (f.width * s, f.height * s)
        // Centre plot and side panel together so the picture stays balanced.
        let x0 = bounds.x + (bounds.width - (w + gap + sideWidth)) / 2
        let plot = Rect(x: x0, y: available.y + (available.height - h) / 2, width: w, height: h)
        plotRect = plot

        let sideX = plot.maxX + gap
        let row = 1.5 * u
        legend = entries.enumerated().map { i, entry in
            let y = plot.y + 0.3 * u + Double(i) * row
            return (entry, Rect(x: sideX, y: y + 0.35 * u, width: 1.5 * u, height: 0.8 * u))
        }
        if wantsBar {
            let barTop = plot.y + (entries.isEmpty ? 0.1 * h : Double(entries.count) * row + 1.5 * u)
            let barHeight = max(min(0.5 * h, plot.maxY - barTop - 0.5 * u), 4 * u)
            colorBar = Rect(x: sideX, y: barTop + 1.6 * u, width: 1.1 * u, height: barHeight - 1.6 * u)
        } else {
            colorBar = nil
        }
    }

    static func keyFont(_ u: Double) -> Double { 0.8 * u }
}

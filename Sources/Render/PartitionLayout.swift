import Foundation
import Polytope
import Slicer

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
    /// Where anchor captions may go: the picture below its title and above its legend.
    public let captionArea: Rect
    /// The base size of text and marks, proportional to the picture.
    public let unit: Double

    /// The device point of a plane point.
    public func map(_ p: Point2) -> (x: Double, y: Double) {
        (plotRect.x + (p.x - framing.minX) * scale, plotRect.y + (framing.maxY - p.y) * scale)
    }

    init(result: SliceResult, style: PartitionStyle, bounds: Rect, canvas: Canvas, title: String?, showsKey: Bool,
         unit: Double? = nil) {
        self.bounds = bounds
        // Text stays readable in small pictures; figures pass one unit for all their panels.
        let u = unit ?? max(min(bounds.width, bounds.height) / 60, 10)
        self.unit = u
        let pad = 0.9 * u
        var f = style.framing ?? Framing(for: result)
        if !f.isUsable { f = Framing(minX: -1, minY: -1, maxX: 1, maxY: 1) }
        framing = f

        let entries = showsKey ? style.legendEntries(for: result) : []
        canvas.font(size: Self.keyFont(u))
        // Legend items run in rows under the plot: mark, label, then a gap to the next item.
        let itemWidths = entries.map { 2.1 * u + canvas.textWidth($0.label) }
        let wantsBar = showsKey && style.fill == .slope
        let sideWidth = wantsBar ? 1.1 * u + 0.5 * u + canvas.textWidth("0.000") + 0.8 * u : 0
        let gap = sideWidth > 0 ? 1.2 * u : 0
        let rowWidth = bounds.width - 2 * pad - sideWidth - gap
        let rows = Self.rows(itemWidths, spacing: 1.4 * u, width: rowWidth)
        let row = 1.4 * u
        let legendHeight = rows.isEmpty ? 0 : Double(rows.count) * row + 0.6 * u

        let top = bounds.y + (title == nil ? pad : 2.6 * u)
        titleBaseline = title == nil ? nil : bounds.y + 1.75 * u
        let available = Rect(x: bounds.x + pad, y: top, width: max(rowWidth, 1),
                             height: max(bounds.maxY - pad - legendHeight - top, 1))
        let s = min(available.width / f.width, available.height / f.height)
        scale = s
        let (w, h) = (f.width * s, f.height * s)
        // Centre plot and side panel together so the picture stays balanced.
        let x0 = bounds.x + (bounds.width - (w + gap + sideWidth)) / 2
        let plot = Rect(x: x0, y: available.y + (available.height - h) / 2, width: w, height: h)
        plotRect = plot

        var placed: [(entry: LegendEntry, mark: Rect)] = []
        for (r, members) in rows.enumerated() {
            let total = members.map { itemWidths[$0] }.reduce(0, +) + 1.4 * u * Double(members.count - 1)
            var x = plot.midX - total / 2
            let y = plot.maxY + 0.6 * u + Double(r) * row
            for i in members {
                placed.append((entries[i], Rect(x: x, y: y + 0.3 * u, width: 1.5 * u, height: 0.8 * u)))
                x += itemWidths[i] + 1.4 * u
            }
        }
        legend = placed
        let captionTop = title == nil ? bounds.y : top
        captionArea = Rect(x: bounds.x, y: captionTop, width: bounds.width, height: max(bounds.maxY - legendHeight - captionTop, 1))
        colorBar = wantsBar ? Rect(x: plot.maxX + gap, y: plot.y + 0.25 * h, width: 1.1 * u, height: 0.5 * h) : nil
    }

    /// Greedy line breaking of legend items (indices) into rows no wider than `width`.
    static func rows(_ widths: [Double], spacing: Double, width: Double) -> [[Int]] {
        var rows: [[Int]] = []
        var current: [Int] = [], used = 0.0
        for (i, w) in widths.enumerated() {
            if !current.isEmpty, used + spacing + w > width { rows.append(current); current = []; used = 0 }
            used += (current.isEmpty ? 0 : spacing) + w
            current.append(i)
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    static func keyFont(_ u: Double) -> Double { 0.8 * u }
}

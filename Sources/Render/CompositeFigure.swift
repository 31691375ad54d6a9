import Foundation
import Slicer

/// One partition panel of a composite figure.
public struct PartitionPanel: Sendable {
    public var result: SliceResult
    public var subtitle: String
    public init(result: SliceResult, subtitle: String) { self.result = result; self.subtitle = subtitle }
}

/// A grid of partition panels sharing one style, framing and key, with an optional plot panel
/// (the paper's Figure 1: partitions at chosen checkpoints beside the LC curve).
public struct CompositeFigure: Sendable {
    public enum PlotPlacement: Sendable { case left, top }
    public var panels: [PartitionPanel]
    /// Shared by every panel; its width, height and title are ignored (see `panelSize`, `title`).
    public var style: PartitionStyle
    public var columns: Int
    /// Side of each square panel, in pixels or points.
    public var panelSize: Int
    public var plot: LinePlot?
    public var plotPlacement: PlotPlacement
    /// The plot's extent across the grid (width when left, height when on top; a plot on the left
    /// leaves the last 2.5 text units of it empty, as a gap before the panels); nil picks one.
    public var plotExtent: Int?
    public var title: String?

    public init(panels: [PartitionPanel], style: PartitionStyle = PartitionStyle(), columns: Int = 2,
                panelSize: Int = 600, plot: LinePlot? = nil, plotPlacement: PlotPlacement = .left, title: String? = nil) {
        self.panels = panels; self.style = style; self.columns = columns; self.panelSize = panelSize
        self.plot = plot; self.plotPlacement = plotPlacement; self.title = title
    }

    /// Where everything goes, in device units.
    struct Layout {
        var width: Int, height: Int, unit: Double
        var panels: [Rect]
        var plot: Rect?
        var legendY: Double?
        var colorBar: Rect?
        var titleBaseline: Double?
    }

    func layout(legendRows: Int) -> Layout {
        let cols = max(1, min(columns, max(panels.count, 1)))
        let rows = max(1, (panels.count + cols - 1) / cols)
        let side = Double(max(panelSize, 50))
        // Panels are small pictures: text is sized for the figure, not scaled down with each panel.
        let u = max(side / 34, 10)
        let top = title == nil ? 0 : 2.8 * u
        let (gridW, gridH) = (Double(cols) * side, Double(rows) * side)
        let plotExtent = Double(plotExtent ?? Int(plotPlacement == .left ? 1.1 * gridH : 0.5 * gridW))
        // A plot on the left keeps its right-hand axis (accuracy) clear of the first panel.
        let left = plot != nil && plotPlacement == .left ? plotExtent : 0
        let gap = left > 0 ? min(2.5 * u, 0.2 * left) : 0
        let above = plot != nil && plotPlacement == .top ? plotExtent : 0
        let keyH = legendRows > 0 ? Double(legendRows) * 1.4 * u + 1.0 * u : 0
        let barW = style.fill == .slope ? 6.5 * u : 0
        var rects: [Rect] = []
        for i in panels.indices {
            rects.append(Rect(x: left + Double(i % cols) * side, y: top + above + Double(i / cols) * side, width: side, height: side))
        }
        let plotRect: Rect? = plot == nil ? nil : plotPlacement == .left
            ? Rect(x: 0, y: top, width: left - gap, height: gridH)
            : Rect(x: 0, y: top, width: gridW, height: above)
        let height = top + above + gridH + keyH
        let bar = barW > 0 ? Rect(x: left + gridW + 1.5 * u, y: top + above + 0.25 * gridH, width: 1.1 * u, height: 0.5 * gridH) : nil
        return Layout(width: Int((left + gridW + barW).rounded(.up)), height: Int(height.rounded(.up)), unit: u,
                      panels: rects, plot: plotRect, legendY: keyH > 0 ? top + above + gridH + 0.2 * u : nil,
                      colorBar: bar, titleBaseline: title == nil ? nil : 1.9 * u)
    }
}

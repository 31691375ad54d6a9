import CCairo
import Foundation

/// Draws the title, the legend rows and the slope colour bar of a partition picture.
struct KeyPainter {
    let layout: PartitionLayout
    let slopeRange: ClosedRange<Double>

    func paint(_ c: Canvas, title: String?) {
        let u = layout.unit
        if let title, let baseline = layout.titleBaseline {
            c.font(size: 1.05 * u, bold: true)
            c.text(title, x: layout.plotRect.midX, y: baseline, align: .center)
        }
        for (entry, mark) in layout.legend { Self.paintEntry(c, entry, mark: mark, unit: u) }
        if let bar = layout.colorBar { Self.paintColorBar(c, bar, range: slopeRange, unit: u) }
    }

    /// One legend item: a line sample or swatch in `mark`, its label to the right.
    static func paintEntry(_ c: Canvas, _ entry: LegendEntry, mark: Rect, unit u: Double) {
        switch entry.mark {
        case .line: c.line(mark.x, mark.midY, mark.maxX, mark.midY, entry.color, width: 0.3 * u)
        case .swatch:
            c.fillRect(mark, entry.color)
            c.strokeRect(mark, Color.ink.withAlpha(0.6), width: max(0.05 * u, 0.7))
        }
        c.font(size: PartitionLayout.keyFont(u))
        c.text(entry.label, x: mark.maxX + 0.6 * u, y: mark.midY + 0.3 * u)
    }

    /// A vertical colour bar of the slope map with ticks and a heading.
    static func paintColorBar(_ c: Canvas, _ bar: Rect, range slopeRange: ClosedRange<Double>, unit u: Double) {
        // Many thin bands rather than a Cairo gradient: the map is interpolated in OKLab, not sRGB.
        let bands = max(Int(bar.height / 2), 16)
        for i in 0..<bands {
            let t0 = Double(i) / Double(bands)
            let y = bar.maxY - (t0 + 1 / Double(bands)) * bar.height
            c.fillRect(Rect(x: bar.x, y: y, width: bar.width, height: bar.height / Double(bands) + 0.5),
                       Palette.sequential(t0 + 0.5 / Double(bands)))
        }
        c.strokeRect(bar, Color.ink.withAlpha(0.8), width: max(0.05 * u, 0.7))
        c.font(size: 0.9 * u, bold: true)
        c.text("slope", x: bar.x, y: bar.y - 0.7 * u)
        c.font(size: PartitionLayout.keyFont(u))
        let (lo, hi) = (slopeRange.lowerBound, slopeRange.upperBound)
        let ticks = niceTicks(lo, hi, target: 5)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : max(hi - lo, 1)
        for v in ticks {
            let y = bar.maxY - (v - lo) / (hi - lo) * bar.height
            c.line(bar.maxX, y, bar.maxX + 0.35 * u, y, .ink, width: max(0.05 * u, 0.7))
            c.text(tickLabel(v, step: step), x: bar.maxX + 0.55 * u, y: y + 0.28 * u)
        }
    }
}

import CCairo
import Foundation

/// Paints a `LinePlot` inside a rectangle: frame, grid, ticks, bands, curves, markers, legend.
struct PlotPainter {
    let plot: LinePlot
    let bounds: Rect
    let u: Double
    let xRange: ClosedRange<Double>
    let left: ClosedRange<Double>
    let right: ClosedRange<Double>
    /// The data area.
    let frame: Rect

    init(_ plot: LinePlot, in bounds: Rect, canvas c: Canvas, unit: Double? = nil) {
        self.plot = plot
        self.bounds = bounds
        let u = unit ?? max(min(bounds.width, bounds.height) / 38, 10)
        self.u = u
        xRange = plot.xRange()
        left = plot.yRange(.left)
        right = plot.yRange(.right)
        c.font(size: 0.85 * u)
        let labelWidth = { (r: ClosedRange<Double>) -> Double in
            let ticks = niceTicks(r.lowerBound, r.upperBound)
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
            return ticks.map { c.textWidth(tickLabel($0, step: step)) }.max() ?? 0
        }
        let leftMargin = 0.8 * u + labelWidth(left) + (plot.yLabel.isEmpty ? 0.6 * u : 2.0 * u)
        let rightMargin = plot.usesRightAxis ? 0.8 * u + labelWidth(right) + (plot.rightLabel.isEmpty ? 0.6 * u : 2.0 * u) : 1.2 * u
        // Marker labels sit in a strip above the frame, where no curve can hide them.
        let labelled = plot.markers.contains { !$0.label.isEmpty }
        let top = (plot.title == nil ? 1.0 * u : 2.6 * u) + (labelled ? 1.3 * u : 0)
        let bottom = (plot.xLabel.isEmpty ? 2.4 * u : 3.9 * u) + Double(Self.rowsBelow(plot)) * 1.35 * u
        frame = Rect(x: bounds.x + leftMargin, y: bounds.y + top,
                     width: max(bounds.width - leftMargin - rightMargin, 1), height: max(bounds.height - top - bottom, 1))
    }

    func px(_ x: Double) -> Double {
        let t = plot.logX ? (log10(x) - log10(xRange.lowerBound)) / (log10(xRange.upperBound) - log10(xRange.lowerBound))
                          : (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
        return frame.x + t * frame.width
    }

    func py(_ y: Double, _ axis: PlotSeries.Axis) -> Double {
        let r = axis == .left ? left : right
        return frame.maxY - (y - r.lowerBound) / (r.upperBound - r.lowerBound) * frame.height
    }

    func paint(_ c: Canvas) {
        c.fillRect(bounds, .white)
        let grid = Color(0.9, 0.9, 0.9)
        let thin = max(0.06 * u, 0.6)
        let (major, minor) = plot.logX ? logTicks(xRange) : (niceTicks(xRange.lowerBound, xRange.upperBound, target: 6), [])
        let yTicks = niceTicks(left.lowerBound, left.upperBound)
        for x in minor { c.line(px(x), frame.y, px(x), frame.maxY, grid.withAlpha(0.4), width: thin) }
        for x in major { c.line(px(x), frame.y, px(x), frame.maxY, grid, width: thin) }
        for y in yTicks { c.line(frame.x, py(y, .left), frame.maxX, py(y, .left), grid, width: thin) }

        c.clip(frame)
        paintMarkers(c)
        for s in plot.series { paintBand(c, s) }
        for s in plot.series { paintCurve(c, s) }
        c.restore()
        c.strokeRect(frame, .ink, width: max(0.07 * u, 0.8))
        paintMarkerLabels(c)
        paintXAxis(c, major: major, minor: minor)
        paintYAxis(c, left, ticks: yTicks, axis: .left, label: plot.yLabel)
        if plot.usesRightAxis { paintYAxis(c, right, ticks: niceTicks(right.lowerBound, right.upperBound), axis: .right, label: plot.rightLabel) }
        if let title = plot.title {
            c.font(size: 1.05 * u, bold: true)
            c.text(title, x: frame.midX, y: bounds.y + 1.7 * u, align: .center)
        }
        paintLegend(c)
    }

    func paintMarkers(_ c: Canvas) {
        for m in plot.markers where !plot.logX || m.x > 0 {
            c.save(); c.dash([0.4 * u, 0.3 * u])
            c.line(px(m.x), frame.y, px(m.x), frame.maxY, Color(0.35, 0.35, 0.35), width: max(0.08 * u, 0.8))
            c.restore()
        }
    }

    func paintMarkerLabels(_ c: Canvas) {
        c.font(size: 0.85 * u, bold: true)
        for m in plot.markers where !m.label.isEmpty && (!plot.logX || m.x > 0) && px(m.x) >= frame.x - 1 && px(m.x) <= frame.maxX + 1 {
            c.text(m.label, x: px(m.x), y: frame.y - 0.45 * u, align: .center, color: Color(0.3, 0.3, 0.3))
        }
    }

    /// The corner whose legend box would cover the fewest curve points (ties: upper right first).
    func quietestCorner(width w: Double, height h: Double) -> LinePlot.LegendCorner {
        let corners: [LinePlot.LegendCorner] = [.upperRight, .upperLeft, .lowerRight, .lowerLeft]
        // Curves sampled every half unit along their segments, so sparse points (early steps on a
        // log axis) still count where their lines run.
        var points: [(Double, Double)] = []
        for s in plot.series {
            let curve = s.drawable(logX: plot.logX).map { (px($0.x), py($0.y, s.axis)) }
            for (a, b) in zip(curve, curve.dropFirst()) {
                let pieces = max(1, Int((hypot(b.0 - a.0, b.1 - a.1) / (0.5 * u)).rounded(.up)))
                for k in 0..<pieces {
                    let t = Double(k) / Double(pieces)
                    points.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                }
            }
            if let last = curve.last { points.append(last) }
        }
        func covered(_ corner: LinePlot.LegendCorner) -> Int {
            let x = corner == .upperLeft || corner == .lowerLeft ? frame.x : frame.maxX - w - 1.2 * u
            let y = corner == .upperLeft || corner == .upperRight ? frame.y : frame.maxY - h - 1.2 * u
            return points.filter { $0.0 >= x && $0.0 <= x + w + 1.2 * u && $0.1 >= y && $0.1 <= y + h + 1.2 * u }.count
        }
        return corners.min { covered($0) < covered($1) } ?? .upperRight
    }

    func paintBand(_ c: Canvas, _ s: PlotSeries) {
        let points = s.drawable(logX: plot.logX)
        guard s.band != nil, points.count > 1 else { return }
        c.moveTo(px(points[0].x), py(points[0].y + points[0].band, s.axis))
        for p in points.dropFirst() { c.lineTo(px(p.x), py(p.y + p.band, s.axis)) }
        for p in points.reversed() { c.lineTo(px(p.x), py(p.y - p.band, s.axis)) }
        c.closePath()
        c.setColor(s.color.withAlpha(0.22)); c.fill()
    }

    func paintCurve(_ c: Canvas, _ s: PlotSeries) {
        let points = s.drawable(logX: plot.logX)
        guard let first = points.first else { return }
        c.save()
        if s.dashed { c.dash([0.6 * u, 0.35 * u]) }
        cairo_set_line_join(c.cr, CAIRO_LINE_JOIN_ROUND)
        c.moveTo(px(first.x), py(first.y, s.axis))
        for p in points.dropFirst() { c.lineTo(px(p.x), py(p.y, s.axis)) }
        c.setColor(s.color); c.lineWidth(0.17 * u * s.widthScale); c.stroke()
        c.restore()
    }

    func paintXAxis(_ c: Canvas, major: [Double], minor: [Double]) {
        let tick = 0.4 * u, width = max(0.07 * u, 0.8)
        for x in minor { c.line(px(x), frame.maxY, px(x), frame.maxY + tick * 0.6, .ink, width: width) }
        let step = major.count > 1 ? major[1] - major[0] : 1
        for x in major {
            c.line(px(x), frame.maxY, px(x), frame.maxY + tick, .ink, width: width)
            if plot.logX { paintPowerOfTen(c, x, centre: px(x), baseline: frame.maxY + 1.6 * u) }
            else { c.font(size: 0.85 * u); c.text(tickLabel(x, step: step), x: px(x), y: frame.maxY + 1.5 * u, align: .center) }
        }
        if !plot.xLabel.isEmpty {
            c.font(size: 0.95 * u)
            c.text(plot.xLabel, x: frame.midX, y: frame.maxY + 3.2 * u, align: .center)
        }
    }

    /// Decades read "10" with a raised exponent; 2× and 5× ticks read as plain numbers.
    func paintPowerOfTen(_ c: Canvas, _ value: Double, centre: Double, baseline: Double) {
        let k = log10(value).rounded()
        guard abs(value - pow(10, k)) <= 1e-9 * value else {
            c.font(size: 0.85 * u)
            c.text(value >= 1 ? String(format: "%.0f", value) : String(format: "%g", value), x: centre, y: baseline, align: .center)
            return
        }
        c.font(size: 0.85 * u); let base = c.textWidth("10")
        c.font(size: 0.62 * u); let exp = "\(Int(k))"; let ew = c.textWidth(exp)
        let x0 = centre - (base + ew) / 2
        c.font(size: 0.85 * u); c.text("10", x: x0, y: baseline)
        c.font(size: 0.62 * u); c.text(exp, x: x0 + base + 0.05 * u, y: baseline - 0.45 * u)
    }

    func paintYAxis(_ c: Canvas, _ r: ClosedRange<Double>, ticks: [Double], axis: PlotSeries.Axis, label: String) {
        let isLeft = axis == .left
        let x = isLeft ? frame.x : frame.maxX
        let out = isLeft ? -0.4 * u : 0.4 * u
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        c.font(size: 0.85 * u)
        var widest = 0.0
        for y in ticks {
            c.line(x, py(y, axis), x + out, py(y, axis), .ink, width: max(0.07 * u, 0.8))
            let text = tickLabel(y, step: step)
            widest = max(widest, c.textWidth(text))
            c.text(text, x: x + out * 1.6, y: py(y, axis) + 0.3 * u, align: isLeft ? .right : .left)
        }
        guard !label.isEmpty else { return }
        c.font(size: 0.95 * u)
        let lx = isLeft ? x - 0.8 * u - widest - 0.9 * u : x + 0.8 * u + widest + 1.5 * u
        c.verticalText(label, x: lx, y: frame.midY)
    }

    /// Legend rows under the x axis: two series to a row, the band note on a row of its own.
    static func rowsBelow(_ plot: LinePlot) -> Int {
        guard plot.legendCorner == .below else { return 0 }
        let entries = plot.legendEntries
        let notes = entries.filter { $0.mark == .swatch }.count
        return (entries.count - notes + 1) / 2 + notes
    }

    /// One legend sample (a line, dashed for dashed series, or a swatch) with its label.
    func paintLegendEntry(_ c: Canvas, _ e: LegendEntry, x: Double, centreY cy: Double, dashed: Bool) {
        if e.mark == .swatch {
            c.fillRect(Rect(x: x + 0.5 * u, y: cy - 0.35 * u, width: 1.8 * u, height: 0.7 * u), e.color)
        } else {
            c.save()
            // A dashed series shows a dashed sample, so dashed and solid curves of one colour stay apart.
            if dashed { c.dash([0.45 * u, 0.25 * u]) }
            c.line(x + 0.5 * u, cy, x + 2.3 * u, cy, e.color, width: 0.22 * u)
            c.restore()
        }
        c.text(e.label, x: x + 2.8 * u, y: cy + 0.3 * u)
    }

    /// The legend in two columns under the x axis, clear of every curve.
    func paintLegendBelow(_ c: Canvas) {
        let entries = plot.legendEntries
        let dashed = plot.series.filter { !$0.name.isEmpty }.map(\.dashed)
        let row = 1.35 * u
        let top = frame.maxY + (plot.xLabel.isEmpty ? 2.4 * u : 3.9 * u) - 0.2 * u
        var slot = 0
        for (i, e) in entries.enumerated() {
            if e.mark == .swatch, slot % 2 == 1 { slot += 1 }
            let x = frame.x + Double(slot % 2) * frame.width / 2
            paintLegendEntry(c, e, x: x, centreY: top + (Double(slot / 2) + 0.5) * row, dashed: i < dashed.count && dashed[i])
            slot += e.mark == .swatch ? 2 : 1
        }
    }

    func paintLegend(_ c: Canvas) {
        let entries = plot.legendEntries
        guard !entries.isEmpty else { return }
        c.font(size: 0.85 * u)
        if plot.legendCorner == .below { paintLegendBelow(c); return }
        let row = 1.35 * u
        let w = 3.4 * u + (entries.map { c.textWidth($0.label) }.max() ?? 0)
        let h = Double(entries.count) * row + 0.5 * u
        let corner = plot.legendCorner == .best ? quietestCorner(width: w, height: h) : plot.legendCorner
        let x = corner == .upperLeft || corner == .lowerLeft ? frame.x + 0.6 * u : frame.maxX - w - 0.6 * u
        let y = corner == .upperLeft || corner == .upperRight ? frame.y + 0.6 * u : frame.maxY - h - 0.6 * u
        let box = Rect(x: x, y: y, width: w, height: h)
        c.fillRect(box, Color.white.withAlpha(0.88))
        c.strokeRect(box, Color(0.75, 0.75, 0.75), width: max(0.05 * u, 0.6))
        let dashed = plot.series.filter { !$0.name.isEmpty }.map(\.dashed)
        for (i, e) in entries.enumerated() {
            paintLegendEntry(c, e, x: x, centreY: y + 0.25 * u + (Double(i) + 0.5) * row, dashed: i < dashed.count && dashed[i])
        }
    }
}

/// Draws a line plot to a PNG, SVG or PDF file (format from the extension unless given).
public func drawPlot(_ plot: LinePlot, to path: String, format: ImageFormat? = nil) throws {
    let format = try format ?? ImageFormat(path: path)
    try writePicture(to: path, format: format, width: plot.width, height: plot.height) { c in
        PlotPainter(plot, in: Rect(x: 0, y: 0, width: Double(plot.width), height: Double(plot.height)), canvas: c).paint(c)
    }
}

/// Draws a line plot in memory (for tests).
public func renderPlotPixels(_ plot: LinePlot) throws -> RasterImage {
    try drawPixels(width: plot.width, height: plot.height) { c in
        PlotPainter(plot, in: Rect(x: 0, y: 0, width: Double(plot.width), height: Double(plot.height)), canvas: c).paint(c)
    }
}

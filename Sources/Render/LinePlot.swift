import Foundation

/// One curve of a line plot, with an optional band of ± `band[i]` around it.
public struct PlotSeries: Sendable {
    public enum Axis: Sendable { case left, right }
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Half-widths of a shaded band around the curve (same length as `y`), e.g. 0.25 standard deviations.
    public var band: [Double]?
    public var color: Color
    public var axis: Axis
    public var dashed: Bool
    /// Multiplies the line width (a wide pale line under a thin one shows where two curves agree).
    public var widthScale = 1.0

    public init(name: String, x: [Double], y: [Double], band: [Double]? = nil, color: Color,
                axis: Axis = .left, dashed: Bool = false) {
        self.name = name; self.x = x; self.y = y; self.band = band; self.color = color
        self.axis = axis; self.dashed = dashed
    }

    /// The points that can be drawn: finite, and with positive x on a log axis.
    func drawable(logX: Bool) -> [(x: Double, y: Double, band: Double)] {
        (0..<min(x.count, y.count)).compactMap { i in
            let b = band.flatMap { i < $0.count ? $0[i] : nil } ?? 0
            guard x[i].isFinite, y[i].isFinite, b.isFinite, !logX || x[i] > 0 else { return nil }
            return (x[i], y[i], abs(b))
        }
    }
}

/// A vertical marker line at a chosen x (e.g. the checkpoints pictured beside an LC curve).
public struct PlotMarker: Sendable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String = "") { self.x = x; self.label = label }
}

/// A line plot in the style of the paper's LC curves: log-scale x, linear y, bands, legend,
/// optional second y axis on the right, vertical markers.
public struct LinePlot: Sendable {
    /// Where the legend goes: a corner inside the frame (`.best`: the one covering the fewest curve
    /// points) or `.below` the x axis, in two columns.
    public enum LegendCorner: Sendable { case best, upperLeft, upperRight, lowerLeft, lowerRight, below }
    public var title: String?
    public var xLabel: String
    public var yLabel: String
    /// Label of the right axis; the right axis appears when a series uses it.
    public var rightLabel: String
    public var series: [PlotSeries]
    public var markers: [PlotMarker] = []
    /// What the shaded bands are (e.g. "shading: ± 25% of the std over samples"): a legend row of its own.
    public var bandNote: String?
    public var logX: Bool
    /// Fixed axis ranges; nil means the data's range with a little room.
    public var yRange: ClosedRange<Double>?
    public var rightRange: ClosedRange<Double>?
    public var legendCorner: LegendCorner = .best
    /// Size in pixels (PNG) or points (SVG, PDF).
    public var width: Int = 900
    public var height: Int = 600

    public init(title: String? = nil, xLabel: String = "step", yLabel: String = "", rightLabel: String = "",
                series: [PlotSeries] = [], markers: [PlotMarker] = [], logX: Bool = true,
                width: Int = 900, height: Int = 600) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.rightLabel = rightLabel
        self.series = series; self.markers = markers; self.logX = logX; self.width = width; self.height = height
    }

    /// The legend rows: each named series with its colour, then the band note with a grey swatch.
    public var legendEntries: [LegendEntry] {
        let curves = series.filter { !$0.name.isEmpty }.map { LegendEntry(label: $0.name, color: $0.color, mark: .line) }
        guard let bandNote, series.contains(where: { $0.band != nil }) else { return curves }
        return curves + [LegendEntry(label: bandNote, color: Color(0.55, 0.55, 0.55).withAlpha(0.35), mark: .swatch)]
    }

    var usesRightAxis: Bool { series.contains { $0.axis == .right } }

    /// The x range shown (data range; on a log axis, padded by a small factor).
    func xRange() -> ClosedRange<Double> {
        let xs = series.flatMap { $0.drawable(logX: logX).map(\.x) } + markers.map(\.x).filter { !logX || $0 > 0 }
        guard var lo = xs.min(), var hi = xs.max() else { return logX ? 1...10 : 0...1 }
        if logX {
            if hi <= lo { lo /= 2; hi *= 2 }
            return lo / 1.08...hi * 1.08
        }
        if hi <= lo { lo -= 1; hi += 1 }
        let pad = 0.02 * (hi - lo)
        return lo - pad...hi + pad
    }

    /// The y range of one axis: fixed, or the data (with bands) plus 6% room.
    func yRange(_ axis: PlotSeries.Axis) -> ClosedRange<Double> {
        if let fixed = axis == .left ? yRange : rightRange, fixed.upperBound > fixed.lowerBound { return fixed }
        let points = series.filter { $0.axis == axis }.flatMap { $0.drawable(logX: logX) }
        guard var lo = points.map({ $0.y - $0.band }).min(), var hi = points.map({ $0.y + $0.band }).max() else { return 0...1 }
        if hi <= lo { lo -= 0.5; hi += 0.5 }
        let pad = 0.06 * (hi - lo)
        return lo - pad...hi + pad
    }
}

/// Ticks of a log axis: every decade inside the range (labelled 10^k), and the 2...9 multiples as
/// minor ticks. Ranges narrower than a decade also label the 2 and 5 multiples.
func logTicks(_ range: ClosedRange<Double>) -> (major: [Double], minor: [Double]) {
    guard range.lowerBound > 0, range.upperBound.isFinite else { return ([], []) }
    let (first, last) = (Int(log10(range.lowerBound).rounded(.down)), Int(log10(range.upperBound).rounded(.up)))
    var major: [Double] = [], minor: [Double] = []
    for k in first...max(first, last) {
        let decade = pow(10, Double(k))
        if range.contains(decade) { major.append(decade) }
        for m in 2...9 where range.contains(Double(m) * decade) { minor.append(Double(m) * decade) }
    }
    if major.count < 2 {
        let extra = minor.filter { v in [2.0, 5.0].contains { abs(v / pow(10, log10(v).rounded(.down)) - $0) < 1e-9 } }
        major = (major + extra).sorted()
        minor.removeAll { extra.contains($0) }
    }
    return (major, minor)
}


import Foundation
import Render
import Slicer
import Trainer

/// Training steps on the x axis of every plot: step s is drawn at s + 1 on a log axis, so that
/// initialisation (step 0) sits at 10⁰ like every other checkpoint.
public enum StepAxis {
    public static func x(_ step: Int) -> Double { Double(step) + 1 }
    public static let label = "training step + 1 (log scale)"
}

/// What the shaded band around every mean curve is.
public let meanBandNote = "shading: mean ± 25% of the std over samples"

/// The paper's colour of a sample set: train purple, test orange, random blue.
public func splitColor(_ split: String) -> Color {
    switch split {
    case "test": return .lcTest
    case "random": return .lcRandom
    case "train": return .lcTrain
    default: return .ink
    }
}

/// Train and test accuracy (%) on the right axis, dashed, in the train and test colours.
func accuracySeries(_ metrics: [MetricsRow]) -> [PlotSeries] {
    let train = metrics.filter { $0.trainAccuracy.isFinite }, test = metrics.filter { $0.testAccuracy.isFinite }
    var series: [PlotSeries] = []
    if !train.isEmpty {
        series.append(PlotSeries(name: "train accuracy", x: train.map { StepAxis.x($0.step) }, y: train.map { 100 * $0.trainAccuracy },
                                 color: .lcTrain, axis: .right, dashed: true))
    }
    if !test.isEmpty {
        series.append(PlotSeries(name: "test accuracy", x: test.map { StepAxis.x($0.step) }, y: test.map { 100 * $0.testAccuracy },
                                 color: .lcTest, axis: .right, dashed: true))
    }
    return series
}

/// `tessera lc --plot`: one panel per radius, each with the mean LC of every sample set over the
/// checkpoints (a band of 25% of the std) and the run's train and test accuracy on the right axis.
/// Reports without a step (a single model file) cannot be placed on the step axis and are left out.
public func lcPlots(_ reports: [LCReport], metrics: [MetricsRow]) -> [LinePlot] {
    let placed = reports.filter { $0.step != nil }
    guard let first = placed.first ?? reports.first else { return [] }
    let radii = first.results.first?.byRadius.map(\.radius) ?? []
    let accuracy = accuracySeries(metrics)
    return radii.indices.map { r in
        var series = first.results.indices.map { s -> PlotSeries in
            let name = first.results[s].set
            let results = placed.map { $0.results[s].byRadius[r] }
            return PlotSeries(name: "\(name) LC", x: placed.map { StepAxis.x($0.step!) }, y: results.map(\.mean),
                              band: results.map { 0.25 * $0.std }, color: splitColor(name))
        }
        series += accuracy
        var plot = LinePlot(title: "Local complexity, r = \(formatRadius(radii[r])), P = \(first.directions)",
                            xLabel: StepAxis.label, yLabel: "local complexity (neurons cut)",
                            rightLabel: accuracy.isEmpty ? "" : "accuracy (%)", series: series)
        plot.bandNote = meanBandNote
        // Early checkpoints crowd the left of a log axis: the legend goes under the plot, clear of them.
        plot.legendCorner = .below
        plot.height = 700
        if !accuracy.isEmpty { plot.rightRange = 0...100 }
        return plot
    }
}

/// A radius as typed (0.005, not 5.0e-03).
func formatRadius(_ r: Double) -> String {
    let text = "\(r)"
    return text.contains("e") ? String(format: "%g", r) : text
}

/// Figure 1's LC panel: the LC curves of every sample set with the pictured checkpoints marked, and
/// train and test accuracy on the right axis.
public func figureLCPlot(steps: [Int], sets: [String], curves: [[LCResult]], chosen: [Int], letters: [String],
                         metrics: [MetricsRow], radius: Double, directions: Int) -> LinePlot {
    let x = steps.map(StepAxis.x)
    var series = zip(sets, curves).map { set, results in
        PlotSeries(name: "\(set) LC", x: x, y: results.map(\.mean), band: results.map { 0.25 * $0.std }, color: splitColor(set))
    }
    let accuracy = accuracySeries(metrics)
    series += accuracy
    var plot = LinePlot(title: "Local complexity (r = \(formatRadius(radius)), P = \(directions))", xLabel: StepAxis.label,
                        yLabel: "LC (neurons cut, sum over layers)", rightLabel: accuracy.isEmpty ? "" : "accuracy (%)",
                        series: series, markers: zip(letters, chosen).map { PlotMarker(x: x[$1], label: $0) })
    plot.bandNote = meanBandNote
    // A tall panel beside the partitions: the legend goes under it, where no curve runs.
    plot.legendCorner = .below
    if !accuracy.isEmpty { plot.rightRange = 0...100 }
    return plot
}

/// Exact vs approximate LC (the paper's Figure 14): exact region count (left axis) and the
/// estimators' means over samples (right axis when the scales differ), each with a band of 25% of
/// the standard deviation.
public func validationPlot(_ report: ValidationReport, split: String) -> LinePlot {
    let color = splitColor(split)
    let x = report.checkpoints.map { StepAxis.x($0.step) }
    func series(_ name: String, _ value: @escaping (ValidationRecord) -> Int, _ color: Color, dashed: Bool = false,
                axis: PlotSeries.Axis = .left, band: Bool = true) -> PlotSeries {
        let stats = report.checkpoints.map { $0.stats(value) }
        return PlotSeries(name: name, x: x, y: stats.map(\.mean), band: band ? stats.map { 0.25 * $0.std } : nil, color: color,
                          axis: axis, dashed: dashed)
    }
    let regions = report.checkpoints.map { $0.stats(\.exactRegions).mean }
    let counts = report.checkpoints.flatMap { [$0.stats(\.exactCutTotal).mean, $0.stats(\.lcPTotal).mean] }
    let (rMax, cMax) = (regions.max() ?? 1, counts.max() ?? 1)
    let twoAxes = max(rMax, cMax) > 2.5 * max(1e-9, min(rMax, cMax))
    let countAxis: PlotSeries.Axis = twoAxes ? .right : .left
    func side(_ axis: PlotSeries.Axis) -> String { twoAxes ? (axis == .left ? " · left axis" : " · right axis") : "" }
    // Wide and pale, drawn first: where the P = 2 estimate equals it, the dashed line runs along its middle.
    var exactCut = series("exact neurons cut (2-D slice; wide grey, under P = 2 where equal)" + side(countAxis), \.exactCutTotal,
                          Color(hex: 0xbdbdbd), axis: countAxis, band: false)
    exactCut.widthScale = 3
    var plot = LinePlot(
        title: "Exact vs approximate LC · \(split) samples · r = \(formatRadius(report.radius))",
        xLabel: StepAxis.label,
        yLabel: twoAxes ? "exact linear regions in the diamond" : "regions / neurons",
        rightLabel: twoAxes ? "neurons cut (sum over layers)" : "",
        series: [
            exactCut,
            series("exact regions (2-D slice)" + side(.left), \.exactRegions, .ink),
            series("LC estimate, P = 2 (same diamond)" + side(countAxis), \.lc2Total, color, dashed: true, axis: countAxis),
            series("LC estimate, P = \(report.directions)" + side(countAxis), \.lcPTotal, color, axis: countAxis),
        ])
    plot.bandNote = meanBandNote
    plot.width = 1100
    plot.height = 650
    return plot
}

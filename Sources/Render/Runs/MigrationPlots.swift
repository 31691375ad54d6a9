import Render
import Slicer

/// migration.png: the share of neuron-edge length within δ of the anchors and of the decision
/// boundary beside the share of the domain's area there (left), and their ratio, the edge density
/// there over the domain's average (right; 1 = no concentration).
public func migrationPlots(_ rows: [PartitionRow], delta: Double) -> [LinePlot] {
    let x = rows.map { StepAxis.x($0.step) }
    let anchors = Color.lcTrain, boundary = Color.boundaryRed
    let nearAnchors = rows.map(\.migration.nearAnchors), areaNearAnchors = rows.map(\.migration.areaNearAnchors)
    let nearBoundary = rows.map(\.migration.nearBoundary), areaNearBoundary = rows.map(\.migration.areaNearBoundary)
    // Shares near the anchors are often a hundredth of those near the boundary: scaled by a power of
    // ten (said in their names) so that they do not lie flat on the axis.
    let anchorTop = (nearAnchors + areaNearAnchors).filter(\.isFinite).max() ?? 0
    let boundaryTop = (nearBoundary + areaNearBoundary).filter(\.isFinite).max() ?? 0
    var factor = 1.0
    while anchorTop > 0, anchorTop * factor * 10 <= 1.05 * boundaryTop, factor < 1e6 { factor *= 10 }
    let scaled = factor > 1 ? " (× \(Int(factor)))" : ""
    let shares = LinePlot(
        title: "Neuron edges within δ = \(formatRadius(delta)) input-space units", xLabel: StepAxis.label, yLabel: "share of the whole",
        series: [PlotSeries(name: "edge length near the anchors" + scaled, x: x, y: nearAnchors.map { $0 * factor }, color: anchors),
                 PlotSeries(name: "area near the anchors" + scaled, x: x, y: areaNearAnchors.map { $0 * factor }, color: anchors, dashed: true),
                 PlotSeries(name: "edge length near the boundary", x: x, y: nearBoundary, color: boundary),
                 PlotSeries(name: "area near the boundary", x: x, y: areaNearBoundary, color: boundary, dashed: true)])
    var ratio = LinePlot(
        title: "Edge density within δ = \(formatRadius(delta)) (input-space units) over the domain's average", xLabel: StepAxis.label,
        yLabel: "density ratio (1 = uniform)",
        series: [PlotSeries(name: "near the anchors", x: x, y: rows.map(\.migration.anchorDensityRatio), color: anchors),
                 PlotSeries(name: "near the decision boundary", x: x, y: rows.map(\.migration.boundaryDensityRatio), color: boundary),
                 PlotSeries(name: "uniform density", x: x, y: x.map { _ in 1 }, color: Color(hex: 0x8c8c8c), dashed: true)])
    let top = rows.flatMap { [$0.migration.anchorDensityRatio, $0.migration.boundaryDensityRatio] }.filter(\.isFinite).max() ?? 1
    ratio.yRange = 0...max(1.2, 1.08 * top)
    var left = shares
    let shareTop = max(boundaryTop, anchorTop * factor)
    left.yRange = 0...min(1, max(0.01, 1.12 * (shareTop.isFinite ? shareTop : 1)))
    return [left, ratio]
}

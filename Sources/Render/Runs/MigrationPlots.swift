import Slicer

/// migration.png: the share of neuron-edge length within δ of the anchors and of the decision
/// boundary beside the share of the domain's area there (left), and their ratio, the edge density
/// there over the domain's average (right; 1 = no concentration).
public func migrationPlots(_ rows: [PartitionRow], delta: Double) -> [LinePlot] {
    let x = rows.map { StepAxis.x($0.step) }
    let anchors = Color.lcTrain, boundary = Color.boundaryRed
    let shares = LinePlot(
        title: "Neuron edges within δ = \(formatRadius(delta))", xLabel: StepAxis.label, yLabel: "share of the whole",
        series: [PlotSeries(name: "edge length near the anchors", x: x, y: rows.map(\.migration.nearAnchors), color: anchors),
                 PlotSeries(name: "area near the anchors", x: x, y: rows.map(\.migration.areaNearAnchors), color: anchors, dashed: true),
                 PlotSeries(name: "edge length near the boundary", x: x, y: rows.map(\.migration.nearBoundary), color: boundary),
                 PlotSeries(name: "area near the boundary", x: x, y: rows.map(\.migration.areaNearBoundary), color: boundary, dashed: true)])
    var ratio = LinePlot(
        title: "Edge density within δ = \(formatRadius(delta)) over the domain's average", xLabel: StepAxis.label,
        yLabel: "density ratio (1 = uniform)",
        series: [PlotSeries(name: "near the anchors", x: x, y: rows.map(\.migration.anchorDensityRatio), color: anchors),
                 PlotSeries(name: "near the decision boundary", x: x, y: rows.map(\.migration.boundaryDensityRatio), color: boundary),
                 PlotSeries(name: "uniform density", x: x, y: x.map { _ in 1 }, color: Color(hex: 0x8c8c8c), dashed: true)])
    let top = rows.flatMap { [$0.migration.anchorDensityRatio, $0.migration.boundaryDensityRatio] }.filter(\.isFinite).max() ?? 1
    ratio.yRange = 0...max(1.2, 1.08 * top)
    var left = shares
    left.yRange = 0...1
    return [left, ratio]
}

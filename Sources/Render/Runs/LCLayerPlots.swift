import Foundation
import Render
import Slicer
import Trainer

/// `tessera lc --layers ... --plot`: one panel per counted layer (and radius), each with the mean LC
/// of every sample set over the checkpoints — the paper's per-layer figures (Figs. 15–16).
public func lcLayerPlots(_ reports: [LCReport]) -> [LinePlot] {
    let placed = reports.filter { $0.step != nil }
    guard let first = placed.first ?? reports.first, let sets = first.results.first else { return [] }
    let radii = sets.byRadius.map(\.radius)
    let layerCount = sets.byRadius.first?.layerMeans.count ?? 0
    var plots: [LinePlot] = []
    for r in radii.indices {
        for layer in 0..<layerCount {
            let series = first.results.indices.map { s -> PlotSeries in
                let name = first.results[s].set
                let results = placed.map { $0.results[s].byRadius[r] }
                return PlotSeries(name: "\(name) LC", x: placed.map { StepAxis.x($0.step!) }, y: results.map { $0.layerMeans[layer] },
                                  band: results.map { 0.25 * $0.layerStds[layer] }, color: splitColor(name))
            }
            let described = layer < first.layers.count
                ? "layer \(first.layers[layer].index): \(first.layers[layer].name)" : "layer \(layer + 1)"
            var plot = LinePlot(title: "\(described) · r = \(formatRadius(radii[r])), P = \(first.directions)",
                                xLabel: StepAxis.label, yLabel: "local complexity (units cut)", series: series)
            plot.bandNote = meanBandNote
            plot.legendCorner = .below
            plot.width = 640
            plot.height = 520
            plots.append(plot)
        }
    }
    return plots
}

/// `tessera lc --deformation-plot`: the average eccentricity and the diameter of the neighbourhood graph
/// at the input (layer 0) and after each activation, one curve per radius, each relative to its
/// value at the input (the paper's Figs. 18–19).
public func deformationPlots(_ byRadius: [(radius: Double, stages: [NeighbourhoodDeformation.Stage])]) -> [LinePlot] {
    let palette: [Color] = [.lcRandom, .lcTrain, .lcTest, .ink]
    func plot(_ title: String, _ value: (NeighbourhoodDeformation.Stage) -> (mean: Double, std: Double)) -> LinePlot {
        let series = byRadius.enumerated().map { k, entry -> PlotSeries in
            let base = value(entry.stages[0]).mean
            let scale = base > 0 ? 1 / base : 1
            return PlotSeries(name: "r = \(formatRadius(entry.radius))", x: entry.stages.map { Double($0.index) },
                              y: entry.stages.map { value($0).mean * scale }, band: entry.stages.map { 0.25 * value($0).std * scale },
                              color: palette[k % palette.count])
        }
        var plot = LinePlot(title: title, xLabel: "layer (0 = input)", yLabel: "relative to the input neighbourhood",
                            series: series, logX: false)
        plot.bandNote = meanBandNote
        plot.width = 700
        plot.height = 520
        return plot
    }
    return [plot("Average eccentricity of the neighbourhood graph", { $0.eccentricity }),
            plot("Diameter of the neighbourhood graph", { $0.diameter })]
}

/// `tessera lc --model M --plot`: one model has no curve over steps, so the plot is its layer
/// profile — the mean LC of each counted layer (x: layer index), one line per sample set and radius.
public func lcLayerProfile(_ report: LCReport) -> LinePlot {
    let dashes = [false, true]
    var series: [PlotSeries] = []
    for entry in report.results {
        for (r, result) in entry.byRadius.enumerated() {
            series.append(PlotSeries(name: "\(entry.set) LC, r = \(formatRadius(result.radius))",
                                     x: result.layerMeans.indices.map { Double($0 + 1) }, y: result.layerMeans,
                                     band: result.layerStds.map { 0.25 * $0 }, color: splitColor(entry.set), dashed: dashes[r % 2]))
        }
    }
    let names = report.layers.map { "\($0.index): \($0.name)" }
    var plot = LinePlot(title: "Local complexity per layer, P = \(report.directions)", xLabel: "layer (topological order)",
                        yLabel: "local complexity (units cut)", series: series, logX: false)
    plot.bandNote = meanBandNote
    if names.count <= 3, !names.isEmpty { plot.title! += " · " + names.joined(separator: ", ") }
    plot.legendCorner = .below
    plot.height = 620
    return plot
}

import ArgumentParser
import Dispatch
import Foundation
import Render
import Slicer
import Trainer

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Exact vs approximate local complexity over a run's checkpoints (the paper's Fig. 14).",
        discussion: """
        At every sample x and checkpoint: the exact slice of the plane through x spanned by v1, v2 on the \
        diamond x ± r·v1, x ± r·v2 (region count and per-layer neurons_cut), the paper's estimator with \
        P = 2 on the diamond's four corners (the same geometry), and the estimator with all P directions. \
        The directions are one seeded frame for all samples and checkpoints, as in 'tessera lc'.
        """)

    @Argument(help: "A run directory from 'tessera train'.") var runPath: String
    @Option(help: "Samples per checkpoint.") var samples = 100
    @Option(help: "Neighbourhood radius r (diamond half-diagonal; LC vertices x ± r·v_p).") var radius = 0.05
    @Option(help: "Number P of orthonormal directions for the full estimator (v1, v2 span the slice).") var directions = 25
    @Option(help: "Sample set: train (the run's training samples), test, or random.") var split = "train"
    @Option(help: "Seed for the directions and the random points.") var seed: UInt64 = 0
    @Option(help: "Checkpoints: all, or N for N log-spread ones (always the first and the last).") var checkpoints = "all"
    @Option(help: "certified (fast, exact results) or exact (rational reference).") var arithmetic = "certified"
    @Option(help: "CSV output: one row per checkpoint × sample.") var csv: String?
    @Option(help: "JSON summary: per-checkpoint means, correlations, P = 2 miss rates.") var json: String?
    @Option(help: "Figure (Fig. 14 style), PNG.") var png: String?
    @Option(help: "Figure (Fig. 14 style), PDF.") var pdf: String?

    func run() throws {
        guard samples >= 1 else { throw TesseraError.badInput("--samples must be at least 1") }
        guard radius.isFinite, radius > 0 else { throw TesseraError.badInput("--radius must be a positive number") }
        guard directions >= 2 else { throw TesseraError.badInput("--directions must be at least 2 (v1, v2 span the slice)") }
        guard ["train", "test", "random"].contains(split) else {
            throw TesseraError.badInput("unknown --split '\(split)' (expected train, test or random)")
        }
        guard let mode = Arithmetic(rawValue: arithmetic) else {
            throw TesseraError.badInput("unknown arithmetic '\(arithmetic)' (expected certified or exact)")
        }
        let subset: Int?
        if checkpoints == "all" { subset = nil } else {
            guard let n = Int(checkpoints), n >= 1 else { throw TesseraError.badInput("--checkpoints must be 'all' or a positive count, got '\(checkpoints)'") }
            subset = n
        }
        if let png { guard png.lowercased().hasSuffix(".png") else { throw TesseraError.badInput("--png \(png) must end in .png") } }
        if let pdf { guard pdf.lowercased().hasSuffix(".pdf") else { throw TesseraError.badInput("--pdf \(pdf) must end in .pdf") } }
        for path in [csv, json, png, pdf].compactMap({ $0 }) { try OutputFile.checkWritable(path) }

        let run = RunDirectory(path: runPath)
        let info = try run.readRunInfo()
        var models = try run.checkpoints()
        guard !models.isEmpty else { throw TesseraError.badInput("\(runPath) has no checkpoints") }
        if let subset { models = CheckpointChoice.logSpread(steps: models.map(\.step), count: subset).map { models[$0] } }
        let activation = try? info.config.parsedActivation()
        let first = try ModelFile.load(path: models[0].path, activation: activation).network
        let dimension = first.inputDimension
        let points = try LCSampleSet.make(splits: [split], limit: samples, dataDirectory: nil, run: info,
                                          dimension: dimension, seed: seed)[0].points
        let frame = try LCDirections.random(count: directions, dimension: dimension, seed: seed)
        let layers = first.layers.count - 1
        log("validate: \(models.count) checkpoints × \(points.count) \(split) samples, r = \(radius), P = \(directions), diamond:\(radius)@1")

        let start = DispatchTime.now().uptimeNanoseconds
        var results: [ValidationCheckpoint] = []
        for (index, entry) in models.enumerated() {
            let network = index == 0 ? first : try ModelFile.load(path: entry.path, activation: first.activation).network
            let t0 = DispatchTime.now().uptimeNanoseconds
            var measurer = try ValidationMeasurer(network: network, directions: frame, radius: radius)
            measurer.arithmetic = mode
            let records = try measurer.measure(samples: points)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            let c = ValidationCheckpoint(step: entry.step, records: records, seconds: seconds)
            results.append(c)
            log(String(format: "checkpoint %d/%d step %d: exact regions %.2f, exact cut %.2f, LC P=2 %.2f, LC P=%d %.2f (%.2f s)",
                       index + 1, models.count, entry.step, c.stats(\.exactRegions).mean, c.stats(\.exactCutTotal).mean,
                       c.stats(\.lc2Total).mean, directions, c.stats(\.lcPTotal).mean, seconds))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let report = ValidationReport(checkpoints: results, radius: radius, directions: directions, layers: layers,
                                      info: ["split": split, "run": runPath, "arithmetic": arithmetic, "seed": String(seed)])
        let violations = report.violations
        if !violations.isEmpty {
            let v = violations[0]
            log("warning: the P = 2 estimate exceeded the exact neurons_cut in \(violations.count) case(s), e.g. step \(v.step) sample \(v.sample) layer \(v.layer): \(v.lc2) > \(v.exact) (a pre-activation exactly 0 or rounded at a corner)")
        }
        if let csv { try OutputFile.write(report.csv, to: csv) }
        if let json { try OutputFile.writeJSON(report.summary(seconds: seconds), to: json) }
        let plot = validationPlot(report, color: splitColor(split), split: split)
        if let png { try drawPlot(plot, to: png, format: .png) }
        if let pdf { try drawPlot(plot, to: pdf, format: .pdf) }
        let summary = report.summary(seconds: seconds)
        let corr = (summary["correlations"] as? [String: Any])?["exact_regions_vs_lcP"] as? [String: Any]
        let across = corr?["across_checkpoints"] as? [String: Any]
        let rates = report.missRates.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        print(String(format: "%d checkpoints × %d samples in %.1f s; exact regions vs LC P=%d across checkpoints: Pearson %@, Spearman %@; P=2 miss rate per layer: %@; P=2 > exact: %d",
                     results.count, points.count, seconds, directions, format(across?["pearson"]), format(across?["spearman"]),
                     rates, violations.count))
        if csv == nil && json == nil && png == nil && pdf == nil { print(report.csv, terminator: "") }
    }

    func format(_ value: Any?) -> String { (value as? Double).map { String(format: "%.3f", $0) } ?? "n/a" }
    func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}

/// The paper's colour of a sample set: train purple, test orange, random blue.
func splitColor(_ split: String) -> Color {
    switch split {
    case "test": return .lcTest
    case "random": return .lcRandom
    default: return .lcTrain
    }
}

/// Figure-14 style: exact region count (left axis) and the estimators' means over samples (right axis
/// when the scales differ), each with a band of 25% of the standard deviation, on log-scale steps.
/// Steps are drawn at step + 1 so that initialisation (step 0) appears on the log axis.
func validationPlot(_ report: ValidationReport, color: Color, split: String) -> LinePlot {
    let x = report.checkpoints.map { Double($0.step + 1) }
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
    var plot = LinePlot(
        title: "Exact vs approximate LC · \(split) samples · r = \(report.radius)",
        xLabel: "training step + 1",
        yLabel: twoAxes ? "exact linear regions in the diamond" : "regions / neurons",
        rightLabel: twoAxes ? "neurons cut (sum over layers)" : "",
        series: [
            series("exact regions (2-D slice)", \.exactRegions, .ink),
            series("exact neurons cut (2-D slice)", \.exactCutTotal, Color(hex: 0x8c8c8c), axis: countAxis, band: false),
            series("LC estimate, P = 2 (same diamond)", \.lc2Total, color, dashed: true, axis: countAxis),
            series("LC estimate, P = \(report.directions)", \.lcPTotal, color, axis: countAxis),
        ])
    plot.width = 1100
    plot.height = 650
    return plot
}

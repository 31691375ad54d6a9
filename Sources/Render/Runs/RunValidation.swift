import Dispatch
import Foundation
import Render
import Slicer
import Trainer

/// What `tessera validate` measures: exact vs approximate LC at samples of one set over a run's checkpoints.
public struct RunValidationRequest: Sendable {
    public var runPath: String
    public var samples = 100
    /// Neighbourhood radius r: the diamond's half-diagonal and the estimator's x ± r·v_p.
    public var radius = 0.05
    /// Number P of orthonormal directions for the full estimator (v1, v2 span the slice).
    public var directions = 25
    /// train, test or random.
    public var split = "train"
    public var seed: UInt64 = 0
    /// nil: every checkpoint; N: N log-spread ones (always the first and the last).
    public var checkpoints: Int?
    public var arithmetic: Arithmetic = .certified
    /// The number type of the full estimator's forward passes.
    public var precision: Precision = .float32
    /// The exact neighbourhood: the diamond (default) or the disk of radius r about each sample.
    public var shape: ValidationMeasurer.NeighbourhoodShape = .diamond
    public var csv: String?, json: String?, png: String?, pdf: String?
    /// Threads the samples are measured on.
    public var parallelism = Parallelism.machine

    public init(runPath: String) { self.runPath = runPath }

    func check() throws {
        guard samples >= 1 else { throw TesseraError.badInput("--samples must be at least 1") }
        guard radius.isFinite, radius > 0 else { throw TesseraError.badInput("--radius must be a positive number") }
        guard directions >= 2 else { throw TesseraError.badInput("--directions must be at least 2 (v1, v2 span the slice)") }
        guard ["train", "test", "random"].contains(split) else {
            throw TesseraError.badInput("unknown --split '\(split)' (expected train, test or random)")
        }
        if let checkpoints, checkpoints < 1 { throw TesseraError.badInput("--checkpoints must be 'all' or a positive count, got '\(checkpoints)'") }
        if let png { guard png.lowercased().hasSuffix(".png") else { throw TesseraError.badInput("--png \(png) must end in .png") } }
        if let pdf { guard pdf.lowercased().hasSuffix(".pdf") else { throw TesseraError.badInput("--pdf \(pdf) must end in .pdf") } }
        for path in [csv, json, png, pdf].compactMap({ $0 }) { try OutputFile.checkWritable(path) }
    }
}

/// Exact vs approximate local complexity over a run's checkpoints (the paper's Figure 14): at every
/// sample x and checkpoint, the exact slice of the diamond x ± r·v1, x ± r·v2 beside the estimator
/// with P = 2 on the same diamond and with all P directions (one seeded frame throughout).
public enum RunValidation {
    /// Measures, writes the requested outputs, and returns the report with a one-line summary.
    public static func run(_ request: RunValidationRequest, log: @escaping (String) -> Void = { _ in }) throws
        -> (report: ValidationReport, summary: String) {
        let plan = try prepare(request, log: log)
        let models = plan.models, first = plan.first, points = plan.points, frame = plan.frame, run = plan.run
        let start = DispatchTime.now().uptimeNanoseconds
        var results: [ValidationCheckpoint] = []
        for (index, entry) in models.enumerated() {
            let model = index == 0 ? first : try run.model(path: entry.path)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let measurer = try measurer(request, model: model, frame: frame)
            let records = try measurer.measure(samples: points)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            let c = ValidationCheckpoint(step: entry.step, records: records, seconds: seconds)
            results.append(c)
            log(String(format: "checkpoint %d/%d step %d: exact regions %.2f, exact cut %.2f, LC P=2 %.2f, LC P=%d %.2f (%.2f s)",
                       index + 1, models.count, entry.step, c.stats(\.exactRegions).mean, c.stats(\.exactCutTotal).mean,
                       c.stats(\.lc2Total).mean, request.directions, c.stats(\.lcPTotal).mean, seconds))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return try finish(request, plan: plan, results: results, seconds: seconds, log: log)
    }

    /// What `run` reads before measuring.
    public struct Plan: @unchecked Sendable {
        public var run: RunModels
        public var models: [(step: Int, path: String)]
        public var first: GraphModel
        public var points: [[Double]]
        public var frame: [[Double]]
        public var layers: Int
    }

    public static func prepare(_ request: RunValidationRequest, log: (String) -> Void = { _ in }) throws -> Plan {
        try request.check()
        let run = try RunModels(runPath: request.runPath)
        var models = run.checkpoints
        if let subset = request.checkpoints {
            models = CheckpointChoice.logSpread(steps: models.map(\.step), count: subset).map { models[$0] }
        }
        let first = try run.model(path: models[0].path)
        let dimension = first.inputDimension
        let points = try run.sampleSets(splits: [request.split], limit: request.samples, dataDirectory: nil,
                                        dimension: dimension, seed: request.seed)[0].points
        let frame = try LCDirections.random(count: request.directions, dimension: dimension, seed: request.seed)
        let layers = LCLayer.layers(of: first, includeOutput: false, maxPoolWindows: false).count
        log("validate: \(models.count) checkpoints × \(points.count) \(request.split) samples, r = \(request.radius), P = \(request.directions), \(request.shape.rawValue):\(request.radius)@1")

        return Plan(run: run, models: models, first: first, points: points, frame: frame, layers: layers)
    }

    /// Writes the requested outputs of `results` (one per checkpoint) and returns the report and its summary line.
    public static func finish(_ request: RunValidationRequest, plan: Plan, results: [ValidationCheckpoint], seconds: Double,
                              log: (String) -> Void = { _ in }) throws -> (report: ValidationReport, summary: String) {
        let layers = plan.layers, points = plan.points
        let report = ValidationReport(checkpoints: results, radius: request.radius, directions: request.directions, layers: layers,
                                      info: ["split": request.split, "run": request.runPath, "arithmetic": request.arithmetic.rawValue, "domain": request.shape.rawValue,
                                             "seed": String(request.seed)])
        let violations = report.violations
        if let v = violations.first {
            log("warning: the P = 2 estimate exceeded the exact neurons_cut in \(violations.count) case(s), e.g. step \(v.step) sample \(v.sample) layer \(v.layer): \(v.lc2) > \(v.exact) (a pre-activation exactly 0 or rounded at a corner)")
        }
        let summary = report.summary(seconds: seconds)
        if let csv = request.csv { try OutputFile.write(report.csv, to: csv) }
        if let json = request.json { try OutputFile.writeJSON(summary, to: json) }
        let plot = validationPlot(report, split: request.split)
        if let png = request.png { try drawPlot(plot, to: png, format: .png) }
        if let pdf = request.pdf { try drawPlot(plot, to: pdf, format: .pdf) }
        let corr = (summary["correlations"] as? [String: Any])?["exact_regions_vs_lcP"] as? [String: Any]
        let across = corr?["across_checkpoints"] as? [String: Any]
        func format(_ value: Any?) -> String { (value as? Double).map { String(format: "%.3f", $0) } ?? "n/a" }
        let rates = report.missRates.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        let line = String(format: "%d checkpoints × %d samples in %.1f s; exact regions vs LC P=%d across checkpoints: Pearson %@, Spearman %@; P=2 miss rate per layer: %@; P=2 > exact: %d",
                          results.count, points.count, seconds, request.directions, format(across?["pearson"]), format(across?["spearman"]),
                          rates, violations.count)
        return (report, line)
    }
}

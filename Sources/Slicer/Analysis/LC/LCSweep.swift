import Dispatch
import Models

/// LC of one model or of a run's checkpoints, all over the same sample sets, directions and radii.
public struct LCSweep: Sendable {
    public var sets: [LCSampleSet]
    /// P orthonormal rows in R^D, shared by every model.
    public var directions: [[Double]]
    public var radii: [Double]
    public var includeOutput: Bool
    public var countMaxPoolWindows: Bool
    /// Keep only these counted layers (nil: all).
    public var layerSelection: LCLayerSelection?
    /// The forward passes' number type.
    public var precision: Precision = .float32
    /// Threads each estimate is shared out to.
    public var parallelism = Parallelism.machine

    public init(sets: [LCSampleSet], directions: [[Double]], radii: [Double], includeOutput: Bool = false,
                countMaxPoolWindows: Bool = false) {
        self.sets = sets; self.directions = directions; self.radii = radii
        self.includeOutput = includeOutput; self.countMaxPoolWindows = countMaxPoolWindows
    }

    /// Every set at every radius on one model; `seconds` is the wall time of the estimate.
    public func measure(_ model: GraphModel, step: Int?) throws -> LCReport {
        let start = DispatchTime.now().uptimeNanoseconds
        let estimator = try estimator(model)
        let results = try sets.map { (set: $0.name, byRadius: try estimator.estimate(samples: $0.points)) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let report = LCReport(step: step, results: results, directions: directions.count, includeOutput: includeOutput,
                              seconds: seconds, layers: estimator.layers)
        return try layerSelection.map { report.keeping(try $0.resolve(estimator.layers)) } ?? report
    }

    /// The CSV of several reports: a header, then one row per report × sample set × radius.
    public static func csv(_ reports: [LCReport]) -> String {
        let layers = reports.last?.results.first?.byRadius.first?.layerMeans.count ?? 0
        return ([LCReport.csvHeader(layers: layers)] + reports.flatMap(\.csvRows)).joined(separator: "\n") + "\n"
    }
}

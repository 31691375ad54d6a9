import Dispatch
import Slicer
import Trainer

/// The local complexity of sample sets at every checkpoint of a run: one `LCReport` per checkpoint,
/// all with the same seeded directions (the curves of `tessera figure` and `tessera demo`).
public struct RunLCCurves {
    public var reports: [LCReport]
    /// Layers counted per LC value (the hidden layers).
    public var layers: Int

    /// Measures `sets` at `radii` with `directions` seeded orthonormal directions over `checkpoints`;
    /// `log` receives a progress line at most every two seconds.
    public init(checkpoints: [(step: Int, path: String)], activation: Activation?, sets: [LCSampleSet], radii: [Double],
                directions: [[Double]], log: (String) -> Void = { _ in }) throws {
        reports = []
        layers = 0
        var lastLog = DispatchTime.now().uptimeNanoseconds
        var activation = activation
        for (index, entry) in checkpoints.enumerated() {
            let network = try ModelFile.load(path: entry.path, activation: activation).network
            activation = network.activation
            let start = DispatchTime.now().uptimeNanoseconds
            let estimator = try LCEstimator(network: network, directions: directions, radii: radii)
            let results = try sets.map { (set: $0.name, byRadius: try estimator.estimate(samples: $0.points)) }
            let now = DispatchTime.now().uptimeNanoseconds
            reports.append(LCReport(step: entry.step, results: results, directions: directions.count, includeOutput: false,
                                    seconds: Double(now - start) / 1e9))
            layers = estimator.countedLayers
            if now - lastLog > 2_000_000_000 || index == checkpoints.count - 1 {
                let summary = results.map { "\($0.set) \(String(format: "%.2f", $0.byRadius[0].mean))" }.joined(separator: ", ")
                log("  checkpoint \(index + 1)/\(checkpoints.count) step \(entry.step): LC \(summary)")
                lastLog = now
            }
        }
    }

    /// The curve of set `set` at radius index `radius`: one result per checkpoint.
    public func curve(set: Int, radius: Int = 0) -> [LCResult] { reports.map { $0.results[set].byRadius[radius] } }

    /// The CSV of `tessera lc`: one row per checkpoint × set × radius.
    public var csv: String { ([LCReport.csvHeader(layers: layers)] + reports.flatMap(\.csvRows)).joined(separator: "\n") + "\n" }
}

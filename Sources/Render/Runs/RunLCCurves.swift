import Dispatch
import Render
import Slicer
import Trainer

/// The local complexity of sample sets at every checkpoint of a run: one `LCReport` per checkpoint,
/// all from one `LCSweep` (the same sets, seeded directions and radii), as `tessera lc` measures them;
/// the curves of `tessera figure` and `tessera demo`.
public struct RunLCCurves {
    public var reports: [LCReport]

    /// Measures `sets` at `radii` with the orthonormal `directions` over `checkpoints`; `log` receives a
    /// progress line at most every two seconds.
    public init(checkpoints: [(step: Int, path: String)], activation: Activation?, sets: [LCSampleSet], radii: [Double],
                directions: [[Double]], parallelism: Parallelism = .machine, log: (String) -> Void = { _ in }) throws {
        var activation = activation
        var sweep = LCSweep(sets: sets, directions: directions, radii: radii)
        sweep.parallelism = parallelism
        try self.init(checkpoints: checkpoints, load: { path in
            let network = try ModelFile.load(path: path, activation: activation).network
            activation = network.activation
            return GraphModel(network: network)
        }, sweep: sweep, log: log)
    }

    /// The same over any run (MLP or graph checkpoints), with every option of `sweep`.
    public init(run: RunModels, checkpoints: [(step: Int, path: String)]? = nil, sweep: LCSweep,
                log: (String) -> Void = { _ in }) throws {
        try self.init(checkpoints: checkpoints ?? run.checkpoints, load: run.model(path:), sweep: sweep, log: log)
    }

    init(checkpoints: [(step: Int, path: String)], load: (String) throws -> GraphModel, sweep: LCSweep,
         log: (String) -> Void) throws {
        reports = []
        var lastLog = DispatchTime.now().uptimeNanoseconds
        for (index, entry) in checkpoints.enumerated() {
            let report = try sweep.measure(try load(entry.path), step: entry.step)
            reports.append(report)
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastLog > 2_000_000_000 || index == checkpoints.count - 1 {
                let summary = report.results.map { "\($0.set) \(String(format: "%.2f", $0.byRadius[0].mean))" }.joined(separator: ", ")
                log("  checkpoint \(index + 1)/\(checkpoints.count) step \(entry.step): LC \(summary)")
                lastLog = now
            }
        }
    }

    /// The curve of set `set` at radius index `radius`: one result per checkpoint.
    public func curve(set: Int, radius: Int = 0) -> [LCResult] { reports.map { $0.results[set].byRadius[radius] } }

    /// The CSV of `tessera lc`: one row per checkpoint × set × radius.
    public var csv: String { LCSweep.csv(reports) }
}

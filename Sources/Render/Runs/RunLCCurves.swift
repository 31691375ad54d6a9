import Dispatch
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
                directions: [[Double]], log: (String) -> Void = { _ in }) throws {
        let sweep = LCSweep(sets: sets, directions: directions, radii: radii)
        reports = []
        var lastLog = DispatchTime.now().uptimeNanoseconds
        var activation = activation
        for (index, entry) in checkpoints.enumerated() {
            let network = try ModelFile.load(path: entry.path, activation: activation).network
            activation = network.activation
            let report = try sweep.measure(GraphModel(network: network), step: entry.step)
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

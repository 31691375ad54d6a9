import Dispatch
import Foundation
import Render
import Slicer
import Trainer

extension FigureOne {
    /// Share `shard` of the figure's LC curve (checkpoints × sets × blocks of samples, as `lc --shard`
    /// splits it): the payload of its parts. The four panels depend on the whole curve: `merge` slices them.
    public static func runShare(_ request: FigureOneRequest, shard: ShardSpec, log: @escaping (String) -> Void = { _ in }) throws
        -> (payload: [String: Any], inputs: [String]) {
        let context = try Context(request, log: log)
        let sweep = context.sweep
        let units = sweep.shareUnits(checkpoints: context.models.count, blockSize: try sweep.blockSize(for: context.first))
        let mine = shard.range(of: units.count)
        var entries: [[String: Any]] = []
        var loaded: (index: Int, model: GraphModel) = (0, context.first)
        for unit in units[mine] {
            if loaded.index != unit.checkpoint { loaded = (unit.checkpoint, try context.run.model(path: context.models[unit.checkpoint].path)) }
            entries.append(["checkpoint": unit.checkpoint, "set": unit.set, "start": unit.samples.lowerBound,
                            "counts": try sweep.measure(loaded.model, unit: unit)])
        }
        log("shard \(shard.index)/\(shard.count): " + shard.describe(mine, of: units.count))
        return (["units": entries], context.models.map(\.path))
    }

    /// The checkpoint files the parts' fingerprint covers.
    public static func inputs(_ request: FigureOneRequest) throws -> [String] {
        try RunModels(runPath: request.runPath).checkpoints.map(\.path)
    }

    /// Draws the figure to the requested outputs from every share's LC counts, as `make` draws it.
    public static func merge(_ request: FigureOneRequest, payloads: [[String: Any]], log: @escaping (String) -> Void = { _ in }) throws -> String {
        let context = try Context(request, log: log)
        var units: [LCShareUnit] = [], counts: [[[[Int]]]] = []
        for payload in payloads {
            for entry in payload["units"] as? [[String: Any]] ?? [] {
                guard let c = entry["checkpoint"] as? Int, let s = entry["set"] as? Int, let start = entry["start"] as? Int,
                      let rows = entry["counts"] as? [[[Int]]], c >= 0, c < context.models.count, start >= 0 else {
                    throw TesseraError.badInput("a figure part holds a damaged LC unit")
                }
                units.append(LCShareUnit(checkpoint: c, set: s, samples: start..<(start + (rows.first?.count ?? 0))))
                counts.append(rows)
            }
        }
        let layers = LCLayer.layers(of: context.first, includeOutput: false, maxPoolWindows: false)
        let reports = try context.sweep.reports(units: units, unitCounts: counts, steps: context.models.map(\.step),
                                                layers: layers, seconds: context.models.map { _ in 0 })
        return try finish(request, context, reports: reports, log: log)
    }
}

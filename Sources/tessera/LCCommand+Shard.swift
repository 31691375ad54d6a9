import Dispatch
import Foundation
import Slicer

extension LCCommand {
    /// The files whose contents the parts' fingerprint covers.
    func inputFiles(_ plan: Plan) -> [String] {
        plan.models.map(\.path) + [plan.architecture, points, frame].compactMap { $0 }
    }

    /// Measures share `shard` of the units and writes its part of every output.
    func runShare(_ shard: ShardSpec, _ plan: Plan) throws {
        guard !deformation else { throw TesseraError.badInput("--deformation is not sharded: run it without --shard") }
        let outputs = [csv, json, plot].compactMap { $0 }
        let block = try plan.sweep.blockSize(for: plan.first.model)
        let units = plan.sweep.shareUnits(checkpoints: plan.models.count, blockSize: block)
        let mine = shard.range(of: units.count)
        var entries: [[String: Any]] = []
        var loaded: (index: Int, model: GraphModel, step: Int?)? = (0, plan.first.model, plan.first.step)
        for u in mine {
            let unit = units[u]
            if loaded?.index != unit.checkpoint {
                let model = try loadModel(plan.models[unit.checkpoint].path, architecture: plan.architecture, activation: plan.modelActivation)
                loaded = (unit.checkpoint, model.model, model.step)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let counts = try plan.sweep.measure(loaded!.model, unit: unit)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var entry: [String: Any] = ["checkpoint": unit.checkpoint, "set": unit.set, "start": unit.samples.lowerBound,
                                        "counts": counts, "seconds": seconds]
            if let step = plan.models[unit.checkpoint].step ?? loaded!.step { entry["step"] = step }
            entries.append(entry)
        }
        log("shard \(shard.index)/\(shard.count): " + shard.describe(mine, of: units.count))
        try writeParts(command: "lc", shard: shard, outputs: outputs, files: inputFiles(plan), payload: ["units": entries])
    }

    /// Joins the parts into the output `output` (one of --csv, --json, --plot), as one process writes it.
    func merge(_ parts: ShardParts) throws {
        var command = self
        command.shard = nil
        command.csv = csv == parts.output ? csv : nil
        command.json = json == parts.output ? json : nil
        command.plot = plot == parts.output ? plot : nil
        guard command.csv != nil || command.json != nil || command.plot != nil else {
            throw TesseraError.badInput("\(parts.output) is not an output of the command its parts record")
        }
        let plan = try command.prepare()
        try checkInputsUnchanged(command: "lc", parts: parts, files: inputFiles(plan))
        var units: [LCShareUnit] = [], counts: [[[[Int]]]] = []
        var steps = [Int?](repeating: nil, count: plan.models.count), seconds = [Double](repeating: 0, count: plan.models.count)
        for payload in parts.payloads {
            for entry in payload["units"] as? [[String: Any]] ?? [] {
                guard let c = entry["checkpoint"] as? Int, let s = entry["set"] as? Int, let start = entry["start"] as? Int,
                      let rows = entry["counts"] as? [[[Int]]], c >= 0, c < steps.count, start >= 0 else {
                    throw TesseraError.badInput("a part of \(parts.output) holds a damaged LC unit")
                }
                units.append(LCShareUnit(checkpoint: c, set: s, samples: start..<(start + (rows.first?.count ?? 0))))
                counts.append(rows)
                steps[c] = entry["step"] as? Int
                seconds[c] += entry["seconds"] as? Double ?? 0
            }
        }
        let layers = LCLayer.layers(of: plan.first.model, includeOutput: includeOutput, maxPoolWindows: maxPoolWindows)
        let reports = try plan.sweep.reports(units: units, unitCounts: counts, steps: steps, layers: layers, seconds: seconds)
        try command.finish(reports, plan)
    }
}

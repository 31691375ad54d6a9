import Dispatch
import Render
import Slicer

extension RunValidation {
    /// One unit of sharded validation: a block of samples on one checkpoint.
    struct Unit { var checkpoint: Int; var samples: Range<Int> }

    static func measurer(_ request: RunValidationRequest, model: GraphModel, frame: [[Double]]) throws -> ValidationMeasurer {
        var measurer = try ValidationMeasurer(model: model, directions: frame, radius: request.radius)
        measurer.arithmetic = request.arithmetic
        measurer.precision = request.precision
        measurer.shape = request.shape
        measurer.parallelism = request.parallelism
        return measurer
    }

    static func units(_ request: RunValidationRequest, plan: Plan) throws -> [Unit] {
        let block = try measurer(request, model: plan.first, frame: plan.frame).blockSize()
        return plan.models.indices.flatMap { c in
            stride(from: 0, to: plan.points.count, by: block).map { Unit(checkpoint: c, samples: $0..<min(plan.points.count, $0 + block)) }
        }
    }

    /// Measures share `shard` of the units: the payload of its parts.
    public static func runShare(_ request: RunValidationRequest, shard: ShardSpec, log: (String) -> Void = { _ in }) throws
        -> (payload: [String: Any], inputs: [String]) {
        try request.check()
        let plan = try prepare(request)
        let units = try units(request, plan: plan)
        let mine = shard.range(of: units.count)
        var entries: [[String: Any]] = []
        var loaded: (index: Int, model: GraphModel) = (0, plan.first)
        for unit in units[mine] {
            if loaded.index != unit.checkpoint { loaded = (unit.checkpoint, try plan.run.model(path: plan.models[unit.checkpoint].path)) }
            let start = DispatchTime.now().uptimeNanoseconds
            let records = try measurer(request, model: loaded.model, frame: plan.frame).measure(samples: plan.points, block: unit.samples)
            entries.append([
                "checkpoint": unit.checkpoint, "start": unit.samples.lowerBound,
                "records": records.map { [[$0.exactRegions], $0.exactCut, $0.lc2, $0.lcP] },
                "seconds": Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
            ])
        }
        log("shard \(shard.index)/\(shard.count): " + shard.describe(mine, of: units.count))
        return (["units": entries], plan.models.map(\.path))
    }

    /// The model files the parts' fingerprint covers.
    public static func inputs(_ request: RunValidationRequest) throws -> [String] {
        try prepare(request).models.map(\.path)
    }

    /// Writes the outputs of `request` from every share's payload, as `run` writes them.
    public static func merge(_ request: RunValidationRequest, payloads: [[String: Any]]) throws -> String {
        try request.check()
        let plan = try prepare(request)
        var records = plan.models.map { _ in [ValidationRecord?](repeating: nil, count: plan.points.count) }
        var seconds = [Double](repeating: 0, count: plan.models.count)
        for payload in payloads {
            for entry in payload["units"] as? [[String: Any]] ?? [] {
                guard let c = entry["checkpoint"] as? Int, let start = entry["start"] as? Int, let rows = entry["records"] as? [[[Int]]],
                      c >= 0, c < records.count, start >= 0, start + rows.count <= plan.points.count else {
                    throw TesseraError.badInput("a part holds validation records that do not fit this command's checkpoints and samples")
                }
                for (offset, row) in rows.enumerated() {
                    guard row.count == 4, row[0].count == 1, records[c][start + offset] == nil else {
                        throw TesseraError.badInput("the parts hold sample \(start + offset) of checkpoint \(c + 1) twice, or damaged")
                    }
                    records[c][start + offset] = ValidationRecord(exactRegions: row[0][0], exactCut: row[1], lc2: row[2], lcP: row[3])
                }
                seconds[c] += entry["seconds"] as? Double ?? 0
            }
        }
        let results = try plan.models.indices.map { c in
            if let missing = records[c].firstIndex(where: { $0 == nil }) {
                throw TesseraError.badInput("no part holds sample \(missing) of checkpoint \(c + 1)")
            }
            return ValidationCheckpoint(step: plan.models[c].step, records: records[c].map { $0! }, seconds: seconds[c])
        }
        return try finish(request, plan: plan, results: results, seconds: seconds.reduce(0, +)).summary
    }
}

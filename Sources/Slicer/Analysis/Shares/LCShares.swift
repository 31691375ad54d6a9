import Dispatch
import Models

/// One unit of sharded LC work: a block of one sample set's samples on one checkpoint.
public struct LCShareUnit: Sendable, Equatable {
    public var checkpoint: Int
    public var set: Int
    public var samples: Range<Int>

    public init(checkpoint: Int, set: Int, samples: Range<Int>) {
        self.checkpoint = checkpoint; self.set = set; self.samples = samples
    }
}

extension LCSweep {
    /// Samples per unit on `model`: a whole number of the estimator's chunks, so a block's chunks are the
    /// chunks one process forms over the whole set, the same gemms on the same rows, and a sample's counts
    /// do not depend on the sharing.
    public func blockSize(for model: GraphModel) throws -> Int {
        let chunk = try estimator(model).samplesPerChunk
        return chunk * max(2, 256 / chunk)
    }

    /// Every unit of work, checkpoint by checkpoint, set by set, block by block.
    public func shareUnits(checkpoints: Int, blockSize: Int) -> [LCShareUnit] {
        (0..<checkpoints).flatMap { c in
            sets.indices.flatMap { s in
                stride(from: 0, to: sets[s].points.count, by: blockSize).map {
                    LCShareUnit(checkpoint: c, set: s, samples: $0..<min(sets[s].points.count, $0 + blockSize))
                }
            }
        }
    }

    func estimator(_ model: GraphModel) throws -> LCEstimator {
        var estimator = try LCEstimator(model: model, directions: directions, radii: radii, includeOutput: includeOutput,
                                        countMaxPoolWindows: countMaxPoolWindows, precision: precision)
        estimator.parallelism = parallelism
        return estimator
    }

    /// counts[radius][sample][layer] of one unit (the selected layers only), as `measure` counts them.
    public func measure(_ model: GraphModel, unit: LCShareUnit) throws -> [[[Int]]] {
        let estimator = try estimator(model)
        let points = sets[unit.set].points
        let block = Array(points[unit.samples])
        let results = try estimator.estimate(samples: block)
        let positions = try layerSelection?.resolve(estimator.layers)
        return results.map { r in positions.map { r.keeping($0).counts } ?? r.counts }
    }

    /// The reports one process writes, from every unit's counts (`unitCounts[i]` belongs to `units[i]`);
    /// each sample must be counted exactly once. `seconds[c]` is the time spent on checkpoint c.
    public func reports(units: [LCShareUnit], unitCounts: [[[[Int]]]], steps: [Int?], layers allLayers: [LCLayer],
                        seconds: [Double]) throws -> [LCReport] {
        var filled = steps.indices.map { _ in sets.map { set in radii.map { _ in [[Int]?](repeating: nil, count: set.points.count) } } }
        for (unit, counts) in zip(units, unitCounts) {
            guard unit.checkpoint < steps.count, unit.set < sets.count, unit.samples.upperBound <= sets[unit.set].points.count,
                  counts.count == radii.count, counts.allSatisfy({ $0.count == unit.samples.count }) else {
                throw TesseraError.badInput("a part holds LC counts that do not fit this command's checkpoints and samples")
            }
            for r in radii.indices {
                for (offset, sample) in unit.samples.enumerated() {
                    guard filled[unit.checkpoint][unit.set][r][sample] == nil else {
                        throw TesseraError.badInput("two parts count sample \(sample) of set \(sets[unit.set].name) at checkpoint \(unit.checkpoint + 1)")
                    }
                    filled[unit.checkpoint][unit.set][r][sample] = counts[r][offset]
                }
            }
        }
        let positions = try layerSelection?.resolve(allLayers)
        let layers = positions.map { $0.map { allLayers[$0] } } ?? allLayers
        return try steps.indices.map { c in
            let results = try sets.indices.map { s in
                (set: sets[s].name, byRadius: try radii.indices.map { r -> LCResult in
                    let rows = filled[c][s][r]
                    if let missing = rows.firstIndex(where: { $0 == nil }) {
                        throw TesseraError.badInput("no part counts sample \(missing) of set \(sets[s].name) at checkpoint \(c + 1)")
                    }
                    return LCResult(radius: radii[r], counts: rows.map { $0! }, layers: layers.count)
                })
            }
            return LCReport(step: steps[c], results: results, directions: directions.count, includeOutput: includeOutput,
                            seconds: seconds[c], layers: layers)
        }
    }
}

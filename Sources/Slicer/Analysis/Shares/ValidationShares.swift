import Dispatch
import Models

extension ValidationMeasurer {
    /// Samples per unit of sharded validation: a whole number of the estimator's chunks, so that the full-P
    /// counts of a block are those one process computes over all samples (see `LCSweep.blockSize`).
    public func blockSize() throws -> Int {
        let chunk = try estimator().samplesPerChunk
        return chunk * max(2, 64 / chunk)
    }

    /// The records of `samples[block]`, as `measure(samples:)` computes them over all of `samples`.
    public func measure(samples: [[Double]], block: Range<Int>) throws -> [ValidationRecord] {
        let estimator = try estimator()
        let points = Array(samples[block])
        let full = try estimator.estimate(samples: points)[0]
        let slots = Slots<Result<(regions: Int, cut: [Int], lc2: [Int]), Error>>(count: points.count)
        parallelism.perform(points.count) { i in slots[i] = Result { try exact(at: points[i]) } }
        return try points.indices.map { i in
            let exact: (regions: Int, cut: [Int], lc2: [Int])
            do { exact = try slots[i]!.get() } catch let error as TesseraError {
                throw TesseraError.badInput("sample \(block.lowerBound + i): \(error.description)")
            }
            return ValidationRecord(exactRegions: exact.regions, exactCut: exact.cut, lc2: exact.lc2, lcP: full.counts[i])
        }
    }
}

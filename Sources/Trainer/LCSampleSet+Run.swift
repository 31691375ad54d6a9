import Slicer

extension LCSampleSet {
    /// The sample sets of a run: `train` is the run's own training samples, and the data directory
    /// defaults to the run's.
    public static func make(splits: [String], limit: Int, dataDirectory: String?, run: RunInfo?,
                            dimension: Int, seed: UInt64) throws -> [LCSampleSet] {
        try make(splits: splits, limit: limit, dataDirectory: dataDirectory ?? run?.data.directory,
                 trainIndices: run?.data.trainIndices, dimension: dimension, seed: seed)
    }
}

import Models

/// A named set of points at which LC is estimated (`train`, `test`, `random` or `points`).
public struct LCSampleSet: Sendable {
    public var name: String
    public var points: [[Double]]

    public init(name: String, points: [[Double]]) { self.name = name; self.points = points }

    /// The sets for `splits` (train, test, random), at most `limit` points each. `train` uses
    /// `trainIndices` when given (a run's own training samples, the ones the model saw), else the first
    /// of the train split; `test` the first of the test split; `random` uniform points in [0,1]^dimension,
    /// seeded.
    public static func make(splits: [String], limit: Int, dataDirectory: String?, trainIndices: [Int]?,
                            dimension: Int, seed: UInt64) throws -> [LCSampleSet] {
        guard limit >= 1 else { throw TesseraError.badInput("--samples must be at least 1") }
        var sets: [LCSampleSet] = []
        for split in splits {
            switch split {
            case "random":
                var generator = SeededGenerator(seed: seed, stream: 0x5241_4E44) // "RAND"
                sets.append(LCSampleSet(name: split, points: (0..<limit).map { _ in (0..<dimension).map { _ in generator.nextUnit() } }))
            case "train", "test":
                guard let directory = dataDirectory else { throw TesseraError.badInput("--data is required for the \(split) split") }
                let data = try Dataset.load(directory: directory, split: split)
                guard data.dimension == dimension else {
                    throw TesseraError.badInput("\(split) samples have dimension \(data.dimension) but the network takes \(dimension)")
                }
                var indices = Array(0..<min(limit, data.count))
                if split == "train", let trainIndices { indices = Array(trainIndices.prefix(limit)) }
                guard indices.allSatisfy({ $0 >= 0 && $0 < data.count }) else {
                    throw TesseraError.badInput("the run's training indices exceed the \(data.count) samples in \(directory)")
                }
                guard !indices.isEmpty else { throw TesseraError.badInput("the \(split) split has no samples") }
                sets.append(LCSampleSet(name: split, points: indices.map(data.image)))
            default:
                throw TesseraError.badInput("unknown split '\(split)' (expected train, test or random)")
            }
        }
        return sets
    }
}

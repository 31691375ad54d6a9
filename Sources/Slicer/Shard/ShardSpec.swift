import Models

/// "Share I of N" of a command's work: `--shard I/N`, 1 ≤ I ≤ N.
public struct ShardSpec: Sendable, Equatable {
    /// 1-based.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 1, index <= count else {
            throw TesseraError.badInput("--shard \(index)/\(count): need 1 ≤ I ≤ N")
        }
        self.index = index; self.count = count
    }

    /// Parses "I/N".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw TesseraError.badInput("--shard '\(text)' is not I/N (e.g. 2/8)")
        }
        try self.init(index: i, count: n)
    }

    /// The suffix of this share's part of an output: `.shard-I-of-N`.
    public var suffix: String { ".shard-\(index)-of-\(count)" }

    /// This share's contiguous range of `units` work units, in order: shares differ by at most one unit.
    public func range(of units: Int) -> Range<Int> {
        (units * (index - 1) / count)..<(units * index / count)
    }

    /// "units 3...5 of 12", or "no units (12 units, fewer than 16 shares)" for an empty share.
    public func describe(_ range: Range<Int>, of units: Int) -> String {
        range.isEmpty ? "no units (\(units) units, fewer than \(count) shares)" : "units \(range.lowerBound + 1)...\(range.upperBound) of \(units)"
    }
}

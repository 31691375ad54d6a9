import Foundation
import Models

/// The N parts of one output P, found beside it and checked: all present once, all of the same N and
/// the same fingerprint. Any other state is one error that names the part.
// @unchecked: a value made of `ShardPart`s (see there).
public struct ShardParts: @unchecked Sendable {
    public var output: String
    /// In share order, 1...N.
    public var parts: [ShardPart]

    public var command: String { parts[0].command }
    public var arguments: [String] { parts[0].arguments }
    public var payloads: [[String: Any]] { parts.map(\.payload) }

    /// Finds and checks the parts of `output`.
    public init(output: String) throws {
        self.output = output
        let slash = output.lastIndex(of: "/")
        let directory = slash.map { String(output[..<$0]) } ?? "."
        let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "/" : directory)) ?? []
        let prefix = name + ".shard-"
        var found: [(path: String, index: Int, count: Int)] = []
        var unfinished: [String] = []
        for entry in entries.sorted() {
            if entry.hasPrefix("." + prefix), entry.contains(".tmp-") { unfinished.append(entry) }
            guard entry.hasPrefix(prefix) else { continue }
            let words = entry.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard words.count == 3, words[1] == "of", let i = Int(words[0]), let n = Int(words[2]) else { continue }
            found.append((slash == nil ? entry : directory + "/" + entry, i, n))
        }
        guard let first = found.first else {
            throw TesseraError.badInput("no shard parts of \(output) (\(output).shard-I-of-N) found")
        }
        let counts = Set(found.map(\.count))
        guard counts.count == 1 else {
            let other = found.first { $0.count != first.count }!
            throw TesseraError.badInput("parts of \(output) disagree on N: \(first.path) and \(other.path)")
        }
        let n = first.count
        var byIndex: [Int: ShardPart] = [:]
        var reference: ShardPart?
        for entry in found {
            let part = try ShardPart.read(path: entry.path)
            guard part.shard.index == entry.index, part.shard.count == entry.count else {
                throw TesseraError.badInput("\(entry.path) holds share \(part.shard.index)/\(part.shard.count), not \(entry.index)/\(entry.count) (renamed?)")
            }
            if let reference, part.fingerprint != reference.fingerprint || part.command != reference.command {
                throw TesseraError.badInput("\(entry.path) is foreign: made by another command or other inputs than \(output + reference.shard.suffix)")
            }
            reference = reference ?? part
            byIndex[entry.index] = part
        }
        for i in 1...n where byIndex[i] == nil {
            let missing = output + ".shard-\(i)-of-\(n)"
            let interrupted = unfinished.first { $0.hasPrefix("." + name + ".shard-\(i)-of-\(n).tmp-") }
            throw TesseraError.badInput("\(missing) is missing" + (interrupted.map { " (only the unfinished \($0): that shard was interrupted; rerun it)" } ?? ""))
        }
        parts = (1...n).map { byIndex[$0]! }
    }
}

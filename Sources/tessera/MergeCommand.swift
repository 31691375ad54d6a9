import ArgumentParser
import Foundation
import Slicer

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the parts P.shard-I-of-N of sharded runs (--shard I/N) into each output P.",
        discussion: """
        Writes P exactly as one process without --shard writes it (the JSON's "seconds" is the sum of the \
        shares' times). A sharded slice's strips are stitched into the one subdivision a single process \
        computes: the same regions, edges, classes and statistics, in canonical order (by pattern), with \
        vertex coordinates that may differ from one process's in the last bits. Run it from the directory the shards ran in: the parts record their command line. \
        A missing, duplicated, foreign (another command's or other inputs') or unfinished part, or parts of \
        different N, is an error that names it, and then nothing is written.
        """)

    @Argument(help: "Output paths P, as given to the sharded command.") var outputs: [String]
    @Flag(help: "Delete the parts after a successful merge.") var removeParts = false

    func run() throws {
        guard !outputs.isEmpty else { throw ValidationError("give the output paths to merge") }
        // Every output's parts are checked before anything is written.
        let all = try outputs.map { try ShardParts(output: $0) }
        // A slice's outputs share their strips: those of one command line are stitched once.
        var sliceGroups: [String: [ShardParts]] = [:]
        for parts in all where parts.command == "slice" { sliceGroups[parts.parts[0].fingerprint, default: []].append(parts) }
        for parts in all {
            switch parts.command {
            case "lc": try LCCommand.parse(parts.arguments).merge(parts)
            case "validate": try ValidateCommand.parse(parts.arguments).merge(parts)
            case "render": try RenderCommand.parse(parts.arguments).merge(parts)
            case "figure": try FigureCommand.parse(parts.arguments).merge(parts)
            case "slice":
                guard let group = sliceGroups.removeValue(forKey: parts.parts[0].fingerprint) else { continue }
                try SliceCommand.parse(parts.arguments).merge(group)
                for each in group { print("\(each.output): merged \(each.parts.count) parts") }
                continue
            default: throw TesseraError.badInput("\(parts.output): parts of '\(parts.command)' cannot be merged by this tessera")
            }
            print("\(parts.output): merged \(parts.parts.count) parts")
        }
        if removeParts {
            for parts in all {
                for part in parts.parts { try? FileManager.default.removeItem(atPath: ShardPart.path(of: parts.output, shard: part.shard)) }
            }
        }
    }
}

import Foundation
import Slicer

/// The command line of a sharded run, without `--shard`: what a part records and `merge` replays.
func argumentsWithoutShard(_ command: String) -> [String] {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if let at = arguments.firstIndex(of: command) { arguments.removeSubrange(...at) }
    var kept: [String] = []
    var skipNext = false
    for argument in arguments {
        if skipNext { skipNext = false; continue }
        if argument == "--shard" { skipNext = true; continue }
        if argument.hasPrefix("--shard=") { continue }
        kept.append(argument)
    }
    return kept
}

/// The fingerprint of `command` with `arguments` over the contents of `files`.
func shardFingerprint(command: String, arguments: [String], files: [String]) throws -> String {
    var fingerprint = Fingerprint()
    fingerprint.add(tesseraVersion)
    fingerprint.add(command)
    for argument in arguments { fingerprint.add(argument) }
    for file in files { try fingerprint.add(file: file) }
    return fingerprint.hex
}

/// Refuses to merge `parts` when the inputs of `command` no longer give the fingerprint the shares recorded.
func checkInputsUnchanged(command: String, parts: ShardParts, files: [String]) throws {
    guard try shardFingerprint(command: command, arguments: parts.arguments, files: files) == parts.parts[0].fingerprint else {
        throw TesseraError.badInput("the inputs of \(parts.output)'s parts have changed since the shards ran")
    }
}

/// Writes one part per output path, every part carrying the share's whole payload.
func writeParts(command: String, shard: ShardSpec, outputs: [String], files: [String], payload: [String: Any],
                blob: Data = Data()) throws {
    guard !outputs.isEmpty else { throw TesseraError.badInput("--shard needs an output file: its parts are written beside it") }
    let arguments = argumentsWithoutShard(command)
    let fingerprint = try shardFingerprint(command: command, arguments: arguments, files: files)
    for output in outputs {
        try ShardPart(command: command, shard: shard, fingerprint: fingerprint, arguments: arguments, output: output,
                      payload: payload, blob: blob).write()
    }
}

import Foundation
import Models

/// One share's part of an output file P, stored at `P.shard-I-of-N`: which command and inputs made it
/// (the fingerprint, and the arguments `merge` replays), and the share's results (the payload).
// @unchecked: a value; `payload` holds only JSON values (strings, numbers, arrays, dictionaries), never shared objects.
public struct ShardPart: @unchecked Sendable {
    /// The subcommand (lc, validate, ...).
    public var command: String
    public var shard: ShardSpec
    public var fingerprint: String
    /// The command's arguments without --shard, as given.
    public var arguments: [String]
    /// The output path P this is a part of, as given on the command line.
    public var output: String
    /// The share's results, a JSON object; its layout belongs to the command.
    public var payload: [String: Any]

    static let format = "tessera shard part 1"

    public init(command: String, shard: ShardSpec, fingerprint: String, arguments: [String], output: String, payload: [String: Any]) {
        self.command = command; self.shard = shard; self.fingerprint = fingerprint
        self.arguments = arguments; self.output = output; self.payload = payload
    }

    /// Where the part of `output` lives.
    public static func path(of output: String, shard: ShardSpec) -> String { output + shard.suffix }

    /// Writes the part at `P.shard-I-of-N` through a temporary file and a rename: it is there whole or not at all.
    public func write() throws {
        let object: [String: Any] = [
            "format": Self.format, "command": command, "shard": shard.index, "of": shard.count,
            "fingerprint": fingerprint, "arguments": arguments, "output": output, "payload": payload,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try OutputFile.write(data, to: Self.path(of: output, shard: shard))
    }

    /// Reads a part file; a file that is not one is an error naming it.
    public static func read(path: String) throws -> ShardPart {
        guard let data = FileManager.default.contents(atPath: path) else { throw TesseraError.io("cannot read \(path)") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["format"] as? String == format,
              let command = object["command"] as? String, let index = object["shard"] as? Int, let count = object["of"] as? Int,
              let fingerprint = object["fingerprint"] as? String, let arguments = object["arguments"] as? [String],
              let output = object["output"] as? String, let payload = object["payload"] as? [String: Any],
              let shard = try? ShardSpec(index: index, count: count) else {
            throw TesseraError.badInput("\(path) is not a tessera shard part (or is damaged)")
        }
        return ShardPart(command: command, shard: shard, fingerprint: fingerprint, arguments: arguments, output: output, payload: payload)
    }
}

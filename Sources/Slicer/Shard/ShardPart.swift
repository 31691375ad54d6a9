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
    /// Bulk results in the command's own binary layout (a slice's strip), after the JSON header.
    public var blob: Data

    /// The file's first line; the format's version is its number. Then the header's length (8 bytes,
    /// little-endian), the header (JSON: the fields above and the payload) and the blob.
    static let format = "tessera shard part 2"

    public init(command: String, shard: ShardSpec, fingerprint: String, arguments: [String], output: String,
                payload: [String: Any], blob: Data = Data()) {
        self.command = command; self.shard = shard; self.fingerprint = fingerprint
        self.arguments = arguments; self.output = output; self.payload = payload; self.blob = blob
    }

    /// Where the part of `output` lives.
    public static func path(of output: String, shard: ShardSpec) -> String { output + shard.suffix }

    /// Writes the part at `P.shard-I-of-N` through a temporary file and a rename: it is there whole or not at all.
    public func write() throws {
        let object: [String: Any] = [
            "format": Self.format, "command": command, "shard": shard.index, "of": shard.count,
            "fingerprint": fingerprint, "arguments": arguments, "output": output, "payload": payload,
        ]
        let header = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        var data = Data((Self.format + "\n").utf8)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(header)
        data.append(blob)
        try OutputFile.write(data, to: Self.path(of: output, shard: shard))
    }

    /// Reads a part file; a file that is not one is an error naming it.
    public static func read(path: String) throws -> ShardPart {
        guard let data = FileManager.default.contents(atPath: path) else { throw TesseraError.io("cannot read \(path)") }
        let magic = Data((format + "\n").utf8)
        var headerLength = 0
        if data.count >= magic.count + 8, data.prefix(magic.count) == magic {
            headerLength = data.dropFirst(magic.count).prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        let start = magic.count + 8
        guard headerLength > 0, headerLength <= data.count - start,
              let object = try? JSONSerialization.jsonObject(with: data.subdata(in: start..<(start + headerLength))) as? [String: Any],
              object["format"] as? String == format,
              let command = object["command"] as? String, let index = object["shard"] as? Int, let count = object["of"] as? Int,
              let fingerprint = object["fingerprint"] as? String, let arguments = object["arguments"] as? [String],
              let output = object["output"] as? String, let payload = object["payload"] as? [String: Any],
              let shard = try? ShardSpec(index: index, count: count) else {
            throw TesseraError.badInput("\(path) is not a tessera shard part (or is damaged)")
        }
        return ShardPart(command: command, shard: shard, fingerprint: fingerprint, arguments: arguments, output: output,
                         payload: payload, blob: data.subdata(in: (start + headerLength)..<data.count))
    }
}

// Initializers whose bytes live in a file next to the model (the dynamo exporter's default,
// `<model>.onnx.data`).

import Foundation

enum ONNXExternalData {
    /// The bytes of `tensor` from its `location` (relative to `directory`, inside it), `offset`
    /// and `length`; every field is checked against the file.
    static func read(_ tensor: Onnx_TensorProto, directory: String, what: String) throws -> Data {
        func bad(_ problem: String) -> ONNXNodeError { ONNXNodeError(message: "\(what) \(problem)") }
        var fields: [String: String] = [:]
        for entry in tensor.externalData {
            guard fields[entry.key] == nil else { throw bad("names external data field '\(entry.key)' twice") }
            fields[entry.key] = entry.value
        }
        guard let location = fields["location"], !location.isEmpty else { throw bad("keeps its data in an external file but names none") }
        let parts = location.split(separator: "/", omittingEmptySubsequences: false)
        guard !location.hasPrefix("/"), !location.contains("\\"), !parts.contains(where: { $0 == ".." || $0.isEmpty }) else {
            throw bad("external data location '\(location)' is not a file beside the model")
        }
        func integer(_ key: String) throws -> Int? {
            guard let text = fields[key] else { return nil }
            guard let value = Int(text), value >= 0 else { throw bad("external data \(key) '\(text)' is not a non-negative integer") }
            return value
        }
        let offset = try integer("offset") ?? 0
        let path = (directory as NSString).appendingPathComponent(location)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw bad("keeps its data in '\(location)', which cannot be opened next to the model")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        let length = try integer("length") ?? max(0, size - offset)
        guard offset <= size, length <= size - offset else {
            throw bad("external data [\(offset), \(offset + length)) lies outside '\(location)' (\(size) bytes; truncated?)")
        }
        guard length <= 8 * ONNXLimits.maximumElements else { throw bad("external data of \(length) bytes is too large") }
        do {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: length) ?? Data()
            guard data.count == length else { throw bad("external data in '\(location)' ends early") }
            return data
        } catch let error as ONNXNodeError {
            throw error
        } catch {
            throw bad("cannot read '\(location)' (\(error))")
        }
    }
}

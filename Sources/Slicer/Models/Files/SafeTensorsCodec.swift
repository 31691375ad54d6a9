// safetensors parsing and serialisation; every header field is validated before it is used.

import Foundation

/// The safetensors reader and writer behind `SafeTensors.read/write`.
enum SafeTensorsCodec {
    /// Headers larger than this are refused (the reference Rust implementation uses the same cap).
    static let maximumHeaderLength = 100_000_000

    static func read(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try decode(BinaryFile.readAll(path: path), path: path)
    }

    /// Parses a whole safetensors file held in memory; `path` only names it in errors.
    static func decode(_ bytes: [UInt8], path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func bad(_ problem: String) -> TesseraError { BinaryFile.bad(path, problem) }
        guard bytes.count >= 8 else {
            throw bad("file is \(bytes.count) bytes, too short for the 8-byte header length")
        }
        let declared = bytes.littleEndianInteger(at: 0, count: 8)
        guard declared <= UInt64(maximumHeaderLength) else {
            throw bad("header length \(declared) exceeds the \(maximumHeaderLength)-byte limit (not a safetensors file?)")
        }
        guard declared <= UInt64(bytes.count - 8) else {
            throw bad("header length \(declared) exceeds file size \(bytes.count)")
        }
        let headerLength = Int(declared)
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart

        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        } catch {
            throw bad("header is not valid JSON (\(jsonProblem(error)))")
        }
        guard let header = json as? [String: Any] else { throw bad("header is not a JSON object") }

        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let map = raw as? [String: Any] else { throw bad("__metadata__ is not a JSON object") }
            for (key, value) in map {
                guard let text = value as? String else { throw bad("__metadata__ value for '\(key)' is not a string") }
                metadata[key] = text
            }
        }

        var entries: [(name: String, shape: [Int], dtype: DType, begin: Int, end: Int)] = []
        for (name, raw) in header where name != "__metadata__" {
            guard let info = raw as? [String: Any] else { throw bad("entry '\(name)' is not a JSON object") }
            guard let dtypeName = info["dtype"] as? String else { throw bad("tensor '\(name)' has no dtype string") }
            guard let dtype = DType(rawValue: dtypeName) else {
                let known = DType.allCases.map(\.rawValue).joined(separator: ", ")
                throw bad("tensor '\(name)' has unsupported dtype '\(dtypeName)' (supported: \(known))")
            }
            guard let rawShape = info["shape"] as? [Any] else { throw bad("tensor '\(name)' has no shape array") }
            var shape: [Int] = []
            for dimension in rawShape {
                guard let value = jsonInteger(dimension), value >= 0 else {
                    throw bad("tensor '\(name)' has a shape entry that is not a non-negative integer")
                }
                shape.append(value)
            }
            guard let offsets = info["data_offsets"] as? [Any], offsets.count == 2,
                  let begin = jsonInteger(offsets[0]), let end = jsonInteger(offsets[1]) else {
                throw bad("tensor '\(name)' needs data_offsets [begin, end] of two integers")
            }
            guard let count = elementCount(shape),
                  case let (byteLength, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount), !overflow else {
                throw bad("tensor '\(name)' shape \(shape) has too many elements")
            }
            guard 0 <= begin, begin <= end, end <= dataLength else {
                throw bad("tensor '\(name)' data_offsets [\(begin), \(end)] lie outside the \(dataLength)-byte data section (truncated file?)")
            }
            guard end - begin == byteLength else {
                throw bad("tensor '\(name)' data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape \(shape) of \(dtype.rawValue) needs \(byteLength)")
            }
            entries.append((name, shape, dtype, begin, end))
        }

        // Zero-length tensors occupy no bytes, so only non-empty ranges can overlap.
        let ranges = entries.filter { $0.begin < $0.end }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        for (first, second) in zip(ranges, ranges.dropFirst()) where second.begin < first.end {
            throw bad("tensors '\(first.name)' and '\(second.name)' overlap in the data section")
        }

        var tensors: [String: Tensor] = [:]
        for entry in entries {
            let values = entry.dtype.decodeAll(bytes, offset: dataStart + entry.begin,
                                               count: (entry.end - entry.begin) / entry.dtype.byteCount)
            tensors[entry.name] = Tensor(shape: entry.shape, dtype: entry.dtype, values: values)
        }
        return (tensors, metadata)
    }

    static func write(path: String, tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws {
        try BinaryFile.writeAtomically(path: path, bytes: encode(tensors: tensors, metadata: metadata, path: path))
    }

    /// Serialises tensors in the given order; the header is space-padded to a multiple of 8 bytes as
    /// the reference writer does, so the data section starts aligned.
    static func encode(tensors: [(name: String, tensor: Tensor)], metadata: [String: String], path: String) throws -> [UInt8] {
        func bad(_ problem: String) -> TesseraError { BinaryFile.bad(path, problem) }
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var data: [UInt8] = []
        for (name, tensor) in tensors {
            guard !name.isEmpty, name != "__metadata__" else { throw bad("cannot write a tensor named '\(name)'") }
            guard header[name] == nil else { throw bad("tensor name '\(name)' appears twice") }
            guard tensor.shape.allSatisfy({ $0 >= 0 }), let count = elementCount(tensor.shape), count == tensor.values.count else {
                throw bad("tensor '\(name)' has shape \(tensor.shape) but \(tensor.values.count) values")
            }
            let begin = data.count
            let size = tensor.dtype.byteCount
            data.reserveCapacity(data.count + count * size)
            for value in tensor.values {
                let bits = tensor.dtype.encode(value)
                if value.isFinite && !tensor.dtype.decode(bits).isFinite {
                    throw bad("tensor '\(name)' value \(value) is too large for \(tensor.dtype.rawValue)")
                }
                data.appendLittleEndian(bits, count: size)
            }
            header[name] = ["dtype": tensor.dtype.rawValue, "shape": tensor.shape, "data_offsets": [begin, data.count]] as [String: Any]
        }
        var json = try [UInt8](JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]))
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + json.count + data.count)
        bytes.appendLittleEndian(UInt64(json.count), count: 8)
        bytes += json
        bytes += data
        return bytes
    }
}

/// The product of a shape's dimensions, or nil if it overflows `Int`.
func elementCount(_ shape: [Int]) -> Int? {
    var product = 1
    for dimension in shape {
        let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        product = next
    }
    return product
}

/// A JSON number that is an integer fitting in `Int` (not a Boolean, not a fraction), else nil.
func jsonInteger(_ value: Any) -> Int? {
    guard let number = value as? NSNumber else { return nil }
    if String(cString: number.objCType) == "c" { return nil }  // JSON true/false bridge as char NSNumbers
    return number as? Int
}

/// Foundation's JSON error text without the NSError boilerplate.
func jsonProblem(_ error: Error) -> String {
    (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
}

import Foundation
import Models

/// Little-endian fixed-width fields for binary shard parts: integers, doubles by bit pattern
/// (exact), and length-prefixed UTF-8 text.
struct PartWriter {
    private(set) var data = Data()

    mutating func u64(_ x: UInt64) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
    mutating func int(_ x: Int) { u64(UInt64(bitPattern: Int64(x))) }
    mutating func double(_ x: Double) { u64(x.bitPattern) }
    mutating func text(_ s: String) { let bytes = Array(s.utf8); int(bytes.count); data.append(contentsOf: bytes) }
    mutating func ints(_ xs: [Int]) { int(xs.count); for x in xs { int(x) } }
    mutating func words(_ xs: [UInt64]) { int(xs.count); for x in xs { u64(x) } }

    /// 32-bit fields for the bulk (vertex indices, edge labels): checked to fit.
    mutating func i32(_ x: Int) throws {
        guard let narrow = Int32(exactly: x) else { throw TesseraError.limitExceeded("a shard part's index \(x) exceeds 32 bits") }
        withUnsafeBytes(of: narrow.littleEndian) { data.append(contentsOf: $0) }
    }
    mutating func i32s(_ xs: [Int]) throws { int(xs.count); for x in xs { try i32(x) } }
}

/// Reads what `PartWriter` wrote; any read past the end or out of range throws `damaged`.
struct PartReader {
    let bytes: [UInt8]
    var at = 0
    let damaged: Error

    init(_ data: Data, damaged: Error) { bytes = [UInt8](data); self.damaged = damaged }

    var atEnd: Bool { at == bytes.count }

    mutating func u64() throws -> UInt64 {
        guard bytes.count - at >= 8 else { throw damaged }
        var x: UInt64 = 0
        for k in 0..<8 { x |= UInt64(bytes[at + k]) << UInt64(8 * k) }
        at += 8
        return x
    }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try u64())) }
    mutating func double() throws -> Double { Double(bitPattern: try u64()) }
    /// A count of items of at least `size` bytes each, checked against what is left.
    mutating func count(_ size: Int) throws -> Int {
        let n = try int()
        guard n >= 0, n <= (bytes.count - at) / max(size, 1) else { throw damaged }
        return n
    }
    mutating func text() throws -> String {
        let n = try count(1)
        defer { at += n }
        guard let s = String(bytes: bytes[at..<(at + n)], encoding: .utf8) else { throw damaged }
        return s
    }
    mutating func ints() throws -> [Int] { try (0..<count(8)).map { _ in try int() } }
    mutating func words() throws -> [UInt64] { try (0..<count(8)).map { _ in try u64() } }
    mutating func i32() throws -> Int {
        guard bytes.count - at >= 4 else { throw damaged }
        var x: UInt32 = 0
        for k in 0..<4 { x |= UInt32(bytes[at + k]) << UInt32(8 * k) }
        at += 4
        return Int(Int32(bitPattern: x))
    }
    mutating func i32s() throws -> [Int] { try (0..<count(4)).map { _ in try i32() } }
}

import Foundation

/// A 64-bit fingerprint of a sharded command: its arguments and the contents of its input files, so
/// that parts of different commands or of changed inputs are never merged together. Not cryptographic.
public struct Fingerprint: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        add(bytes: Array(text.utf8))
        add(bytes: [0])
    }

    public mutating func add(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { add(buffer: UnsafeRawBufferPointer($0)) }
    }

    /// The file's size and every byte of it.
    public mutating func add(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TesseraError.io("cannot read \(path) for the shard fingerprint")
        }
        add("file \((path as NSString).lastPathComponent) \(data.count)")
        data.withUnsafeBytes { add(buffer: $0) }
    }

    mutating func add(buffer: UnsafeRawBufferPointer) {
        // FNV-1a over 8-byte words (then the tail bytes): fast enough to hash checkpoints on every shard.
        var h = state
        let words = buffer.count / 8
        for w in 0..<words {
            h = (h ^ buffer.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            h ^= h >> 29
        }
        for i in (words * 8)..<buffer.count { h = (h ^ UInt64(buffer[i])) &* 0x0000_0100_0000_01b3 }
        state = h
    }

    /// 16 hex digits.
    public var hex: String {
        let text = String(state, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

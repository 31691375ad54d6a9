import Foundation
import Models

/// A 64-bit fingerprint of a sharded command: its arguments and the contents of its input files, so
/// that parts of different commands or of changed inputs are not merged together. Not cryptographic.
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

    /// The file's name, size, and its first and last MiB: a share must not read every checkpoint of a
    /// run (gigabytes, from a shared file system, once per share) to sign the parts; a changed or
    /// replaced checkpoint changes its size or its header (safetensors and ONNX begin with it) or its end.
    public mutating func add(file path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TesseraError.io("cannot read \(path) for the shard fingerprint")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        add("file \((path as NSString).lastPathComponent) \(size)")
        let window: UInt64 = 1 << 20
        for offset in size <= 2 * window ? [0] : [0, size - window] {
            try? handle.seek(toOffset: offset)
            let data = (try? handle.read(upToCount: Int(min(size, size <= 2 * window ? size : window)))) ?? nil
            (data ?? Data()).withUnsafeBytes { add(buffer: $0) }
        }
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

// Helpers shared by the file-format tests: scratch directories, hand-built files, error capture.

import Foundation
import Slicer
import Testing

/// A fresh empty directory for one test; removed when the value is deinitialised.
final class ScratchDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "tessera-files-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes raw bytes (bypassing the code under test) and returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let target = file(name)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }

    /// The directory's entries; a directory that cannot be listed (e.g. removed) is a test failure.
    var contents: [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            Issue.record("cannot list \(path): \(error)")
            return ["(cannot list the directory)"]
        }
    }
}

/// The message of the error `body` throws, or nil when it does not throw.
func errorMessage(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return "\(error)" }
}

/// True when `message` exists and contains every fragment (case-sensitive).
func mentions(_ message: String?, _ fragments: String...) -> Bool {
    guard let message else { return false }
    return fragments.allSatisfy { message.contains($0) }
}

/// Little-endian bytes of an integer of `count` bytes.
func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

/// A safetensors file assembled by hand: length prefix, header text padded to 8, data.
func handSafetensors(_ header: String, _ data: [UInt8], pad: Bool = true) -> [UInt8] {
    var json = Array(header.utf8)
    while pad && json.count % 8 != 0 { json.append(0x20) }
    return littleEndian(UInt64(json.count), 8) + json + data
}

/// A `.npy` file assembled by hand with the given version and header dictionary text.
func handNPY(_ header: String, _ data: [UInt8], major: UInt8 = 1) -> [UInt8] {
    let text = Array((header + "\n").utf8)
    return [0x93] + Array("NUMPY".utf8) + [major, 0] + littleEndian(UInt64(text.count), major == 1 ? 2 : 4) + text + data
}

/// Little-endian float32 bytes of the values.
func float32Bytes(_ values: [Float]) -> [UInt8] { values.flatMap { littleEndian(UInt64($0.bitPattern), 4) } }

/// Little-endian float64 bytes of the values.
func float64Bytes(_ values: [Double]) -> [UInt8] { values.flatMap { littleEndian($0.bitPattern, 8) } }

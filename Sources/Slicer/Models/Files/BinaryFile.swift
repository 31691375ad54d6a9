// Whole-file reads and atomic writes with one-line errors that name the path.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing whole files through POSIX calls, so every failure has an errno message.
enum BinaryFile {
    /// A `badInput` error of the form `path: problem`.
    static func bad(_ path: String, _ problem: String) -> TesseraError {
        .badInput("\(path): \(problem)")
    }

    /// The current `errno` as text.
    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Reads a regular file completely; directories, missing and unreadable files are `badInput`.
    static func readAll(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw bad(path, "cannot open (\(errnoText()))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw bad(path, "cannot stat (\(errnoText()))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw bad(path, "not a regular file") }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if got < 0 {
                if errno == EINTR { continue }
                throw bad(path, "read failed (\(errnoText()))")
            }
            // The file shrank while we read it: report what we have as the file.
            if got == 0 { bytes.removeLast(size - done); break }
            done += got
        }
        return bytes
    }

    /// Writes `bytes` to a temporary file in the destination's directory, then renames it over `path`,
    /// so readers never see a half-written file. Failures are `TesseraError.io` naming `path`.
    static func writeAtomically(path: String, bytes: [UInt8]) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw TesseraError.io("\(path): cannot write (the path names a directory)") }
        let temporary = "\(directory).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let slot = TemporaryFiles.register(temporary)
        defer { TemporaryFiles.unregister(slot) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        guard fd >= 0 else { throw TesseraError.io("\(path): cannot write (\(errnoText()))") }
        var failure: String?
        var done = 0
        while done < bytes.count && failure == nil {
            let wrote = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if wrote < 0 {
                if errno != EINTR { failure = errnoText() }
            } else {
                done += wrote
            }
        }
        if close(fd) != 0 && failure == nil { failure = errnoText() }
        if failure == nil && rename(temporary, path) != 0 { failure = errnoText() }
        if let failure {
            unlink(temporary)
            throw TesseraError.io("\(path): cannot write (\(failure))")
        }
    }
}

/// Little-endian and big-endian integer access into byte arrays (callers check bounds first).
extension Array where Element == UInt8 {
    func littleEndianInteger(at offset: Int, count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<count).reversed() { value = value << 8 | UInt64(self[offset + index]) }
        return value
    }

    func bigEndianUInt32(at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(self[offset + $1]) }
    }

    mutating func appendLittleEndian(_ value: UInt64, count: Int) {
        for index in 0..<count { append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}

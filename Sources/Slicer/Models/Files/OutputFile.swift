import Foundation

/// Output files: checked before long work starts, written whole or not at all.
public enum OutputFile {
    /// Throws unless a file can be created at `path` (its directory exists and is writable).
    public static func checkWritable(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let dir = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw TesseraError.io("\(path): cannot write (the path names a directory)")
        }
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TesseraError.io("\(path): cannot write (directory \(dir) does not exist)")
        }
        guard access(dir, W_OK) == 0 else {
            throw TesseraError.io("\(path): cannot write (directory \(dir) is not writable)")
        }
        // access() says yes to root everywhere and knows nothing of read-only or special file systems:
        // create (and remove) a probe file where the temporary file will go.
        let probe = "\(dir)/.tessera-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let slot = TemporaryFiles.register(probe)
        defer { TemporaryFiles.unregister(slot) }
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw TesseraError.io("\(path): cannot write (\(BinaryFile.errnoText()))") }
        close(fd)
        unlink(probe)
    }

    /// Writes through a temporary file and a rename, so no reader sees a partial file.
    public static func write(_ data: Data, to path: String) throws {
        try BinaryFile.writeAtomically(path: path, bytes: [UInt8](data))
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// JSON with sorted keys, pretty-printed; non-finite numbers are written as null.
    public static func writeJSON(_ object: Any, to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: sanitizeJSON(object), options: [.prettyPrinted, .sortedKeys])
        try write(data + Data("\n".utf8), to: path)
    }

    static func sanitizeJSON(_ object: Any) -> Any {
        switch object {
        case let value as Double: return value.isFinite ? value : NSNull()
        case let dictionary as [String: Any]: return dictionary.mapValues(sanitizeJSON)
        case let array as [Any]: return array.map(sanitizeJSON)
        default: return object
        }
    }
}

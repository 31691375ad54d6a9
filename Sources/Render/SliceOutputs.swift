import Foundation
import Slicer

/// Writes a slice's JSON summary and pictures (format from each extension): all of them or none —
/// when a later output fails, the ones this call already wrote are removed again.
public func writeSliceOutputs(_ result: SliceResult, json: String?, pictures: [String], style: PartitionStyle) throws {
    let written = OutputTransaction(paths: [json].compactMap { $0 } + pictures)
    do {
        if let json { try OutputFile.writeJSON(sliceReport(result), to: json) }
        try drawPartition(result, style: style, toEach: pictures)
    } catch {
        written.rollback()
        throw error
    }
}

/// The output files of one run, so that a run failing half-way through writing them can remove the
/// ones it already wrote (each output is itself written atomically, by temporary file and rename).
struct OutputTransaction {
    struct Identity: Equatable { var device: UInt64; var inode: UInt64 }
    let paths: [String]
    private let before: [Identity?]

    init(paths: [String]) {
        self.paths = paths
        before = paths.map(OutputTransaction.identity)
    }

    /// The file at `path` now, nil when there is none.
    static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Removes every output that this run created or replaced.
    func rollback() {
        for (path, old) in zip(paths, before) {
            if let now = OutputTransaction.identity(path), now != old { unlink(path) }
        }
    }
}

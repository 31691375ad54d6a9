import Foundation
import Slicer

/// The files one slice is written to: its JSON summary, its partition as GeoJSON (optionally with
/// exact vertex coordinates) and pictures (format from each extension).
public struct SliceOutputs {
    public var json: String?
    public var regions: String?
    public var exactVertices = false
    public var pictures: [String] = []
    /// Threads that encode the GeoJSON and compute exact vertices.
    public var parallelism = Parallelism.machine

    public init(json: String? = nil, regions: String? = nil, exactVertices: Bool = false, pictures: [String] = []) {
        self.json = json; self.regions = regions; self.exactVertices = exactVertices; self.pictures = pictures
    }

    /// Every output path.
    public var paths: [String] { [json, regions].compactMap { $0 } + pictures }

    /// Writes every output or none: when a later one fails, the ones already written are removed again.
    public func write(_ result: SliceResult, network: Network?, anchors: [[Double]], labels: [String]?, domain: DomainSpec,
                      style: PartitionStyle) throws {
        let written = OutputTransaction(paths: paths)
        do {
            if let json { try OutputFile.writeJSON(sliceReport(result), to: json) }
            if let regions {
                var exact: [ExactPlanePoint]? = nil
                if exactVertices {
                    guard let network else { throw TesseraError.badInput("--exact-vertices is available for MLP models only") }
                    exact = try ExactVertices.compute(result, network: network, anchors: anchors, domain: domain, parallelism: parallelism)
                }
                try OutputFile.write(PartitionGeoJSON.encode(result, exactVertices: exact, anchorLabels: labels ?? [], parallelism: parallelism), to: regions)
            }
            try drawPartition(result, style: style, toEach: pictures)
        } catch {
            written.rollback()
            throw error
        }
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

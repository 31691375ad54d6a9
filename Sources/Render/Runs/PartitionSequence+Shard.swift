import Dispatch
import Foundation
import Render
import Slicer

extension PartitionSequence {
    /// Share `shard` of `renderWithViewer`: a contiguous range of the checkpoints, each sliced once and
    /// drawn with the style of the whole run (every share slices the last checkpoint for it). Returns
    /// the part's payload: per checkpoint its frame's PNG bytes, its partition.csv row, its viewer
    /// frame, its GeoJSON text (with `regions`) and its LC values. Nothing is written beside the part.
    public func renderShare(_ viewer: RunViewer, shard: ShardSpec, regions: Bool,
                            progress: @escaping (String) -> Void = { _ in }) throws -> [String: Any] {
        let mine = shard.range(of: checkpoints.count)
        let (last, style) = try sharedStyle()
        var packer = try viewer.checkpointSlices(regionsDirectory: nil)
        packer.regionsDirectory = nil
        let lcValues = try viewer.lcValues(at: mine)
        var entries = [[String: Any]?](repeating: nil, count: mine.count)
        var failure: Error?
        let lock = NSLock()
        // Several frames at a time, one thread each, as one process renders them.
        let workers = parallelism.workers(for: mine.count)
        parallelism.perform(workers) { worker in
            let scratch = NSTemporaryDirectory() + "/tessera-share-\(getpid())-\(shard.index)-\(worker).png"
            defer { unlink(scratch) }
            for offset in stride(from: worker, to: mine.count, by: workers) {
                if lock.withLock({ failure != nil }) { return }
                do {
                    let index = mine.lowerBound + offset, step = checkpoints[index].step
                    let result = index == checkpoints.count - 1 ? last : try slice(checkpoints[index])
                    let row = try drawFrame(result, step: step, style: style, to: scratch)
                    guard let png = FileManager.default.contents(atPath: scratch) else { throw TesseraError.io("cannot read back \(scratch)") }
                    var entry: [String: Any] = [
                        "checkpoint": index, "png": png.base64EncodedString(), "row": row.shardValues,
                        "frame": try packer.frame(of: result, graph: nil, step: step).shardValues,
                        "lc": lcValues[offset].map { $0.map(exactText) },
                    ]
                    if regions {
                        entry["geojson"] = String(decoding: PartitionGeoJSON.encode(result, anchorLabels: names.labels, step: step), as: UTF8.self)
                    }
                    lock.withLock {
                        entries[offset] = entry
                        progress("frame \(index + 1)/\(checkpoints.count): step \(groupedDigits(step)), \(regionCount(result.regions.count))")
                    }
                } catch {
                    lock.withLock { failure = failure ?? error }
                }
            }
        }
        if let failure { throw failure }
        progress("shard \(shard.index)/\(shard.count): " + shard.describe(mine, of: checkpoints.count) + " (checkpoints)")
        return ["frames": entries.compactMap { $0 }, "layers": last.layers.count]
    }

    /// Writes what `renderWithViewer` writes (frames, partition.csv, migration.png, the page at `page`,
    /// GeoJSON files into `regionsDirectory`) from every share's payload. Each checkpoint must be in
    /// exactly one payload. Returns the viewer's summary line.
    public func mergeShares(_ viewer: RunViewer, page: String, regionsDirectory: String?, payloads: [[String: Any]]) throws -> String {
        var entries = [[String: Any]?](repeating: nil, count: checkpoints.count)
        for payload in payloads {
            for entry in payload["frames"] as? [[String: Any]] ?? [] {
                guard let index = entry["checkpoint"] as? Int, entries.indices.contains(index) else {
                    throw TesseraError.badInput("a render part holds a checkpoint this run does not have")
                }
                guard entries[index] == nil else {
                    throw TesseraError.badInput("two render parts hold checkpoint \(index + 1) (step \(checkpoints[index].step))")
                }
                entries[index] = entry
            }
        }
        guard let layers = payloads.lazy.compactMap({ $0["layers"] as? Int }).first else {
            throw TesseraError.badInput("the render parts hold no frames")
        }
        if let missing = entries.firstIndex(where: { $0 == nil }) {
            throw TesseraError.badInput("no render part holds checkpoint \(missing + 1) (step \(checkpoints[missing].step))")
        }
        var rows: [PartitionRow] = [], frames: [ViewerFrame] = [], lc: [[[Double]]] = []
        var files: [(path: String, data: Data)] = []
        for (index, entry) in entries.map({ $0! }).enumerated() {
            let step = checkpoints[index].step
            guard let png = (entry["png"] as? String).flatMap({ Data(base64Encoded: $0) }),
                  let row = (entry["row"] as? [Any]).flatMap({ PartitionRow(shardValues: $0, step: step) }),
                  let frame = (entry["frame"] as? [String: Any]).flatMap(ViewerFrame.init(shardValues:)),
                  let values = (entry["lc"] as? [[String]])?.map({ $0.compactMap(exactDouble) }) else {
                throw TesseraError.badInput("a render part holds a damaged frame (checkpoint \(index + 1))")
            }
            files.append((framePath(step: step), png))
            if let regionsDirectory {
                guard let text = entry["geojson"] as? String else { throw TesseraError.badInput("a render part holds no GeoJSON for checkpoint \(index + 1)") }
                files.append((regionsDirectory + "/frame-" + String(format: "%09d", step) + ".geojson", Data(text.utf8)))
            }
            rows.append(row); frames.append(frame)
            lc.append(values)
        }
        try OutputFile.checkWritable(page)
        for file in files { try OutputFile.write(file.data, to: file.path) }
        try writeTable(rows, layers: layers)
        return try viewer.writePage(to: page, frames: frames, lcValues: viewer.lcSamples > 0 ? lc : nil)
    }
}

extension PartitionRow {
    /// The row as JSON numbers, doubles by their bit patterns (exact through any JSON reader).
    var shardValues: [Any] {
        let doubles = [boundaryLength, migration.edgeLength, migration.nearAnchors, migration.nearBoundary,
                       migration.areaNearAnchors, migration.areaNearBoundary]
        return [regions, vertices, edges, neuronsCut, boundarySegments, regionsNearAnchors,
                doubles.map(exactText), testAccuracy.map(exactText) as Any? ?? NSNull()]
    }

    init?(shardValues v: [Any], step: Int) {
        guard v.count == 8, let regions = v[0] as? Int, let vertices = v[1] as? Int, let edges = v[2] as? Int,
              let cut = v[3] as? [Int], let segments = v[4] as? Int, let near = v[5] as? [Int],
              let d = (v[6] as? [String])?.compactMap(exactDouble), d.count == 6 else { return nil }
        self.step = step
        self.regions = regions; self.vertices = vertices; self.edges = edges
        neuronsCut = cut; boundarySegments = segments; boundaryLength = d[0]; regionsNearAnchors = near
        migration = MigrationStats.recorded(Array(d[1...]))!
        testAccuracy = (v[7] as? String).flatMap(exactDouble)
    }
}

extension ViewerFrame {
    /// The packed frame as JSON: its small fields as they are, the stream in base64.
    var shardValues: [String: Any] {
        ["step": step, "title": title, "regions": regionCount, "maxSlope": exactText(maxSlope),
         "classes": classCount, "fields": Self.exact(fields), "blob": blob.base64EncodedString()]
    }

    init?(shardValues v: [String: Any]) {
        guard let step = v["step"] as? Int, let title = v["title"] as? String, let regions = v["regions"] as? Int,
              let slope = (v["maxSlope"] as? String).flatMap(exactDouble), let classes = v["classes"] as? Int, let fields = v["fields"].map(Self.inexact) as? [String: Any],
              let blob = (v["blob"] as? String).flatMap({ Data(base64Encoded: $0) }) else { return nil }
        self.init(step: step, title: title, regionCount: regions, maxSlope: slope, classCount: classes,
                  fields: fields, blob: blob)
    }

    /// `value` with every Double as {"bits": `exactText`}.
    static func exact(_ value: Any) -> Any {
        switch value {
        case let number as Int: return number
        case let number as Double: return ["bits": exactText(number)]
        case let array as [Any]: return array.map(exact)
        case let object as [String: Any]: return object.mapValues(exact)
        default: return value
        }
    }

    /// The inverse of `exact`.
    static func inexact(_ value: Any) -> Any {
        switch value {
        case let array as [Any]: return array.map(inexact)
        case let object as [String: Any]:
            if object.count == 1, let bits = (object["bits"] as? String).flatMap(exactDouble) { return bits }
            return object.mapValues(inexact)
        default: return value
        }
    }
}

/// A double as the hex digits of its bit pattern: JSON text of a number need not read back as the same
/// double, and the merged files must be the bytes one process writes.
func exactText(_ value: Double) -> String { String(value.bitPattern, radix: 16) }

func exactDouble(_ text: String) -> Double? { UInt64(text, radix: 16).map(Double.init(bitPattern:)) }

import Dispatch
import Foundation
import Polytope
import Render
import Slicer
import Trainer

/// Renders every checkpoint of a run through one plane with shared framing and style: a PNG per
/// frame, partition.csv (one `PartitionRow` per frame) and migration.png.
public struct PartitionSequence {
    public let directory: RunDirectory
    public let checkpoints: [(step: Int, path: String)]
    public let metrics: [Int: MetricsRow]
    public let anchors: [[Double]]
    public let names: AnchorNames
    public let domain: DomainSpec
    public let outputDirectory: String
    public let radius: Double, delta: Double, maxRegions: Int
    public let picture: PictureSettings
    public let activation: Activation?
    public let dataDirectory: String
    /// The run's checkpoints as graph models (an MLP run or a graph run alike).
    public let run: RunModels
    /// Threads: frames are sliced and drawn this many at a time.
    public var parallelism = Parallelism.machine

    /// Checks everything and creates the output directory (default RUN/render-i-j-k); `every` keeps
    /// every N-th checkpoint and always the last.
    public init(runPath: String, indices: [Int], split: String, data: String?, domain: DomainSpec, outputDirectory: String?,
                every: Int, radius: Double, delta: Double, maxRegions: Int, picture: PictureSettings) throws {
        guard every >= 1, radius > 0, delta > 0 else { throw TesseraError.badInput("--every, --radius and --delta must be positive") }
        run = try RunModels(runPath: runPath)
        directory = run.directory
        let all = run.checkpoints
        checkpoints = all.enumerated().filter { $0.offset % every == 0 || $0.offset == all.count - 1 }.map(\.element)
        metrics = Dictionary((try? directory.readMetrics())?.map { ($0.step, $0) } ?? [], uniquingKeysWith: { $1 })
        guard indices.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices") }
        guard split == "train" || split == "test" else { throw TesseraError.badInput("--split must be train or test") }
        dataDirectory = try run.dataDirectory(data)
        let chosen = try Dataset.load(directory: dataDirectory, split: split, samples: indices)
        anchors = (0..<chosen.count).map(chosen.image)
        names = AnchorNames(split: split, indices: indices, chosen: chosen, directory: dataDirectory)
        self.domain = domain
        self.outputDirectory = outputDirectory ?? runPath + "/render-" + indices.map(String.init).joined(separator: "-")
        self.radius = radius; self.delta = delta; self.maxRegions = maxRegions
        self.picture = picture
        activation = run.activation
        do { try FileManager.default.createDirectory(atPath: self.outputDirectory, withIntermediateDirectories: true) } catch {
            throw TesseraError.io("cannot create \(self.outputDirectory): \(error.localizedDescription)")
        }
        try OutputFile.checkWritable(self.outputDirectory + "/partition.csv")
    }

    public var framePaths: [String] { checkpoints.map { framePath(step: $0.step) } }
    public func framePath(step: Int) -> String { outputDirectory + "/frame-" + String(format: "%09d", step) + ".png" }
    public var csvPath: String { outputDirectory + "/partition.csv" }
    public var migrationPath: String { outputDirectory + "/migration.png" }

    func slice(_ checkpoint: (step: Int, path: String)) throws -> SliceResult {
        // Frames are sliced several at a time, so each slice keeps to one thread.
        var options = SliceOptions(domain: domain, maxRegions: maxRegions)
        options.parallelism = .serial
        return try Slicer.slice(graph: run.model(path: checkpoint.path), anchors: anchors, options: options)
    }

    /// Slices and draws every frame (as many at a time as `parallelism` has threads, each checkpoint sliced once), then writes
    /// partition.csv and migration.png. `progress` receives one line per finished frame; `sliced`,
    /// if given, receives each checkpoint's index and slice (from the worker threads) for other outputs.
    @discardableResult
    public func render(progress: @escaping (String) -> Void = { _ in },
                       sliced: ((Int, SliceResult) throws -> Void)? = nil) throws -> [PartitionRow] {
        let lastIndex = checkpoints.count - 1
        let (last, style) = try sharedStyle()
        var rows = [PartitionRow?](repeating: nil, count: checkpoints.count)
        var failure: Error?
        let lock = NSLock()
        var done = 0
        let start = Date()
        let workers = parallelism.workers(for: checkpoints.count)
        parallelism.perform(workers) { worker in
            for index in stride(from: worker, to: checkpoints.count, by: workers) {
                if lock.withLock({ failure != nil }) { return }
                do {
                    let checkpoint = checkpoints[index]
                    let frameStart = Date()
                    let result = index == lastIndex ? last : try slice(checkpoint)
                    try sliced?(index, result)
                    let row = try drawFrame(result, step: checkpoint.step, style: style, to: framePath(step: checkpoint.step))
                    lock.withLock {
                        rows[index] = row
                        done += 1
                        // Two frames are made at a time: the frame's own time, and the time since the first began.
                        progress(String(format: "frame %d/%d: step %@, %@ regions (%.1f s; %.1f s since the start)", done, checkpoints.count,
                                        groupedDigits(checkpoint.step), groupedDigits(result.regions.count),
                                        Date().timeIntervalSince(frameStart), Date().timeIntervalSince(start)))
                    }
                } catch {
                    lock.withLock { failure = failure ?? error }
                }
            }
        }
        if let failure { throw failure }
        let table = rows.compactMap { $0 }
        try writeTable(table, layers: last.layers.count)
        return table
    }

    /// The style every frame shares: framing from the (checkpoint-independent) domain, slope range
    /// from the last checkpoint, whose slice comes with it.
    func sharedStyle() throws -> (last: SliceResult, style: PartitionStyle) {
        let last = try slice(checkpoints[checkpoints.count - 1])
        var style = try picture.style(for: last, labels: names.labels, anchors: anchors, dataDirectory: dataDirectory)
        style.framing = neighbourhoodFraming(domain, last) ?? Framing(for: last)
        style.domainNote = neighbourhoodNote(domain, anchorLabels: style.anchorLabels)
        if picture.fill == .slope { style.slopeRange = style.resolvedSlopeRange(for: [last]) }
        return (last, style)
    }

    /// Draws the frame of the slice at `step` to `path` (a PNG) and returns its partition.csv row.
    func drawFrame(_ result: SliceResult, step: Int, style: PartitionStyle, to path: String) throws -> PartitionRow {
        var frameStyle = style
        frameStyle.title = title(step: step, regions: result.regions.count)
        try drawPartition(result, style: frameStyle, to: path, format: .png)
        return PartitionRow(step: step, result: result, radius: radius, delta: delta, testAccuracy: metrics[step]?.testAccuracy)
    }

    /// Writes partition.csv and migration.png from every frame's row, in order.
    func writeTable(_ table: [PartitionRow], layers: Int) throws {
        let text = ([PartitionRow.csvHeader(layers: layers, anchors: names)] + table.map(\.csv)).joined(separator: "\n") + "\n"
        try OutputFile.write(text, to: csvPath)
        try drawPlots(migrationPlots(table, delta: delta), columns: 2, to: migrationPath, format: .png)
    }

    func title(step: Int, regions: Int) -> String {
        var text = PartitionStyle.title(step: step, regions: regions)
        if let accuracy = metrics[step]?.testAccuracy, accuracy.isFinite { text += String(format: " · test acc %.1f%%", 100 * accuracy) }
        return text
    }
}

import ArgumentParser
import Foundation
import Render
import Trainer

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "One partition picture per checkpoint of a run, with partition.csv and the migration plot.")

    @Argument(help: "A run directory from 'tessera train'.") var runPath: String
    @Option(help: "Three sample indices, e.g. 0,1,2.") var indices: String
    @Option(help: "Dataset split of the indices: train or test.") var split = "train"
    @Option(help: "Dataset directory (default: the run's).") var data: String?
    @Option(help: "square[:S], triangle[:S], disk:R[@k] or diamond:R[@k].") var domain = "square:1.5"
    @Option(help: "Output directory (default: RUN/render-i-j-k).") var out: String?
    @Option(help: "Also assemble the frames into a video (.mp4 or .gif) with ffmpeg.") var video: String?
    @Option(help: "Frames per second of the video.") var fps = 8
    @Option(help: "Radius (input-space units) for regions near each anchor.") var radius = 0.5
    @Option(help: "Distance (input-space units) for the migration measure.") var delta = 0.5
    @Option(help: "Render every N-th checkpoint only.") var every = 1
    @Option(help: "Stop a frame with an error past this many regions.") var maxRegions = 2_000_000
    @Flag(help: "Also write each checkpoint's partition as GeoJSON (frame-<step>.geojson).") var regions = false
    @OptionGroup var picture: PictureOptions

    func run() throws {
        guard every >= 1, fps >= 1, radius > 0, delta > 0 else { throw TesseraError.badInput("--every, --fps, --radius and --delta must be positive") }
        let sequence = try PartitionSequence(runPath: runPath, indices: try parseIndices(indices), split: split, data: data,
                                             domain: try DomainSpec(parsing: domain), outputDirectory: out, every: every,
                                             radius: radius, delta: delta, maxRegions: maxRegions, picture: picture)
        if let video { try checkVideoTools(video) }
        try sequence.render()
        var viewer = RunViewer(runPath: runPath, checkpoints: sequence.checkpoints, anchors: sequence.anchors, labels: sequence.labels,
                               domain: sequence.domain, activation: sequence.activation, dataDirectory: sequence.dataDirectory)
        viewer.fill = picture.fill
        try viewer.write(to: sequence.outputDirectory + "/view.html", regionsDirectory: regions ? sequence.outputDirectory : nil)
        if let video { try makeVideo(frames: sequence.framePaths, to: video, fps: fps) }
    }
}

/// Renders every checkpoint of a run through one plane with shared framing and style.
struct PartitionSequence {
    let directory: RunDirectory
    let checkpoints: [(step: Int, path: String)]
    let metrics: [Int: MetricsRow]
    let anchors: [[Double]]
    let labels: [String]
    let domain: DomainSpec
    let outputDirectory: String
    let radius: Double, delta: Double, maxRegions: Int
    let picture: PictureOptions
    let activation: Activation?
    let dataDirectory: String

    init(runPath: String, indices: [Int], split: String, data: String?, domain: DomainSpec, outputDirectory: String?,
         every: Int, radius: Double, delta: Double, maxRegions: Int, picture: PictureOptions) throws {
        directory = RunDirectory(path: runPath)
        let info = try directory.readRunInfo()
        let all = try directory.checkpoints()
        guard !all.isEmpty else { throw TesseraError.badInput("\(runPath) has no checkpoints") }
        // Every N-th, always keeping the last.
        checkpoints = all.enumerated().filter { $0.offset % every == 0 || $0.offset == all.count - 1 }.map(\.element)
        metrics = Dictionary((try? directory.readMetrics())?.map { ($0.step, $0) } ?? [], uniquingKeysWith: { $1 })
        guard indices.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices") }
        guard split == "train" || split == "test" else { throw TesseraError.badInput("--split must be train or test") }
        dataDirectory = data ?? info.data.directory
        let dataset = try Dataset.load(directory: dataDirectory, split: split)
        anchors = try dataset.images(at: indices)
        labels = indices.map { "\(split) #\($0) · \(ClassNames.name(of: dataset.labels[$0], directory: data ?? info.data.directory))" }
        self.domain = domain
        self.outputDirectory = outputDirectory ?? runPath + "/render-" + indices.map(String.init).joined(separator: "-")
        self.radius = radius; self.delta = delta; self.maxRegions = maxRegions
        self.picture = picture
        activation = try? info.config.parsedActivation()
        do { try FileManager.default.createDirectory(atPath: self.outputDirectory, withIntermediateDirectories: true) } catch {
            throw TesseraError.io("cannot create \(self.outputDirectory): \(error.localizedDescription)")
        }
        try OutputFile.checkWritable(self.outputDirectory + "/partition.csv")
    }

    var framePaths: [String] { checkpoints.map { framePath(step: $0.step) } }
    func framePath(step: Int) -> String { outputDirectory + "/frame-" + String(format: "%09d", step) + ".png" }

    func slice(_ checkpoint: (step: Int, path: String)) throws -> SliceResult {
        let (network, _) = try ModelFile.load(path: checkpoint.path, activation: activation)
        return try Slicer.slice(network: network, anchors: anchors, options: SliceOptions(domain: domain, maxRegions: maxRegions))
    }

    func render() throws {
        // Shared style: framing from the (checkpoint-independent) domain, slope range from the last checkpoint.
        let last = try slice(checkpoints[checkpoints.count - 1])
        var style = try picture.style(for: last, labels: labels, anchors: anchors, dataDirectory: dataDirectory)
        style.framing = Framing(for: last)
        if picture.fill == "slope" { style.slopeRange = style.resolvedSlopeRange(for: [last]) }
        var rows = [String](repeating: "", count: checkpoints.count)
        var failure: Error?
        let lock = NSLock()
        var done = 0
        let start = Date()
        BLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                for index in stride(from: worker, to: checkpoints.count, by: 2) {
                    if lock.withLock({ failure != nil }) { return }
                    do {
                        let checkpoint = checkpoints[index]
                        let result = try slice(checkpoint)
                        var frameStyle = style
                        frameStyle.title = title(step: checkpoint.step, regions: result.regions.count)
                        try drawPartition(result, style: frameStyle, to: framePath(step: checkpoint.step), format: .png)
                        let row = csvRow(step: checkpoint.step, result)
                        lock.withLock {
                            rows[index] = row
                            done += 1
                            printError(String(format: "frame %d/%d: step %d, %d regions (%.1f s)", done, checkpoints.count,
                                              checkpoint.step, result.regions.count, Date().timeIntervalSince(start)))
                        }
                    } catch {
                        lock.withLock { failure = failure ?? error }
                    }
                }
            }
        }
        if let failure { throw failure }
        let layers = last.layers.count
        let header = ["step", "regions", "vertices", "edges"] + (1...max(1, layers)).prefix(layers).map { "neurons_cut_layer\($0)" }
            + ["boundary_segments", "boundary_length"] + (1...3).map { "regions_near_anchor\($0)" }
            + ["edge_length", "edge_share_near_anchors", "edge_share_near_boundary", "test_accuracy"]
        try OutputFile.write(([header.joined(separator: ",")] + rows).joined(separator: "\n") + "\n",
                             to: outputDirectory + "/partition.csv")
        try drawMigrationPlot(rows: rows)
        print("\(checkpoints.count) frames, partition.csv and migration.png in \(outputDirectory)")
    }

    func title(step: Int, regions: Int) -> String {
        var text = "step \(step.formatted()) · \(regions.formatted()) regions"
        if let accuracy = metrics[step]?.testAccuracy, accuracy.isFinite { text += String(format: " · test acc %.1f%%", 100 * accuracy) }
        return text
    }

    func csvRow(step: Int, _ result: SliceResult) -> String {
        let moved = migration(result, delta: delta)
        let near = result.anchors.map { regionsNear($0, radius: radius, in: result) }
        let values: [String] = ["\(step)", "\(result.regions.count)", "\(result.vertices.count)", "\(result.edges.count)"]
            + result.layers.map { "\($0.neuronsCut)" }
            + ["\(result.boundarySegments.count)", "\(result.boundaryLength)"] + near.map(String.init)
            + ["\(moved.edgeLength)", "\(moved.nearAnchors)", "\(moved.nearBoundary)",
               metrics[step].map { "\($0.testAccuracy)" } ?? ""]
        return values.joined(separator: ",")
    }

    /// Shares of neuron-edge length near the anchors and near the boundary, against steps (log scale).
    func drawMigrationPlot(rows: [String]) throws {
        let table = rows.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let columns = table.first?.count ?? 0
        guard columns >= 4 else { return }
        let steps = table.map { max(1, Double($0[0]) ?? 1) }
        let anchorShare = table.map { Double($0[columns - 3]) ?? .nan }
        let boundaryShare = table.map { Double($0[columns - 2]) ?? .nan }
        let plot = LinePlot(title: "Share of neuron-edge length within δ = \(delta)",
                            xLabel: "training step", yLabel: "share of edge length",
                            series: [PlotSeries(name: "the anchors", x: steps, y: anchorShare, color: .lcTrain),
                                     PlotSeries(name: "the decision boundary", x: steps, y: boundaryShare, color: .boundaryRed)])
        try drawPlot(plot, to: outputDirectory + "/migration.png", format: .png)
    }
}

/// ffmpeg must exist before the long work starts.
func checkVideoTools(_ path: String) throws {
    guard path.hasSuffix(".mp4") || path.hasSuffix(".gif") else { throw TesseraError.badInput("--video must end in .mp4 or .gif") }
    try OutputFile.checkWritable(path)
    guard findExecutable("ffmpeg") != nil else {
        throw TesseraError.badInput("--video needs ffmpeg: install the Debian package 'ffmpeg' (apt-get install ffmpeg)")
    }
}

func findExecutable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Assembles frames (in the given order) into an .mp4 or .gif through ffmpeg's concat demuxer.
func makeVideo(frames: [String], to path: String, fps: Int) throws {
    guard let ffmpeg = findExecutable("ffmpeg") else { throw TesseraError.badInput("ffmpeg not found (apt-get install ffmpeg)") }
    let list = NSTemporaryDirectory() + "tessera-frames-\(getpid()).txt"
    let duration = 1.0 / Double(fps)
    let lines = frames.map { "file '\(URL(fileURLWithPath: $0).path)'\nduration \(duration)" } + ["file '\(URL(fileURLWithPath: frames.last!).path)'"]
    try OutputFile.write(lines.joined(separator: "\n") + "\n", to: list)
    defer { unlink(list) }
    let extensionName = (path as NSString).pathExtension
    let temporary = (path as NSString).deletingLastPathComponent.appending("/.tessera-video-\(getpid()).\(extensionName)")
    let filter = path.hasSuffix(".gif")
        ? "scale=720:-1:flags=lanczos,split[a][b];[a]palettegen[p];[b][p]paletteuse"
        : "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ffmpeg)
    process.arguments = ["-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-vf", filter, temporary]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0, rename(temporary, path) == 0 else {
        unlink(temporary)
        throw TesseraError.io("ffmpeg could not write \(path)")
    }
    print("video: \(path)")
}

import ArgumentParser
import Foundation
import Pipelines
import Render
import Slicer

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
    @Option(help: "Distance δ (input-space units) for the migration measures: edge length and area within δ.") var delta = 0.5
    @Option(help: "Render every N-th checkpoint only.") var every = 1
    @Option(help: "Stop a frame with an error past this many regions.") var maxRegions = 2_000_000
    @Flag(help: "Also write each checkpoint's partition as GeoJSON (frame-<step>.geojson).") var regions = false
    @Option(help: "Samples per set (train, test, random) of the LC curves on view.html; 0 draws none.") var lcSamples = 200
    @OptionGroup var picture: PictureOptions
    @OptionGroup var threading: ThreadsOption
    @Option(help: "Do only share I of N (a range of the checkpoints) and write OUT/partition.csv.shard-I-of-N, holding the share's frames; 'tessera merge OUT/partition.csv' writes everything render writes.") var shard: String?

    func run() throws {
        guard every >= 1, fps >= 1, radius > 0, delta > 0 else { throw TesseraError.badInput("--every, --fps, --radius and --delta must be positive") }
        guard lcSamples >= 0 else { throw TesseraError.badInput("--lc-samples must be 0 or more") }
        let sequence = try makeSequence()
        if let video { try Video.checkTools(for: video) }
        let viewer = makeViewer(sequence)
        if let shard {
            let spec = try ShardSpec(parsing: shard)
            let payload = try sequence.renderShare(viewer, shard: spec, regions: regions, progress: printError)
            try writeParts(command: "render", shard: spec, outputs: [sequence.csvPath], files: sequence.checkpoints.map(\.path), payload: payload)
            return
        }
        print(try sequence.renderWithViewer(viewer, page: sequence.outputDirectory + "/view.html",
                                            regionsDirectory: regions ? sequence.outputDirectory : nil, progress: printError))
        print("\(sequence.checkpoints.count) frames, partition.csv and migration.png in \(sequence.outputDirectory)")
        if let video {
            try Video.make(frames: sequence.framePaths, to: video, fps: fps)
            print("video: \(video)")
        }
    }

    /// The checkpoints, anchors and picture settings this command's arguments name.
    func makeSequence() throws -> PartitionSequence {
        var sequence = try PartitionSequence(runPath: runPath, indices: try parseIndices(indices), split: split, data: data,
                                             domain: try parseDomain(domain), outputDirectory: out, every: every,
                                             radius: radius, delta: delta, maxRegions: maxRegions, picture: try picture.settings())
        sequence.parallelism = try threading.parallelism()
        return sequence
    }

    /// The viewer page's settings for `sequence`.
    func makeViewer(_ sequence: PartitionSequence) -> RunViewer {
        var viewer = RunViewer(runPath: runPath, checkpoints: sequence.checkpoints, anchors: sequence.anchors, labels: sequence.names.labels,
                               domain: sequence.domain, activation: sequence.activation, dataDirectory: sequence.dataDirectory)
        viewer.fill = picture.fill
        viewer.maxRegions = maxRegions
        viewer.lcSamples = lcSamples
        viewer.parallelism = sequence.parallelism
        return viewer
    }
}

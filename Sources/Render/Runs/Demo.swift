import Foundation
import Render
import Slicer
import Trainer

/// Everything on one small run: train, render, LC, exact vs approximate LC, and Figure 1.
public struct DemoRequest: Sendable {
    /// Output directory (the run goes to OUT/run).
    public var out = "output/demo"
    /// IDX dataset directory (Debian's dataset-fashion-mnist by default).
    public var data = "/usr/share/datasets/fashion-mnist"
    public var steps = 2000
    /// Hidden width of the MLP.
    public var width = 200
    /// Three training-sample indices for the slice.
    public var indices = [0, 1, 2]
    /// Threads every stage may use.
    public var parallelism = Parallelism.machine

    public init() {}
}

public enum Demo {
    /// Runs every stage, logging each with the command that does the same, and returns what was written where.
    public static func run(_ request: DemoRequest, log: @escaping (String) -> Void = { _ in }) throws -> String {
        guard FileManager.default.fileExists(atPath: request.data) else {
            throw TesseraError.badInput("no dataset at \(request.data): install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")
        }
        guard request.indices.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices") }
        let start = Date()
        let out = request.out, run = request.out + "/run"
        let indexList = request.indices.map(String.init).joined(separator: ",")
        try? FileManager.default.removeItem(atPath: run)
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw TesseraError.io("cannot create \(out): \(error.localizedDescription)")
        }
        func stage(_ name: String, _ command: String) {
            log(String(format: "[%5.0f s] %@: tessera %@", Date().timeIntervalSince(start), name, command))
        }

        stage("train", "train --data \(request.data) --out \(run) --steps \(request.steps) --width \(request.width) --checkpoints-per-decade 12")
        var config = TrainingConfig()
        config.steps = request.steps; config.width = request.width; config.checkpointsPerDecade = 12
        try TrainingRun.run(config: config, dataDirectory: request.data, out: run, resume: false, parallelism: request.parallelism, log: log)

        stage("render", "render \(run) --indices \(indexList) --out \(out)/frames --every 2 --size 900")
        var sequence = try PartitionSequence(runPath: run, indices: request.indices, split: "train", data: nil, domain: .square(scale: 1.5),
                                             outputDirectory: out + "/frames", every: 2, radius: 0.5, delta: 0.5, maxRegions: 2_000_000,
                                             picture: PictureSettings(size: 900))
        sequence.parallelism = request.parallelism
        var viewer = RunViewer(runPath: run, checkpoints: sequence.checkpoints, anchors: sequence.anchors, labels: sequence.names.labels,
                               domain: sequence.domain, activation: sequence.activation, dataDirectory: sequence.dataDirectory)
        viewer.parallelism = request.parallelism
        log(try sequence.renderWithViewer(viewer, page: out + "/frames/view.html", progress: log))

        stage("lc", "lc \(run) --radius 0.5 --samples 300 --csv \(out)/lc.csv --plot \(out)/lc.png")
        let directory = RunDirectory(path: run)
        let info = try directory.readRunInfo()
        let checkpoints = try directory.checkpoints()
        let dimension = info.data.inputDimension
        let sets = try LCSampleSet.make(splits: ["train", "test", "random"], limit: 300, dataDirectory: nil, run: info,
                                        dimension: dimension, seed: 0)
        let curves = try RunLCCurves(checkpoints: checkpoints, activation: try? info.config.parsedActivation(), sets: sets, radii: [0.5],
                                     directions: try LCDirections.random(count: 25, dimension: dimension, seed: 0),
                                     parallelism: request.parallelism, log: log)
        try OutputFile.write(curves.csv, to: out + "/lc.csv")
        try drawPlots(lcPlots(curves.reports, metrics: (try? directory.readMetrics()) ?? []), to: out + "/lc.png")

        stage("validate", "validate \(run) --samples 30 --radius 0.5 --checkpoints 8 --csv \(out)/validate.csv --json \(out)/validate.json --png \(out)/validate.png")
        var validation = RunValidationRequest(runPath: run)
        validation.samples = 30; validation.radius = 0.5; validation.checkpoints = 8
        validation.csv = out + "/validate.csv"; validation.json = out + "/validate.json"; validation.png = out + "/validate.png"
        validation.parallelism = request.parallelism
        log(try RunValidation.run(validation, log: log).summary)

        stage("figure", "figure \(run) --indices \(indexList) --png \(out)/figure1.png --pdf \(out)/figure1.pdf")
        var figure = FigureOneRequest(runPath: run, indices: request.indices)
        figure.png = out + "/figure1.png"; figure.pdf = out + "/figure1.pdf"
        figure.parallelism = request.parallelism
        log(try FigureOne.make(figure, log: log))

        return """
        demo finished in \(Int(Date().timeIntervalSince(start))) s:
          run (checkpoints, metrics.csv, run.json)   \(run)
          partition frames, partition.csv            \(out)/frames
          interactive viewer (open in a browser)     \(out)/frames/view.html
          migration of neurons to the boundary       \(out)/frames/migration.png
          local complexity (CSV, plot)               \(out)/lc.csv, \(out)/lc.png
          exact vs approximate LC                    \(out)/validate.csv, validate.json, validate.png
          Figure 1 of the paper for this run         \(out)/figure1.png, figure1.pdf
        """
    }
}

import ArgumentParser
import Foundation
import Slicer

/// Everything on the embedded default (Fashion-MNIST from Debian): train, render, lc, validate, figure.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small run on Fashion-MNIST, render its partitions, and compute and validate its LC.")

    @Option(help: "Output directory.") var out = "output/demo"
    @Option(help: "Dataset directory (Debian's dataset-fashion-mnist by default).") var data = "/usr/share/datasets/fashion-mnist"
    @Option(help: "Training steps.") var steps = 2000
    @Option(help: "Hidden width of the MLP.") var width = 200
    @Option(help: "Three training-sample indices for the slice.") var indices = "0,1,2"

    func run() throws {
        guard FileManager.default.fileExists(atPath: data) else {
            throw TesseraError.badInput("no dataset at \(data): install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")
        }
        let start = Date()
        let run = out + "/run"
        try? FileManager.default.removeItem(atPath: run)
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw TesseraError.io("cannot create \(out): \(error.localizedDescription)")
        }
        func stage(_ name: String, _ arguments: [String], _ command: ParsableCommand.Type) throws {
            printError(String(format: "[%5.0f s] %@: tessera %@", Date().timeIntervalSince(start), name, arguments.joined(separator: " ")))
            var parsed = try command.parseAsRoot(arguments)
            try parsed.run()
        }
        try stage("train", ["--data", data, "--out", run, "--steps", "\(steps)", "--width", "\(width)",
                            "--checkpoints-per-decade", "12"], TrainCommand.self)
        try stage("render", [run, "--indices", indices, "--out", out + "/frames", "--every", "2", "--size", "900"], RenderCommand.self)
        try stage("lc", [run, "--radius", "0.5", "--samples", "300", "--csv", out + "/lc.csv", "--plot", out + "/lc.png"], LCCommand.self)
        try stage("validate", [run, "--samples", "30", "--radius", "0.5", "--checkpoints", "8",
                               "--csv", out + "/validate.csv", "--json", out + "/validate.json", "--png", out + "/validate.png"], ValidateCommand.self)
        try stage("figure", [run, "--indices", indices, "--png", out + "/figure1.png", "--pdf", out + "/figure1.pdf"], FigureCommand.self)
        print("""
        demo finished in \(Int(Date().timeIntervalSince(start))) s:
          run (checkpoints, metrics.csv, run.json)   \(run)
          partition frames, partition.csv            \(out)/frames
          interactive viewer (open in a browser)     \(out)/frames/view.html
          migration of neurons to the boundary       \(out)/frames/migration.png
          local complexity (CSV, plot)               \(out)/lc.csv, \(out)/lc.png
          exact vs approximate LC                    \(out)/validate.csv, validate.json, validate.png
          Figure 1 of the paper for this run         \(out)/figure1.png, figure1.pdf
        """)
    }
}

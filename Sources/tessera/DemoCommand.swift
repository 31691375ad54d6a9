import ArgumentParser
import Foundation
import Pipelines
import Render

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

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        var request = DemoRequest()
        request.out = out; request.data = data; request.steps = steps; request.width = width
        request.indices = try parseIndices(indices)
        request.parallelism = try threading.parallelism()
        print(try Demo.run(request, log: printError))
    }
}

import ArgumentParser
import Foundation
import Slicer
import Trainer

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP as in the paper's MNIST setting, saving log-spaced checkpoints into a run directory.")

    @Option(help: "Directory with MNIST-format IDX files ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]).")
    var data: String?
    @Option(help: "Run directory to create (or continue with --resume).")
    var out: String?
    @Option(help: "Number of Linear layers (4 = three hidden layers).") var depth = 4
    @Option(help: "Hidden layer width.") var width = 200
    @Option(help: "relu, leaky_relu[:alpha], gelu or abs.") var activation = "relu"
    @Option(help: "Training samples used.") var trainSize = 1000
    @Option(help: "first: the first --train-size samples; random: a seeded subset.") var trainSubset = "first"
    @Option(help: "Test samples evaluated per checkpoint (default: the whole test split).") var testSize: Int?
    @Option(help: "Optimizer steps, default 100000 (with --resume: a new total).") var steps: Int?
    @Option(help: "Batch size.") var batch = 200
    @Option(help: "AdamW learning rate.") var lr = 1e-3
    @Option(help: "AdamW decoupled weight decay.") var weightDecay = 0.01
    @Option(help: "Multiply every initial parameter by this (8 induces grokking).") var initScale = 1.0
    @Option(help: "Seed for initialisation, subset and shuffling.") var seed: UInt64 = 0
    @Option(help: "Training and checkpoint precision: f32 or f64.") var dtype = "f32"
    @Option(help: "Log-spaced checkpoints per decade after steps 0…10.") var checkpointsPerDecade = 20
    @Option(help: "Explicit checkpoint steps, comma-separated (the final step is always added).") var checkpointSteps: String?
    @Flag(help: "Continue the run in --out from its last checkpoint (its run.json settings are kept; --steps may extend it).")
    var resume = false
    @Flag(help: ArgumentHelp("Time --steps steps on synthetic 784-pixel data; write nothing.", visibility: .hidden))
    var benchmark = false

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        var config = TrainingConfig()
        config.depth = depth; config.width = width; config.activation = activation
        config.trainSize = trainSize; config.trainSubset = trainSubset; config.testSize = testSize
        config.steps = steps ?? 100_000; config.batch = batch; config.learningRate = lr; config.weightDecay = weightDecay
        config.initScale = initScale; config.seed = seed; config.dtype = dtype
        config.checkpointsPerDecade = checkpointsPerDecade
        if let list = checkpointSteps {
            config.checkpointSteps = try list.split(separator: ",").map { item in
                guard let step = Int(item.trimmingCharacters(in: .whitespaces)) else {
                    throw TesseraError.badInput("--checkpoint-steps: '\(item)' is not an integer")
                }
                return step
            }
        }
        if benchmark {
            config.steps = steps ?? 500
            try config.validate()
            let rate = try Benchmarks.trainerStepsPerSecond(config: config)
            print(String(format: "%.1f steps/s (synthetic 784-pixel data, %@, batch %d)", rate, "\(config.depth) layers × \(config.width)", config.batch))
            return
        }
        guard let out else { throw TesseraError.badInput("--out is required") }
        if !resume && data == nil { throw TesseraError.badInput("--data is required") }
        try TrainingRun.run(config: config, dataDirectory: data, out: out, resume: resume, resumeSteps: steps,
                             parallelism: try threading.parallelism()) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}

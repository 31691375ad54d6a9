import ArgumentParser
import Dispatch
import Foundation
import Pipelines
import Render
import Slicer
import Trainer

struct LCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lc",
        abstract: "The paper's approximate local complexity: sign changes among x ± r·v_p, per layer, over sample sets.",
        discussion: "Means and (population) standard deviations over the samples of each set, per layer and summed.")

    @Argument(help: "A run directory from 'tessera train' (every checkpoint is measured).") var runPath: String?
    @Option(help: "A single model (.onnx, an MLP .safetensors, or a graph run's checkpoint) instead of a run.") var model: String?
    @Option(help: "A graph run's model.onnx, when --model is one of its checkpoints (default: RUN/model.onnx beside RUN/checkpoints/).") var architecture: String?
    @Option(help: "Activation of an MLP .safetensors without tessera metadata (relu, leaky_relu[:alpha], abs, gelu, ...).") var activation: String?
    @Option(help: "IDX dataset directory (default with a run: the run's data).") var data: String?
    @Option(help: "Sample sets, comma-separated: train, test, random (default: train,test,random with a run, else train).") var split: String?
    @Option(help: "Samples per set (with a run, train uses the run's own training samples).") var samples = 1000
    @Option(help: "Points file [N, D] (.npy or .safetensors) instead of --data.") var points: String?
    @Option(help: "Neighbourhood radius; repeat or comma-separate (default 0.005,0.05,0.5).") var radius: [String] = []
    @Option(help: "Number P of orthonormal directions.") var directions = 25
    @Option(help: "Explicit directions [P, D] with orthonormal rows (.npy).") var frame: String?
    @Flag(help: "Also count the final Linear layer's outputs (as the authors' code does).") var includeOutput = false
    @Flag(help: "Also count, per max-pool, the windows whose winner changes among the vertices.") var maxPoolWindows = false
    @Option(help: "Only these counted layers, by node name or 1-based index (e.g. 1,2 or a ReLU's name); LC is their sum, and --plot draws one panel per layer.") var layers: String?
    @Flag(help: "Also measure how the layers deform the neighbourhood: average eccentricity and diameter of the graph of x ± r·v_p at the input and after each activation (last checkpoint, first sample set; in the JSON).") var deformation = false
    @Option(help: "With --deformation: its plot, relative to the input neighbourhood, one curve per radius (PNG, SVG or PDF).") var deformationPlot: String?
    @Option(help: "Number type of the forward passes: float32 (PyTorch's) or float64 (reproduces earlier numbers bit for bit).") var precision = "float32"
    @Flag(help: "Count every sample in float32 and in float64 and explain each unit counted in one only (its float64 value within the float32 rounding bound of zero); an unexplained one is an error. With --model; prints one line per set and radius (and --json).") var comparePrecision = false
    @Option(help: "Seed for the directions and the random points.") var seed: UInt64 = 0
    @Option(help: "CSV output: one row per checkpoint × sample set × radius.") var csv: String?
    @Option(help: "JSON output (the last checkpoint of a run).") var json: String?
    @Option(help: "The paper-style LC plot over a run's checkpoints, one panel per radius (PNG, SVG or PDF).") var plot: String?
    @Option(help: "Do only share I of N (checkpoints × blocks of samples) and write each output P as P.shard-I-of-N; 'tessera merge P' joins them.") var shard: String?
    @OptionGroup var threading: ThreadsOption

    @Flag(help: ArgumentHelp("Time --samples random points on a PyTorch-initialised 784-200-200-200-10 MLP.", visibility: .hidden))
    var benchmark = false
    @Option(help: ArgumentHelp("The --benchmark model: mlp, or cnn (the paper's 4×32-channel CNN on 1×28×28).", visibility: .hidden))
    var benchmarkModel = "mlp"

    func run() throws {
        let precision = try Precision(parsing: self.precision)
        if benchmark {
            let radii = try Array(parseRadii().prefix(radius.isEmpty ? 1 : .max))
            guard benchmarkModel == "mlp" || benchmarkModel == "cnn" else { throw TesseraError.badInput("--benchmark-model must be mlp or cnn") }
            let timing = benchmarkModel == "cnn"
                ? try Benchmarks.lcSeconds(model: Benchmarks.paperCNN(seed: seed), samples: samples, directions: directions, radii: radii, seed: seed, precision: precision)
                : try Benchmarks.lcSeconds(sizes: [784, 200, 200, 200, 10], samples: samples, directions: directions, radii: radii, seed: seed, precision: precision)
            print(String(format: "%.3f s for %d samples, P = %d, %d radius/radii (mean LC %.2f)", timing.seconds, samples, directions, radii.count, timing.mean))
            return
        }
        let plan = try prepare()
        if comparePrecision { try runPrecisionComparison(plan); return }
        if let shard { try runShare(try ShardSpec(parsing: shard), plan); return }
        let sweep = plan.sweep, models = plan.models, first = plan.first, radii = plan.radii
        let architecture = plan.architecture, modelActivation = plan.modelActivation
        var reports: [LCReport] = []
        var lastLog = DispatchTime.now().uptimeNanoseconds
        for (index, entry) in models.enumerated() {
            let loaded = index == 0 ? first : try loadModel(entry.path, architecture: architecture, activation: modelActivation)
            let step = entry.step ?? loaded.step
            let report = try sweep.measure(loaded.model, step: step)
            reports.append(report)
            let now = DispatchTime.now().uptimeNanoseconds
            if models.count > 1, now - lastLog >= 1_000_000_000 || index == models.count - 1 {
                let summary = report.results.map { "\($0.set) \(String(format: "%.3g", $0.byRadius[0].mean))" }.joined(separator: "  ")
                log("checkpoint \(index + 1)/\(models.count) step \(step ?? 0): LC at r=\(radii[0]): \(summary)  (\(String(format: "%.2f", report.seconds)) s)")
                lastLog = now
            }
        }
        try finish(reports, plan)
    }

    /// Everything `run` reads before measuring: models, sample sets, directions.
    struct Plan {
        var models: [(step: Int?, path: String)]
        var first: (model: GraphModel, step: Int?)
        var sets: [LCSampleSet]
        var frameRows: [[Double]]
        var radii: [Double]
        var selection: LCLayerSelection?
        var architecture: String?
        var modelActivation: Activation?
        var runDirectory: RunDirectory?
        var sweep: LCSweep
    }

    func prepare() throws -> Plan {
        guard (runPath == nil) != (model == nil) else { throw TesseraError.badInput("give either a run directory or --model") }
        guard points == nil || (data == nil && split == nil) else { throw TesseraError.badInput("--points excludes --data and --split") }
        let radii = try parseRadii()
        let selection = try layers.map(LCLayerSelection.init(parsing:))
        guard deformationPlot == nil || deformation else { throw TesseraError.badInput("--deformation-plot needs --deformation") }
        let override = try activation.map(Activation.init(parsing:))
        let runDirectory = runPath.map(RunDirectory.init(path:))
        let architecture = try runPath.flatMap(ModelLoader.runArchitecture(runDirectory:))
            ?? model.flatMap { try checkpointArchitecture(model: $0, explicit: self.architecture) }
        guard runPath == nil || self.architecture == nil else { throw TesseraError.badInput("--architecture goes with --model; a run's is its model.onnx") }
        // A graph run (model.onnx) may come from a PyTorch loop whose run.json is not tessera's.
        let run = try runPath.map { try RunModels(runPath: $0, activation: override) }
        let models: [(step: Int?, path: String)] = run?.checkpoints.map { ($0.step, $0.path) } ?? [(nil, model!)]
        let modelActivation = run?.activation ?? override
        let first = try loadModel(models[0].path, architecture: architecture, activation: modelActivation)
        let dimension = first.model.inputDimension
        // An unknown layer is an error now, not after the first checkpoint's estimate.
        _ = try selection?.resolve(LCLayer.layers(of: first.model, includeOutput: includeOutput, maxPoolWindows: maxPoolWindows))
        let sets: [LCSampleSet]
        if let points {
            sets = [LCSampleSet(name: "points", points: try PointsFile.load(path: points))]
        } else {
            let names = (split ?? (runPath != nil ? "train,test,random" : "train")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            sets = try run?.sampleSets(splits: names, limit: samples, dataDirectory: data, dimension: dimension, seed: seed)
                ?? LCSampleSet.make(splits: names, limit: samples, dataDirectory: data, trainIndices: nil, dimension: dimension, seed: seed)
        }
        let frameRows = try frame.map { try LCDirections.frame(from: NPY.read(path: $0), dimension: dimension) }
            ?? LCDirections.random(count: directions, dimension: dimension, seed: seed)
        for path in [csv, json, plot, deformationPlot].compactMap({ $0 }) { try OutputFile.checkWritable(path) }
        var sweep = LCSweep(sets: sets, directions: frameRows, radii: radii, includeOutput: includeOutput,
                            countMaxPoolWindows: maxPoolWindows)
        sweep.layerSelection = selection
        sweep.precision = try Precision(parsing: precision)
        sweep.parallelism = try threading.parallelism()
        return Plan(models: models, first: first, sets: sets, frameRows: frameRows, radii: radii, selection: selection,
                    architecture: architecture, modelActivation: modelActivation, runDirectory: runDirectory, sweep: sweep)
    }

    /// Writes the outputs of `reports` (one per model, in order).
    func finish(_ reports: [LCReport], _ plan: Plan) throws {
        let models = plan.models, first = plan.first, sets = plan.sets, frameRows = plan.frameRows, radii = plan.radii
        let architecture = plan.architecture, modelActivation = plan.modelActivation, runDirectory = plan.runDirectory
        let selection = plan.selection
        _ = first.step
        let last = reports.last
        var lastJSON = try last!.json()
        if deformation {
            let model = models.count == 1 ? first.model : try loadModel(models[models.count - 1].path, architecture: architecture, activation: modelActivation).model
            let measured = try LCDeformationReport.measure(model: model, samples: sets[0].points, directions: frameRows, radii: radii,
                                                           precision: try Precision(parsing: precision), parallelism: plan.sweep.parallelism)
            log(measured.summary)
            lastJSON = try measured.merged(into: lastJSON, set: sets[0].name)
            if let deformationPlot { try drawPlots(deformationPlots(measured.byRadius), columns: 2, to: deformationPlot) }
        }
        let csvText = LCSweep.csv(reports)
        if let csv { try write(Data(csvText.utf8), to: csv) }
        if let json { try write(lastJSON, to: json) }
        if let plot {
            let metrics = (try? runDirectory?.readMetrics()) ?? nil
            if reports.allSatisfy({ $0.step == nil }) {
                try drawPlot(lcLayerProfile(last!), to: plot)   // one model: its layer profile
            } else {
                try drawPlots(selection == nil ? lcPlots(reports, metrics: metrics ?? []) : lcLayerPlots(reports), to: plot)
            }
        }
        if csv == nil && json == nil && plot == nil {
            if models.count > 1 { print(csvText, terminator: "") } else { print(String(decoding: lastJSON, as: UTF8.self)) }
        }
    }

    /// A checkpoint or model file as a graph, with the training step an MLP file's metadata records.
    func loadModel(_ path: String, architecture: String?, activation: Activation?) throws -> (model: GraphModel, step: Int?) {
        if architecture == nil && !path.lowercased().hasSuffix(".onnx") {
            let file = try ModelFile.load(path: path, activation: activation)
            return (GraphModel(network: file.network), file.metadata["step"].flatMap { Int($0) })
        }
        return (try ModelLoader.load(checkpoint: path, architecture: architecture, activation: activation), nil)
    }

    func parseRadii() throws -> [Double] {
        let items = radius.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.isEmpty else { return [0.005, 0.05, 0.5] }
        return try items.map { item in
            // Not a number is a usage error (exit 2); a number that makes no radius is bad input (exit 1).
            guard let value = Double(item) else {
                throw ValidationError("the value '\(item)' is invalid for '--radius' (expected non-negative numbers, comma-separated)")
            }
            guard value.isFinite, value >= 0 else { throw TesseraError.badInput("--radius '\(item)' is not a non-negative number") }
            return value
        }
    }

    func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw TesseraError.io("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

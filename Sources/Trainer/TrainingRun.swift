import Dispatch
import Foundation
import Slicer

/// A whole training run on disk: data loading, checkpoints on the schedule, metrics, resume, progress.
public enum TrainingRun {
    /// Trains `config` on the IDX data in `dataDirectory`, writing the run into `out`. With `resume`, continues
    /// the run in `out` from its last saved optimizer state with its run.json config (`resumeSteps`, when
    /// given, sets a new total). `log` receives progress lines (at most about one a second).
    public static func run(config: TrainingConfig, dataDirectory: String?, out: String, resume: Bool,
                           resumeSteps: Int? = nil, storage: RunStorage = FileStorage(), parallelism: Parallelism = .machine,
                           log: @escaping (String) -> Void) throws {
        let directory = RunDirectory(path: out)
        var config = config
        var saved: RunInfo?
        if resume {
            guard directory.exists else { throw TesseraError.badInput("--resume: \(out) holds no run (no run.json)") }
            let info = try directory.readRunInfo()
            config = info.config
            if let steps = resumeSteps { config.steps = steps }
            saved = info
        } else if directory.exists {
            throw TesseraError.badInput("\(out) already holds a run; pass --resume to continue it or choose another --out")
        }
        try config.validate()
        guard let dataPath = dataDirectory ?? saved?.data.directory else { throw TesseraError.badInput("--data is required") }
        if config.dtype == "f64" {
            try execute(Double.self, config, dataPath, directory, saved, storage, parallelism, log)
        } else {
            try execute(Float.self, config, dataPath, directory, saved, storage, parallelism, log)
        }
    }

    static func execute<T: TrainScalar>(_: T.Type, _ config: TrainingConfig, _ dataPath: String, _ directory: RunDirectory,
                                        _ saved: RunInfo?, _ storage: RunStorage, _ parallelism: Parallelism,
                                        _ log: @escaping (String) -> Void) throws {
        let trainSet = try storage.loadDataset(directory: dataPath, split: "train")
        let testSet = try storage.loadDataset(directory: dataPath, split: "test")
        var info = try saved ?? makeInfo(config, dataPath, trainSet, testSet)
        info.config = config
        let train = try LabeledData<T>(trainSet, indices: info.data.trainIndices, classes: info.data.classes)
        let test = try LabeledData<T>(testSet, indices: Array(0..<info.data.testSize), classes: info.data.classes)
        let engine = try TrainingEngine<T>(config: config, train: train)
        engine.parallelism = parallelism
        try directory.create()
        if saved != nil, let start = try restore(engine, directory, storage) {
            log("resuming \(directory.path) at step \(start)")
        } else {
            try directory.resetMetrics(keepingThrough: nil)
            for old in try directory.checkpoints() { try? FileManager.default.removeItem(atPath: old.path) }
        }
        try directory.writeRunInfo(info)
        let schedule = Set(config.schedule)
        if engine.step == 0, schedule.contains(0) { try saveCheckpoint(engine, test, directory, storage) }
        var progress = Progress(total: config.steps, log: log)
        while engine.step < config.steps {
            let batch = engine.trainStep()
            if schedule.contains(engine.step) { try saveCheckpoint(engine, test, directory, storage) }
            progress.report(step: engine.step, loss: batch.loss, accuracy: batch.accuracy)
        }
        let final = try engine.evaluate(train), finalTest = try engine.evaluate(test)
        log("done: \(config.steps) steps; train loss \(short(final.loss)) acc \(short(final.accuracy)); test loss \(short(finalTest.loss)) acc \(short(finalTest.accuracy)); \(progress.rateSummary)")
    }

    /// Writes the model checkpoint, then its metrics row, then the optimizer state (the resume point).
    static func saveCheckpoint<T: TrainScalar>(_ engine: TrainingEngine<T>, _ test: LabeledData<T>, _ directory: RunDirectory,
                                             _ storage: RunStorage) throws {
        let network = try engine.network()
        try storage.saveModel(network, path: directory.checkpointPath(step: engine.step), dtype: T.dtype,
                           metadata: ["activation": network.activation.description, "step": String(engine.step),
                                      "tessera_version": tesseraVersion])
        let trainMetrics = try engine.evaluate(engine.train)
        let testMetrics = test.count > 0 ? try engine.evaluate(test) : (loss: Double.nan, accuracy: Double.nan)
        try directory.appendMetrics(MetricsRow(step: engine.step, trainLoss: trainMetrics.loss, trainAccuracy: trainMetrics.accuracy,
                                               testLoss: testMetrics.loss, testAccuracy: testMetrics.accuracy))
        let moments: [(name: String, tensor: Tensor)] = [
            ("exp_avg", Tensor(shape: [engine.layout.count], dtype: T.dtype, values: engine.optimizer.firstMoment.map(Double.init))),
            ("exp_avg_sq", Tensor(shape: [engine.layout.count], dtype: T.dtype, values: engine.optimizer.secondMoment.map(Double.init))),
        ]
        try storage.writeTensors(path: directory.optimizerPath, tensors: moments,
                              metadata: ["step": String(engine.step), "tessera_version": tesseraVersion])
    }

    /// Loads the optimizer state and its checkpoint; drops later checkpoints and metrics rows. Nil when the
    /// run never saved an optimizer state (it then restarts from scratch).
    static func restore<T: TrainScalar>(_ engine: TrainingEngine<T>, _ directory: RunDirectory, _ storage: RunStorage) throws -> Int? {
        guard FileManager.default.fileExists(atPath: directory.optimizerPath) else { return nil }
        let state = try storage.readTensors(path: directory.optimizerPath)
        guard let stepText = state.metadata["step"], let step = Int(stepText),
              let first = state.tensors["exp_avg"], let second = state.tensors["exp_avg_sq"] else {
            throw TesseraError.badInput("\(directory.optimizerPath) lacks exp_avg, exp_avg_sq or its step")
        }
        let network = try storage.loadModel(path: directory.checkpointPath(step: step), activation: engine.activation)
        try engine.restore(network: network, firstMoment: first.values.map { T($0) },
                           secondMoment: second.values.map { T($0) }, step: step)
        for later in try directory.checkpoints() where later.step > step { try? FileManager.default.removeItem(atPath: later.path) }
        try directory.resetMetrics(keepingThrough: step)
        return step
    }

    /// run.json for a fresh run: chooses the training indices and records where the data came from.
    static func makeInfo(_ config: TrainingConfig, _ dataPath: String, _ trainSet: Dataset, _ testSet: Dataset) throws -> RunInfo {
        guard trainSet.dimension == testSet.dimension else {
            throw TesseraError.badInput("train images are \(trainSet.rows)×\(trainSet.columns) but test images \(testSet.rows)×\(testSet.columns)")
        }
        guard config.trainSize <= trainSet.count else {
            throw TesseraError.badInput("--train-size \(config.trainSize) exceeds the \(trainSet.count) training samples")
        }
        let indices: [Int]
        if config.trainSubset == "random" {
            var generator = SeededGenerator(seed: config.seed, stream: 0x5355_4253) // "SUBS"
            indices = Array(generator.permutation(trainSet.count).prefix(config.trainSize)).sorted()
        } else {
            indices = Array(0..<config.trainSize)
        }
        let labels = trainSet.labels.prefix(trainSet.count) + testSet.labels.prefix(testSet.count)
        let classes = max(2, (labels.max() ?? 0) + 1)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dataPath))?
            .filter { $0.contains("-ubyte") }.sorted() ?? []
        let absolute = URL(fileURLWithPath: dataPath).standardizedFileURL.path
        return RunInfo(tesseraVersion: tesseraVersion, config: config,
                       data: DataProvenance(directory: absolute, files: files, trainAvailable: trainSet.count,
                                            testAvailable: testSet.count, trainSize: config.trainSize,
                                            testSize: min(config.testSize ?? testSet.count, testSet.count), classes: classes,
                                            inputDimension: trainSet.dimension, trainSubset: config.trainSubset,
                                            trainIndices: indices))
    }
}

/// Four significant digits for log lines.
func short(_ value: Double) -> String { String(format: "%.4g", value) }

/// Throttled progress lines: step, batch loss and accuracy, steps per second.
struct Progress {
    let total: Int
    let log: (String) -> Void
    let start = DispatchTime.now().uptimeNanoseconds
    var last = DispatchTime.now().uptimeNanoseconds
    var lastStep = -1
    var firstStep: Int?

    init(total: Int, log: @escaping (String) -> Void) { self.total = total; self.log = log }

    mutating func report(step: Int, loss: Double, accuracy: Double) {
        if firstStep == nil { firstStep = step - 1; lastStep = step - 1 }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - last >= 1_000_000_000 || step == total else { return }
        let rate = Double(step - lastStep) / (Double(now - last) / 1e9)
        log("step \(step)/\(total)  loss \(short(loss))  acc \(short(accuracy))  \(String(format: "%.1f", rate)) steps/s")
        last = now; lastStep = step
    }

    var rateSummary: String {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let steps = lastStep - (firstStep ?? lastStep)
        return String(format: "%.1f s, %.1f steps/s", seconds, seconds > 0 ? Double(steps) / seconds : 0)
    }
}

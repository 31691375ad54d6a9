import Foundation
import Testing
import Slicer
@testable import Trainer

/// Keeps models and tensors in memory (with an empty marker file on disk so directory listings see them).
final class MemoryStorage: RunStorage, @unchecked Sendable {
    var datasets: [String: Dataset] = [:]
    var models: [String: Network] = [:]
    var tensors: [String: (tensors: [String: Tensor], metadata: [String: String])] = [:]

    init() {
        datasets["train"] = SyntheticData.clusters(count: 60, dimension: 16, classes: 3, seed: 1)
        datasets["test"] = SyntheticData.clusters(count: 30, dimension: 16, classes: 3, seed: 2)
    }
    func loadDataset(directory: String, split: String) throws -> Dataset {
        guard let data = datasets[split] else { throw TesseraError.badInput("no \(split) split") }
        return data
    }
    func saveModel(_ network: Network, path: String, dtype: DType, metadata: [String: String]) throws {
        models[path] = network
        _ = FileManager.default.createFile(atPath: path, contents: Data())
    }
    func loadModel(path: String, activation: Activation?) throws -> Network {
        guard let network = models[path], FileManager.default.fileExists(atPath: path) else { throw TesseraError.badInput("no model at \(path)") }
        return network
    }
    func writeTensors(path: String, tensors list: [(name: String, tensor: Tensor)], metadata: [String: String]) throws {
        tensors[path] = (Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0.tensor) }), metadata)
        _ = FileManager.default.createFile(atPath: path, contents: Data())
    }
    func readTensors(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard let entry = tensors[path] else { throw TesseraError.badInput("no tensors at \(path)") }
        return entry
    }
}

@Suite(.timeLimit(.minutes(20))) struct TrainingRunTests {
    func train(_ config: TrainingConfig, _ out: String, _ storage: MemoryStorage, resume: Bool = false, resumeSteps: Int? = nil) throws {
        try TrainingRun.run(config: config, dataDirectory: "memory", out: out, resume: resume, resumeSteps: resumeSteps,
                            storage: storage) { _ in }
    }

    /// The stored models of a run in step order.
    func models(_ out: String, _ storage: MemoryStorage) throws -> [(Int, Network)] {
        try RunDirectory(path: out).checkpoints().map { ($0.step, try storage.loadModel(path: $0.path, activation: nil)) }
    }

    @Test func runFollowsTheScheduleAndRecordsItsConfiguration() throws {
        let storage = MemoryStorage(), out = temporaryRunPath()
        try train(smallTrainingConfig(steps: 30), out, storage)
        let run = RunDirectory(path: out)
        let expected = Array(0...10) + [16, 25, 30]
        #expect(try run.checkpoints().map(\.step) == expected)
        #expect(try run.readMetrics().map(\.step) == expected)
        let metrics = try run.readMetrics()
        #expect(metrics.last!.trainLoss < metrics.first!.trainLoss)
        #expect(metrics.allSatisfy { $0.testLoss.isFinite && $0.testAccuracy >= 0 && $0.testAccuracy <= 1 })
        let info = try run.readRunInfo()
        #expect(info.config == smallTrainingConfig(steps: 30))
        #expect(info.data.trainIndices == Array(0..<40) && info.data.testSize == 30 && info.data.classes == 3)
        #expect(storage.tensors[run.optimizerPath]?.metadata["step"] == "30")
        let header = try String(contentsOfFile: run.metricsPath, encoding: .utf8).split(separator: "\n").first
        #expect(header.map(String.init) == RunDirectory.metricsHeader)
        #expect(throws: TesseraError.self) { try train(smallTrainingConfig(steps: 30), out, storage) }
        #expect(throws: TesseraError.self) { try train(smallTrainingConfig(steps: 30), temporaryRunPath(), storage, resume: true) }
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let storage = MemoryStorage(), whole = temporaryRunPath(), parts = temporaryRunPath()
        try train(smallTrainingConfig(steps: 30), whole, storage)
        try train(smallTrainingConfig(steps: 16), parts, storage)
        // Debris of a crash after step 16's optimizer state: a later checkpoint and metrics row.
        let run = RunDirectory(path: parts)
        try storage.saveModel(try storage.loadModel(path: run.checkpointPath(step: 16), activation: nil),
                              path: run.checkpointPath(step: 25), dtype: .f32, metadata: [:])
        try run.appendMetrics(MetricsRow(step: 25, trainLoss: 9, trainAccuracy: 0, testLoss: 9, testAccuracy: 0))
        try train(smallTrainingConfig(steps: 999), parts, storage, resume: true, resumeSteps: 30)
        let a = try models(whole, storage), b = try models(parts, storage)
        #expect(a.map(\.0) == b.map(\.0))
        for (x, y) in zip(a, b) { #expect(x.1 == y.1) }
        #expect(try RunDirectory(path: whole).readMetrics() == run.readMetrics())
        #expect(try run.readRunInfo().config.steps == 30)
    }

    @Test func sameSeedSameCheckpointsOtherSeedOthers() throws {
        let storage = MemoryStorage(), a = temporaryRunPath(), b = temporaryRunPath(), c = temporaryRunPath()
        try train(smallTrainingConfig(steps: 12), a, storage)
        try train(smallTrainingConfig(steps: 12), b, storage)
        var other = smallTrainingConfig(steps: 12)
        other.seed = 5
        try train(other, c, storage)
        let (ma, mb, mc) = (try models(a, storage), try models(b, storage), try models(c, storage))
        #expect(ma.map(\.1) == mb.map(\.1))
        #expect(ma.last!.1 != mc.last!.1)
    }

    @Test func randomSubsetIsSeededSortedAndDistinct() throws {
        let storage = MemoryStorage(), out = temporaryRunPath()
        var random = smallTrainingConfig(steps: 2)
        random.trainSubset = "random"
        try train(random, out, storage)
        let indices = try RunDirectory(path: out).readRunInfo().data.trainIndices
        #expect(indices.count == 40 && indices == indices.sorted() && Set(indices).count == 40)
        #expect(indices != Array(0..<40) && indices.allSatisfy { $0 < 60 })
        var tooMany = smallTrainingConfig(steps: 2)
        tooMany.trainSize = 61
        #expect(throws: TesseraError.self) { try train(tooMany, temporaryRunPath(), storage) }
    }
}

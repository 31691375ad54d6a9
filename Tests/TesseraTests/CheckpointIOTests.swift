// These tests write and read checkpoints through Slicer's file API (ModelFile, SafeTensors, Dataset.load).
import Foundation
import Testing
import Slicer
@testable import Trainer

@Suite(.serialized, .timeLimit(.minutes(20))) struct CheckpointIOTests {
    /// Writes an uncompressed MNIST-format dataset (train and t10k) of 4×4 images into a fresh directory.
    func idxDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "tessera-idx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (prefix, count, seed) in [("train", 60, UInt64(1)), ("t10k", 30, UInt64(2))] {
            let data = SyntheticData.clusters(count: count, dimension: 16, classes: 3, seed: seed)
            func header(_ magic: UInt8, _ dims: [Int]) -> [UInt8] {
                [0, 0, 8, magic] + dims.flatMap { d in (0..<4).reversed().map { UInt8((d >> (8 * $0)) & 0xFF) } }
            }
            let images = header(3, [count, 4, 4]) + data.images.map { UInt8(($0 * 255).rounded()) }
            let labels = header(1, [count]) + data.labels.map { UInt8($0) }
            try Data(images).write(to: URL(fileURLWithPath: "\(directory)/\(prefix)-images-idx3-ubyte"))
            try Data(labels).write(to: URL(fileURLWithPath: "\(directory)/\(prefix)-labels-idx1-ubyte"))
        }
        return directory
    }

    func train(_ config: TrainingConfig, _ data: String, _ out: String, resume: Bool = false, resumeSteps: Int? = nil) throws {
        try TrainingRun.run(config: config, dataDirectory: data, out: out, resume: resume, resumeSteps: resumeSteps) { _ in }
    }

    @Test func runWritesScheduledCheckpointsMetricsAndRunJSON() throws {
        let data = try idxDirectory(), out = temporaryRunPath()
        try train(smallTrainingConfig(steps: 30), data, out)
        let run = RunDirectory(path: out)
        let expected = Array(0...10) + [16, 25, 30]
        #expect(try run.checkpoints().map(\.step) == expected)
        #expect(try run.readMetrics().map(\.step) == expected)
        let info = try run.readRunInfo()
        #expect(info.config == smallTrainingConfig(steps: 30))
        #expect(info.data.trainIndices == Array(0..<40) && info.data.testSize == 30 && info.data.classes == 3)
        let last = try ModelFile.load(path: run.checkpointPath(step: 30), activation: nil)
        #expect(last.metadata["step"] == "30" && last.metadata["tessera_version"] == tesseraVersion)
        #expect(last.network.layers.map(\.outputs) == [8, 8, 3])
        let metrics = try run.readMetrics()
        #expect(metrics.last!.trainLoss < metrics.first!.trainLoss)
        #expect(throws: TesseraError.self) { try train(smallTrainingConfig(steps: 30), data, out) }  // refuses to overwrite
    }

    @Test func sameSeedGivesByteIdenticalCheckpoints() throws {
        let data = try idxDirectory(), a = temporaryRunPath(), b = temporaryRunPath()
        try train(smallTrainingConfig(steps: 12), data, a)
        try train(smallTrainingConfig(steps: 12), data, b)
        let first = try RunDirectory(path: a).checkpoints(), second = try RunDirectory(path: b).checkpoints()
        #expect(first.map(\.step) == Array(0...10) + [12], "\(first.map(\.step))")
        #expect(second.map(\.step) == first.map(\.step))
        for (x, y) in zip(first, second) {
            #expect(FileManager.default.contents(atPath: x.path) == FileManager.default.contents(atPath: y.path))
        }
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let data = try idxDirectory(), whole = temporaryRunPath(), parts = temporaryRunPath()
        try train(smallTrainingConfig(steps: 30), data, whole)
        try train(smallTrainingConfig(steps: 16), data, parts)
        try train(smallTrainingConfig(steps: 16), data, parts, resume: true, resumeSteps: 30)
        let a = try RunDirectory(path: whole).checkpoints(), b = try RunDirectory(path: parts).checkpoints()
        #expect(a.map(\.step) == Array(0...10) + [16, 25, 30], "\(a.map(\.step))")
        #expect(a.map(\.step) == b.map(\.step))
        for (x, y) in zip(a, b) {
            #expect(FileManager.default.contents(atPath: x.path) == FileManager.default.contents(atPath: y.path))
        }
        #expect(try RunDirectory(path: whole).readMetrics() == RunDirectory(path: parts).readMetrics())
    }
}

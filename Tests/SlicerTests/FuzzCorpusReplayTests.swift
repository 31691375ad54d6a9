import Foundation
import Testing
@testable import Slicer

/// Replays the fuzzing corpus kept in FuzzCorpus/<target>/ (written by `tessera-fuzz --save-corpus`:
/// the seeds and inputs that reached distinct errors) through the parsers the fuzzer drives, as it
/// drives them: every input parses or throws a one-line error, and none traps.
@Suite(.timeLimit(.minutes(20)))
struct FuzzCorpusReplayTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")
    static let targets = ["safetensors", "npy", "idx", "idx-gz", "model", "onnx"]

    /// What the fuzz target does with one input file; nil when it parsed, else the error's text.
    static func run(_ target: String, _ path: String) -> String? {
        do {
            switch target {
            case "safetensors": _ = try SafeTensors.read(path: path)
            case "npy":
                _ = try NPY.read(path: path)
                _ = try PointsFile.load(path: path)
            case "idx", "idx-gz": _ = try IDX.read(path: path)
            case "model": _ = try ModelFile.load(path: path, activation: nil)
            default:
                let details = try ONNXModel.details(path: path)
                _ = details.model.chainNetwork
                _ = details.model.summary(batchName: details.batchName, notes: details.notes)
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: targets)
    func corpusParsesOrFailsWithOneLine(target: String) throws {
        let folder = Self.directory.appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let scratch = ScratchDirectory()
        let suffix = ["safetensors": ".safetensors", "model": ".safetensors", "npy": ".npy", "onnx": ".onnx"][target] ?? ".idx"
        var parsed = 0, rejected = 0
        for name in names {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            let path = scratch.file(name + suffix)
            try bytes.write(to: URL(fileURLWithPath: path))
            if let error = Self.run(target, path) {
                #expect(!error.isEmpty && !error.contains("\n"), "\(target)/\(name): \(error)")
                rejected += 1
            } else {
                parsed += 1
            }
        }
        // Not vacuous: the seeds parse, the mutated inputs mostly do not.
        #expect(parsed > 0 && rejected >= 10, "\(target): \(parsed) parsed, \(rejected) rejected of \(names.count)")
    }
}

import Foundation
import Slicer
import Testing
@testable import Models

/// Replays the fuzzing corpus kept in FuzzCorpus/<target>/ (written by `tessera-fuzz --save-corpus`:
/// the seeds and inputs that reached distinct errors) through the parsers the fuzzer drives, as it
/// drives them: every input parses or throws a one-line error, and none traps.
@Suite(.timeLimit(.minutes(20)))
struct FuzzCorpusReplayTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    @Test(arguments: FuzzTarget.allCases)
    func corpusParsesOrFailsWithOneLine(target: FuzzTarget) throws {
        let folder = Self.directory.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let scratch = ScratchDirectory()
        var parsed = 0, rejected = 0
        for name in names {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            let path = scratch.file(name + target.fileSuffix)
            try bytes.write(to: URL(fileURLWithPath: path))
            if let error = target.parse(path: path) {
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

import Foundation
import Testing

/// `--threads` on every command that computes: a bad count is one error line before any work, and the
/// LC and validation outputs on one thread are the bytes two threads write (their timings aside).
@Suite(.timeLimit(.minutes(20))) struct ThreadsCLITests {
    static let cnnRun = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SlicerTests/Fixtures/onnx/run-cnn-small").path

    /// The text of `path` without its "seconds" lines (the one field holding timings), nil if absent.
    func withoutSeconds(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map {
            String(decoding: $0, as: UTF8.self).split(separator: "\n").filter { !$0.contains("\"seconds\"") }.joined(separator: "\n")
        }
    }

    @Test(arguments: [["lc"], ["validate", "RUN"], ["render", "RUN", "--indices", "0,1,2"], ["figure", "RUN", "--indices", "0,1,2"],
                      ["forward", "--model", "M", "--points", "P", "--out", "O"], ["train"], ["view", "RUN"], ["demo"],
                      ["slice", "--model", "M", "--points", "P"], ["bench"]])
    func everyComputingCommandTakesThreads(_ command: [String]) throws {
        let run = try runTessera(command + ["--threads", "0"])
        #expect(run.status != 0 && !run.signaled, "\(command): \(run)")
        #expect(run.stderr.contains("--threads must be positive"), "\(command): \(run)")
        #expect(run.stderrLines.filter { !$0.isEmpty }.count <= 3, "\(command): \(run)")
    }

    @Test func lcIsTheSameOnOneAndTwoThreads() throws {
        let scratch = try CLIScratch()
        let lc = { (n: String) in ["lc", Self.cnnRun, "--split", "random,train", "--samples", "100", "--directions", "4",
                                   "--radius", "0.05,0.5", "--threads", n, "--csv", scratch.file("lc\(n).csv")] }
        let deformation = { (n: String) in ["lc", "--model", Self.cnnRun + "/model.onnx", "--split", "random", "--samples", "40",
                                            "--directions", "4", "--radius", "0.5", "--deformation", "--threads", n,
                                            "--json", scratch.file("d\(n).json")] }
        for n in ["1", "2"] {
            for arguments in [lc(n), deformation(n)] {
                let run = try runTessera(arguments)
                #expect(run.status == 0, "\(arguments): \(run)")
            }
        }
        let one = withoutSeconds(scratch.file("lc1.csv")), two = withoutSeconds(scratch.file("lc2.csv"))
        #expect(one != nil && one == two)
        // Not vacuous: some sample set changes sign somewhere.
        #expect((one ?? "").split(separator: "\n").dropFirst().contains { $0.split(separator: ",")[4] != "0.0" })
        let d1 = withoutSeconds(scratch.file("d1.json")), d2 = withoutSeconds(scratch.file("d2.json"))
        #expect(d1 != nil && d1 == d2 && d1!.contains("eccentricity"))
    }

    @Test func validateIsTheSameOnOneAndTwoThreads() throws {
        let scratch = try CLIScratch()
        for n in ["1", "2"] {
            let run = try runTessera(["validate", Self.cnnRun, "--samples", "6", "--directions", "4", "--threads", n,
                                      "--csv", scratch.file("v\(n).csv"), "--json", scratch.file("v\(n).json")])
            #expect(run.status == 0, "\(run)")
        }
        let one = withoutSeconds(scratch.file("v1.csv")), two = withoutSeconds(scratch.file("v2.csv"))
        #expect(one != nil && one == two && (one ?? "").split(separator: "\n").count > 6)
        #expect(withoutSeconds(scratch.file("v1.json")) != nil && withoutSeconds(scratch.file("v1.json")) == withoutSeconds(scratch.file("v2.json")))
    }
}

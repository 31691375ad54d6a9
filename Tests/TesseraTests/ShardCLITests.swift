import Foundation
import Testing

/// `--shard I/N` and `tessera merge` through the real binary: the merged files are the bytes one process
/// writes (the JSON's timing field "seconds" aside), and merge refuses incomplete or mixed parts.
@Suite(.timeLimit(.minutes(20))) struct ShardCLITests {
    static let cnnRun = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SlicerTests/Fixtures/onnx/run-cnn-small").path

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// The JSON without its "seconds" lines (the one field holding timings).
    func withoutSeconds(_ path: String) -> String? {
        contents(path).map { String(decoding: $0, as: UTF8.self).split(separator: "\n").filter { !$0.contains("\"seconds\"") }.joined(separator: "\n") }
    }

    /// lc of the scratch MLP at 600 random points (three sample blocks), one process or N shares.
    func lcArguments(_ scratch: CLIScratch, _ out: String, seed: String = "0") -> [String] {
        ["lc", "--model", scratch.file("model.safetensors"), "--split", "random", "--samples", "600", "--directions", "5",
         "--radius", "0.3,1", "--seed", seed, "--csv", scratch.file(out + ".csv"), "--json", scratch.file(out + ".json")]
    }

    func runShares(_ arguments: [String], count: Int) throws {
        for i in 1...count {
            let run = try runTessera(arguments + ["--shard", "\(i)/\(count)"])
            #expect(run.status == 0, "\(run)")
        }
    }

    @Test func lcSharesMergeToTheOneProcessBytes() throws {
        let scratch = try CLIScratch()
        #expect(try runTessera(lcArguments(scratch, "one")).status == 0)
        for count in [1, 2, 3, 5] {
            try runShares(lcArguments(scratch, "n\(count)"), count: count)
            #expect(!FileManager.default.fileExists(atPath: scratch.file("n\(count).csv")))
            let merge = try runTessera(["merge", scratch.file("n\(count).csv"), scratch.file("n\(count).json")])
            #expect(merge.status == 0, "\(merge)")
            #expect(contents(scratch.file("n\(count).csv")) == contents(scratch.file("one.csv")), "N = \(count)")
            #expect(withoutSeconds(scratch.file("n\(count).json")) == withoutSeconds(scratch.file("one.json")), "N = \(count)")
        }
        // Not vacuous: the counts are not all zero.
        let csv = String(decoding: contents(scratch.file("one.csv")) ?? Data(), as: UTF8.self)
        #expect(csv.split(separator: "\n").dropFirst().contains { $0.split(separator: ",")[4] != "0.0" })
    }

    @Test func lcAndValidateOfAGraphRunMergeToTheOneProcessBytes() throws {
        let scratch = try CLIScratch()
        let lc = { (out: String) in ["lc", Self.cnnRun, "--split", "random,train", "--samples", "300", "--directions", "4",
                                     "--csv", scratch.file(out + ".csv"), "--plot", scratch.file(out + ".png")] }
        #expect(try runTessera(lc("one")).status == 0)
        try runShares(lc("two"), count: 2)
        #expect(try runTessera(["merge", scratch.file("two.csv"), scratch.file("two.png")]).status == 0)
        #expect(contents(scratch.file("two.csv")) != nil && contents(scratch.file("two.csv")) == contents(scratch.file("one.csv")))
        #expect(contents(scratch.file("two.png")) != nil && contents(scratch.file("two.png")) == contents(scratch.file("one.png")))

        let validate = { (out: String) in ["validate", Self.cnnRun, "--samples", "6", "--directions", "4", "--domain", "disk",
                                           "--csv", scratch.file(out + "-v.csv"), "--json", scratch.file(out + "-v.json")] }
        #expect(try runTessera(validate("one")).status == 0)
        try runShares(validate("three"), count: 3)
        #expect(try runTessera(["merge", scratch.file("three-v.csv"), scratch.file("three-v.json")]).status == 0)
        #expect(contents(scratch.file("three-v.csv")) != nil && contents(scratch.file("three-v.csv")) == contents(scratch.file("one-v.csv")))
        #expect(withoutSeconds(scratch.file("three-v.json")) != nil && withoutSeconds(scratch.file("three-v.json")) == withoutSeconds(scratch.file("one-v.json")))
    }

    /// Merge of the parts in `scratch` of "p": its status, stderr, and whether p.csv was written.
    func merge(_ scratch: CLIScratch) throws -> (status: Int32, error: String, wrote: Bool) {
        try? FileManager.default.removeItem(atPath: scratch.file("p.csv"))
        let run = try runTessera(["merge", scratch.file("p.csv"), scratch.file("p.json")])
        let wrote = FileManager.default.fileExists(atPath: scratch.file("p.csv")) || FileManager.default.fileExists(atPath: scratch.file("p.json"))
        return (run.status, run.stderr, wrote)
    }

    @Test func mergeRefusesMissingDuplicateForeignAndMixedParts() throws {
        let scratch = try CLIScratch()
        try runShares(lcArguments(scratch, "p"), count: 3)
        let part = { (i: Int, n: Int) in scratch.file("p.csv.shard-\(i)-of-\(n)") }
        let saved = contents(part(2, 3))!
        let fm = FileManager.default

        try fm.removeItem(atPath: part(2, 3))
        var result = try merge(scratch)
        #expect(result.status == 1 && result.error.contains("p.csv.shard-2-of-3 is missing") && !result.wrote, "\(result)")
        #expect(result.error.split(separator: "\n").count == 1)

        // A killed shard's temporary file is named as the reason.
        fm.createFile(atPath: scratch.file(".p.csv.shard-2-of-3.tmp-1-2"), contents: Data("{".utf8))
        result = try merge(scratch)
        #expect(result.status == 1 && result.error.contains("interrupted") && !result.wrote, "\(result)")
        try fm.removeItem(atPath: scratch.file(".p.csv.shard-2-of-3.tmp-1-2"))

        // Duplicate: share 1's part under share 2's name.
        try fm.copyItem(atPath: part(1, 3), toPath: part(2, 3))
        result = try merge(scratch)
        #expect(result.status == 1 && result.error.contains("p.csv.shard-2-of-3 holds share 1/3") && !result.wrote, "\(result)")
        try fm.removeItem(atPath: part(2, 3))

        // Foreign: share 2 of the same command with another seed.
        let other = try CLIScratch()
        var foreign = lcArguments(scratch, "p", seed: "9")
        foreign[foreign.firstIndex(of: scratch.file("p.csv"))!] = other.file("p.csv")
        foreign[foreign.firstIndex(of: scratch.file("p.json"))!] = other.file("p.json")
        #expect(try runTessera(foreign + ["--shard", "2/3"]).status == 0)
        try fm.copyItem(atPath: other.file("p.csv.shard-2-of-3"), toPath: part(2, 3))
        result = try merge(scratch)
        #expect(result.status == 1 && result.error.contains("p.csv.shard-2-of-3 is foreign") && !result.wrote, "\(result)")
        try fm.removeItem(atPath: part(2, 3))
        fm.createFile(atPath: part(2, 3), contents: saved)

        // N mismatch: a part of a 2-way sharding beside the 3-way one.
        fm.createFile(atPath: part(1, 2), contents: contents(part(1, 3)))
        result = try merge(scratch)
        #expect(result.status == 1 && result.error.contains("disagree on N") && !result.wrote, "\(result)")
        try fm.removeItem(atPath: part(1, 2))

        // Whole again: the merge succeeds (so the refusals above came from the damage).
        result = try merge(scratch)
        #expect(result.status == 0 && result.wrote, "\(result)")
    }

    @Test func aKilledShardLeavesNoPartAndItsRerunMergesToTheSameBytes() throws {
        let scratch = try CLIScratch()
        let arguments = ["lc", Self.cnnRun, "--split", "random", "--samples", "500", "--directions", "4",
                         "--csv", scratch.file("k.csv")]
        try runShares(arguments, count: 2)
        #expect(try runTessera(["merge", scratch.file("k.csv")]).status == 0)
        let reference = contents(scratch.file("k.csv"))
        try FileManager.default.removeItem(atPath: scratch.file("k.csv"))
        try FileManager.default.removeItem(atPath: scratch.file("k.csv.shard-2-of-2"))

        // Share 2 killed while it measures (it prints nothing before its part is written).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try requireBinary())
        process.arguments = arguments + ["--shard", "2/2"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1)
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(wasRunning, "share 2 finished within a second: make its work larger")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("k.csv.shard-2-of-2")))
        let refused = try runTessera(["merge", scratch.file("k.csv")])
        #expect(refused.status == 1 && refused.stderr.contains("k.csv.shard-2-of-2 is missing"), "\(refused)")

        #expect(try runTessera(arguments + ["--shard", "2/2"]).status == 0)
        #expect(try runTessera(["merge", scratch.file("k.csv")]).status == 0)
        #expect(reference != nil && contents(scratch.file("k.csv")) == reference)
    }
}

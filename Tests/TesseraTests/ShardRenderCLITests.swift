import Foundation
import Testing
@testable import Trainer

/// `render --shard` and `figure --shard` through the real binary: merged, they are the files one process
/// writes (timings aside), and an incomplete set of parts writes nothing.
@Suite(.timeLimit(.minutes(20))) struct ShardRenderCLITests {
    let fm = FileManager.default

    func contents(_ path: String) -> Data? { fm.contents(atPath: path) }

    /// The file's lines without those holding `field` (a timing).
    func without(_ field: String, _ path: String) -> [Substring]? {
        contents(path).map { $0.split(separator: UInt8(ascii: "\n")).map { Substring(decoding: $0, as: UTF8.self) }.filter { !$0.contains(field) } }
    }

    /// Every file in `directory` but the parts, by name.
    func files(_ directory: String) -> [String: Data] {
        let names = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.contains(".shard-") }
        return Dictionary(uniqueKeysWithValues: names.map { ($0, contents(directory + "/" + $0) ?? Data()) })
    }

    func runShares(_ arguments: [String], count: Int) throws {
        for i in 1...count {
            let run = try runTessera(arguments + ["--shard", "\(i)/\(count)"])
            #expect(run.status == 0, "\(run)")
        }
    }

    /// A small MLP run of a dozen checkpoints.
    static func mlpRun() throws -> String {
        let data = try CheckpointIOTests().idxDirectory(), run = temporaryRunPath()
        try TrainingRun.run(config: smallTrainingConfig(steps: 12), dataDirectory: data, out: run, resume: false, resumeSteps: nil) { _ in }
        return run
    }

    @Test func renderSharesMergeToTheOneProcessFiles() throws {
        let scratch = try CLIScratch()
        let run = try Self.mlpRun()
        let render = { (out: String) in ["render", run, "--indices", "0,1,2", "--size", "160", "--lc-samples", "5", "--regions",
                                         "--out", scratch.file(out)] }
        #expect(try runTessera(render("one")).status == 0)
        let one = files(scratch.file("one"))
        #expect(one.keys.contains("view.html") && one.keys.contains("migration.png") && one.keys.filter { $0.hasSuffix(".png") }.count >= 10)
        for count in [1, 3, 20] {  // 20 shares of fewer checkpoints: some shares have none
            try runShares(render("n\(count)"), count: count)
            #expect(files(scratch.file("n\(count)")).isEmpty, "a share wrote a file that is not a part")
            let merge = try runTessera(["merge", scratch.file("n\(count)/partition.csv")])
            #expect(merge.status == 0, "\(merge)")
            let merged = files(scratch.file("n\(count)"))
            #expect(merged.keys.sorted() == one.keys.sorted(), "N = \(count)")
            for (name, data) in one { #expect(merged[name] == data, "N = \(count): \(name) differs") }
        }
    }

    @Test func renderOfAGraphRunMergesToTheOneProcessFilesAndRefusesMissingOrForeignParts() throws {
        let scratch = try CLIScratch()
        let render = { (out: String, size: String) in ["render", ShardCLITests.cnnRun, "--data", "/usr/share/datasets/fashion-mnist",
                                                       "--indices", "0,1,2", "--domain", "disk:0.5", "--size", size, "--lc-samples", "4",
                                                       "--out", scratch.file(out)] }
        #expect(try runTessera(render("one", "200")).status == 0)
        try runShares(render("two", "200"), count: 2)
        let part2 = scratch.file("two/partition.csv.shard-2-of-2"), saved = contents(part2)
        try fm.removeItem(atPath: part2)
        var merge = try runTessera(["merge", scratch.file("two/partition.csv")])
        #expect(merge.status == 1 && merge.stderr.contains("partition.csv.shard-2-of-2 is missing"), "\(merge)")
        #expect(files(scratch.file("two")).isEmpty, "a refused merge wrote \(files(scratch.file("two")).keys.sorted())")

        // Share 2 of another picture size is foreign.
        try runShares(render("other", "240"), count: 2)
        try fm.copyItem(atPath: scratch.file("other/partition.csv.shard-2-of-2"), toPath: part2)
        merge = try runTessera(["merge", scratch.file("two/partition.csv")])
        #expect(merge.status == 1 && merge.stderr.contains("partition.csv.shard-2-of-2 is foreign"), "\(merge)")
        #expect(files(scratch.file("two")).isEmpty)

        try fm.removeItem(atPath: part2)
        fm.createFile(atPath: part2, contents: saved)
        merge = try runTessera(["merge", scratch.file("two/partition.csv")])
        #expect(merge.status == 0, "\(merge)")
        let one = files(scratch.file("one")), two = files(scratch.file("two"))
        #expect(one.count >= 5 && one.keys.sorted() == two.keys.sorted())
        for (name, data) in one { #expect(two[name] == data, "\(name) differs") }
    }

    @Test func figureSharesMergeToTheOneProcessFiles() throws {
        let scratch = try CLIScratch()
        let figure = { (out: String) in ["figure", ShardCLITests.cnnRun, "--data", "/usr/share/datasets/fashion-mnist", "--indices", "0,1,2",
                                         "--domain", "disk:0.5", "--samples", "300", "--directions", "4", "--panel-size", "200",
                                         "--raster-dpi", "100", "--png", scratch.file(out + ".png"), "--pdf", scratch.file(out + ".pdf"),
                                         "--json", scratch.file(out + ".json")] }
        #expect(try runTessera(figure("one")).status == 0)
        try runShares(figure("three"), count: 3)
        #expect(!fm.fileExists(atPath: scratch.file("three.png")))
        let merge = try runTessera(["merge", scratch.file("three.png"), scratch.file("three.pdf"), scratch.file("three.json")])
        #expect(merge.status == 0, "\(merge)")
        #expect(contents(scratch.file("one.png")) != nil && contents(scratch.file("three.png")) == contents(scratch.file("one.png")))
        // Timings aside: the slicing time in the JSON, Cairo's creation date in the PDF.
        #expect(without("slice_seconds", scratch.file("one.json")) != nil
                && without("slice_seconds", scratch.file("three.json")) == without("slice_seconds", scratch.file("one.json")))
        #expect(without("/CreationDate", scratch.file("one.pdf")) != nil
                && without("/CreationDate", scratch.file("three.pdf")) == without("/CreationDate", scratch.file("one.pdf")))
        // Not vacuous: the curve holds non-zero LC.
        let json = try JSONSerialization.jsonObject(with: contents(scratch.file("one.json")) ?? Data()) as? [String: Any]
        #expect(((json?["lc_train"] as? [String: Any])?["mean"] as? [Double])?.contains { $0 > 0 } == true)
    }
}

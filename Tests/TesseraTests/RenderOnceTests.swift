import Foundation
import Pipelines
import Render
import Slicer
import Testing
@testable import Trainer

/// `render` slices each checkpoint once for its frames, partition.csv and the viewer page.
@Suite(.serialized, .timeLimit(.minutes(20))) struct RenderOnceTests {
    static func makeRun() throws -> (run: String, data: String) {
        let data = try CheckpointIOTests().idxDirectory(), run = temporaryRunPath()
        try TrainingRun.run(config: smallTrainingConfig(steps: 12), dataDirectory: data, out: run, resume: false, resumeSteps: nil) { _ in }
        return (run, data)
    }

    static func sequence(_ run: String, out: String) throws -> PartitionSequence {
        try PartitionSequence(runPath: run, indices: [0, 1, 2], split: "train", data: nil, domain: .square(scale: 1.5), outputDirectory: out,
                              every: 1, radius: 0.5, delta: 0.5, maxRegions: 100_000, picture: PictureSettings(size: 200))
    }

    @Test func everyCheckpointIsSlicedOnceAndTheViewerPageIsTheSame() throws {
        let (run, _) = try Self.makeRun()
        let out = temporaryRunPath()
        let sequence = try Self.sequence(run, out: out)
        #expect(sequence.checkpoints.count >= 10)

        // The render hands each checkpoint's one slice to `sliced`, once per checkpoint.
        let counts = Counts(sequence.checkpoints.count)
        try sequence.render { _ in } sliced: { index, _ in counts.add(index) }
        #expect(counts.all == Array(repeating: 1, count: sequence.checkpoints.count))

        // The page made from those slices equals the page the viewer makes by slicing again.
        var viewer = RunViewer(runPath: run, checkpoints: sequence.checkpoints, anchors: sequence.anchors, labels: sequence.names.labels,
                               domain: sequence.domain, activation: sequence.activation, dataDirectory: sequence.dataDirectory)
        viewer.lcSamples = 6
        try sequence.renderWithViewer(viewer, page: out + "/once.html")
        try viewer.write(to: out + "/twice.html")
        let once = try Self.pageData(out + "/once.html"), twice = try Self.pageData(out + "/twice.html")
        #expect((once["frames"] as? [Any])?.count == sequence.checkpoints.count)
        #expect(once == twice)
    }

    /// The page's embedded data (its key order is not fixed, so it is compared as a parsed object).
    static func pageData(_ path: String) throws -> NSDictionary {
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let open = try #require(html.range(of: "<script id=\"tessera-data\" type=\"application/json\">"))
        let close = try #require(html.range(of: "</script>", range: open.upperBound..<html.endIndex))
        let object = try JSONSerialization.jsonObject(with: Data(html[open.upperBound..<close.lowerBound].utf8))
        return try #require(object as? NSDictionary)
    }
}

/// Per-index counters, bumped from the render's worker threads.
private final class Counts: @unchecked Sendable {
    private var values: [Int]
    private let lock = NSLock()
    init(_ count: Int) { values = Array(repeating: 0, count: count) }
    func add(_ index: Int) { lock.withLock { values[index] += 1 } }
    var all: [Int] { lock.withLock { values } }
}

import Foundation
import Testing

/// The run pipelines end to end through the real binary, on a tiny run: `render`, `lc --plot`,
/// `figure` and `validate` write what they promise.
@Suite("run pipelines through the CLI", .timeLimit(.minutes(20)))
struct RunPipelineTests {
    /// 4×4 images in three clusters: 30 train and 12 test samples; a 16 → 10 → 10 → 3 MLP trained 40 steps.
    static func makeRun() throws -> (scratch: CLIScratch, run: String) {
        let s = try CLIScratch()
        func images(_ count: Int, seed: Int) -> (pixels: [UInt8], labels: [UInt8]) {
            var pixels: [UInt8] = [], labels: [UInt8] = []
            for i in 0..<count {
                let label = i % 3
                labels.append(UInt8(label))
                pixels += (0..<16).map { p in UInt8(((p % 3 == label ? 180 : 30) + (p * 17 + i * 29 + seed) % 60) % 256) }
            }
            return (pixels, labels)
        }
        for (stem, count, seed) in [("train", 30, 1), ("t10k", 12, 2)] {
            let data = images(count, seed: seed)
            s.write("data/\(stem)-images-idx3-ubyte", s.idx([0, 0, 8, 3], dimensions: [UInt32(count), 4, 4], data: data.pixels))
            s.write("data/\(stem)-labels-idx1-ubyte", s.idx([0, 0, 8, 1], dimensions: [UInt32(count)], data: data.labels))
        }
        let run = s.file("run")
        let train = try runTessera(["train", "--data", s.file("data"), "--out", run, "--steps", "40", "--depth", "3", "--width", "10",
                                    "--train-size", "30", "--batch", "10", "--lr", "0.01", "--checkpoints-per-decade", "4"])
        #expect(train.status == 0, "\(train)")
        return (s, run)
    }

    @Test func renderLCFigureAndValidateWriteTheirOutputs() throws {
        let (s, run) = try Self.makeRun()
        let render = try runTessera(["render", run, "--indices", "0,1,2", "--out", s.file("frames"), "--size", "300", "--delta", "0.3"])
        #expect(render.status == 0, "\(render)")
        let csv = try String(contentsOfFile: s.file("frames/partition.csv"), encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        #expect(header.filter { $0.hasPrefix("regions_near_") } == ["regions_near_train_0", "regions_near_train_1", "regions_near_train_2"])
        #expect(header.contains("edge_density_ratio_near_boundary") && header.contains("area_share_near_anchors"))
        #expect(csv.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == header.count })
        // Step 0 is a frame and a row like any other.
        #expect(csv.dropFirst().first?.hasPrefix("0,") == true)
        #expect(GalleryPNG.size(s.file("frames/migration.png"))?.width == 2 * 900)

        let lc = try runTessera(["lc", run, "--radius", "0.01,0.1,1", "--samples", "8", "--directions", "6", "--plot", s.file("lc.png")])
        #expect(lc.status == 0, "\(lc)")
        #expect(GalleryPNG.size(s.file("lc.png")).map { [$0.width, $0.height] } == [3 * 900, 700])

        let figure = try runTessera(["figure", run, "--indices", "0,1,2", "--samples", "8", "--directions", "6", "--panel-size", "200",
                                     "--png", s.file("figure.png"), "--json", s.file("figure.json")])
        #expect(figure.status == 0, "\(figure)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.file("figure.json")))) as? [String: Any]
        #expect((summary?["chosen"] as? [[String: Any]])?.first?["step"] as? Int == 0)
        #expect(GalleryPNG.size(s.file("figure.png")) != nil)

        let validate = try runTessera(["validate", run, "--samples", "3", "--radius", "0.5", "--directions", "6", "--checkpoints", "3",
                                       "--csv", s.file("v.csv"), "--png", s.file("v.png")])
        #expect(validate.status == 0, "\(validate)")
        #expect(GalleryPNG.size(s.file("v.png")).map { [$0.width, $0.height] } == [1100, 650])
    }
}

/// Width and height of a PNG from its IHDR chunk.
enum GalleryPNG {
    static func size(_ path: String) -> (width: Int, height: Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 24 else { return nil }
        let bytes = [UInt8](data.prefix(24))
        guard bytes.prefix(8) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] else { return nil }
        let word = { (i: Int) in bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }
}

import Foundation
import Slicer
import Testing
@testable import Analysis
@testable import Engine
@testable import Models

/// How `--shard I/N` divides work units: every unit in exactly one share, in order, shares within one unit of each other.
@Suite struct ShardSpecTests {
    @Test func sharesPartitionTheUnitsInOrder() throws {
        for units in [0, 1, 2, 7, 72, 1000] {
            for count in [1, 2, 3, 8, 64] {
                let ranges = try (1...count).map { try ShardSpec(index: $0, count: count).range(of: units) }
                #expect(ranges.flatMap { Array($0) } == Array(0..<units), "units \(units), N \(count)")
                let sizes = ranges.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1)
            }
        }
    }

    /// A part is its header and its blob again when read back; anything else (an earlier format, a
    /// header cut short) is refused by name.
    @Test func partsRoundTripAndDamagedOnesAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-part-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/p.json", shard = try ShardSpec(index: 2, count: 3)
        let blob = Data((0..<1000).map { UInt8($0 % 251) })
        try ShardPart(command: "slice", shard: shard, fingerprint: "f", arguments: ["--a", "b"], output: output,
                      payload: ["k": 7], blob: blob).write()
        let path = ShardPart.path(of: output, shard: shard)
        let back = try ShardPart.read(path: path)
        #expect(back.command == "slice" && back.shard == shard && back.fingerprint == "f" && back.arguments == ["--a", "b"]
                && back.output == output && back.payload["k"] as? Int == 7 && back.blob == blob)
        let whole = try #require(FileManager.default.contents(atPath: path))
        for damaged in [whole.prefix(30), Data("{\"format\": \"tessera shard part 1\"}".utf8), Data()] {
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(throws: TesseraError.badInput("\(path) is not a tessera shard part (or is damaged)")) { try ShardPart.read(path: path) }
        }
    }

    @Test func parsesIOfNAndRefusesTheRest() throws {
        #expect(try ShardSpec(parsing: "2/8") == ShardSpec(index: 2, count: 8))
        #expect(try ShardSpec(parsing: "3/3").suffix == ".shard-3-of-3")
        for bad in ["0/3", "4/3", "1/0", "2", "a/b", "1/2/3", "-1/2", ""] {
            #expect(throws: TesseraError.self) { try ShardSpec(parsing: bad) }
        }
    }

    @Test func theBlocksOfASweepAreWholeChunksAndCoverEverySampleOnce() throws {
        let (network, _) = try standardWorkload(widths: [16, 24, 24, 3], seed: 7)
        let model = GraphModel(network: network)
        let sets = [LCSampleSet(name: "a", points: Array(repeating: Array(repeating: 0.5, count: 16), count: 700)),
                    LCSampleSet(name: "b", points: Array(repeating: Array(repeating: 0.25, count: 16), count: 5))]
        let sweep = LCSweep(sets: sets, directions: try LCDirections.random(count: 4, dimension: 16, seed: 1), radii: [0.1])
        let block = try sweep.blockSize(for: model)
        let chunk = try LCEstimator(model: model, directions: sweep.directions, radii: [0.1], precision: .float32).samplesPerChunk
        #expect(block % chunk == 0 && block >= 2 * chunk)
        let units = sweep.shareUnits(checkpoints: 2, blockSize: block)
        for c in 0..<2 {
            for s in 0..<2 {
                let covered = units.filter { $0.checkpoint == c && $0.set == s }.flatMap { Array($0.samples) }
                #expect(covered == Array(0..<sets[s].points.count))
            }
        }
        #expect(units.allSatisfy { $0.samples.lowerBound % block == 0 })
    }
}

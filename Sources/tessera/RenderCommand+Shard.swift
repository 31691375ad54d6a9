import Foundation
import Render
import Slicer

extension RenderCommand {
    /// Writes everything the command writes without --shard from its parts (of OUT/partition.csv).
    func merge(_ parts: ShardParts) throws {
        let sequence = try PartitionSequence(runPath: runPath, indices: try parseIndices(indices), split: split, data: data,
                                             domain: try parseDomain(domain), outputDirectory: out, every: every,
                                             radius: radius, delta: delta, maxRegions: maxRegions, picture: try picture.settings())
        guard parts.output == sequence.csvPath else {
            throw TesseraError.badInput("\(parts.output): a sharded render is merged as \(sequence.csvPath)")
        }
        let fingerprint = try shardFingerprint(command: "render", arguments: parts.arguments, files: sequence.checkpoints.map(\.path))
        guard fingerprint == parts.parts[0].fingerprint else {
            throw TesseraError.badInput("the inputs of \(parts.output)'s parts have changed since the shards ran")
        }
        if let video { try Video.checkTools(for: video) }
        var viewer = RunViewer(runPath: runPath, checkpoints: sequence.checkpoints, anchors: sequence.anchors, labels: sequence.names.labels,
                               domain: sequence.domain, activation: sequence.activation, dataDirectory: sequence.dataDirectory)
        viewer.fill = picture.fill
        viewer.maxRegions = maxRegions
        viewer.lcSamples = lcSamples
        printError(try sequence.mergeShares(viewer, page: sequence.outputDirectory + "/view.html",
                                            regionsDirectory: regions ? sequence.outputDirectory : nil, payloads: parts.payloads))
        if let video { try Video.make(frames: sequence.framePaths, to: video, fps: fps) }
    }
}

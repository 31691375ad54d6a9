import Foundation
import Pipelines
import Render
import Slicer

extension RenderCommand {
    /// Writes everything the command writes without --shard from its parts (of OUT/partition.csv).
    func merge(_ parts: ShardParts) throws {
        let sequence = try makeSequence()
        guard parts.output == sequence.csvPath else {
            throw TesseraError.badInput("\(parts.output): a sharded render is merged as \(sequence.csvPath)")
        }
        try checkInputsUnchanged(command: "render", parts: parts, files: sequence.checkpoints.map(\.path))
        if let video { try Video.checkTools(for: video) }
        let viewer = makeViewer(sequence)
        printError(try sequence.mergeShares(viewer, page: sequence.outputDirectory + "/view.html",
                                            regionsDirectory: regions ? sequence.outputDirectory : nil, payloads: parts.payloads))
        if let video { try Video.make(frames: sequence.framePaths, to: video, fps: fps) }
    }
}

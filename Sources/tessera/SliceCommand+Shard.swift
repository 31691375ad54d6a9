import Foundation
import Slicer

extension SliceCommand {
    /// The files whose contents the parts' fingerprint covers.
    func inputFiles() -> [String] {
        [model, architecture, anchors.points].compactMap { $0 }
    }

    /// Stitches the strips in the parts into the outputs `group` names (each one of --json, --png,
    /// --svg, --pdf, --regions of the same sharded command), written as one process writes them. The
    /// strips are read from the first output's parts (every output's parts carry them) and stitched once.
    func merge(_ group: [ShardParts]) throws {
        var command = self
        command.shard = nil
        let merged = Set(group.map(\.output))
        let only = { (path: String?) in path.flatMap { merged.contains($0) ? $0 : nil } }
        command.json = only(json); command.png = only(png); command.svg = only(svg); command.pdf = only(pdf); command.regions = only(regions)
        let outputs = [command.json, command.png, command.svg, command.pdf, command.regions].compactMap { $0 }
        guard let parts = group.first, outputs.count == merged.count else {
            let stray = group.first { !outputs.contains($0.output) }?.output ?? "?"
            throw TesseraError.badInput("\(stray) is not an output of the command its parts record")
        }
        try checkInputsUnchanged(command: "slice", parts: parts, files: inputFiles())
        let strips = try parts.parts.map { part in
            try StripSlice(encoded: part.blob, source: ShardPart.path(of: parts.output, shard: part.shard))
        }
        let graph = try ModelLoader.load(checkpoint: model, architecture: try checkpointArchitecture(model: model, explicit: architecture),
                                         activation: try activation.map(Activation.init(parsing:)))
        let result = try StripStitcher.stitch(strips)
        try command.writeOutputs(result, network: graph.chainNetwork, input: try anchors.load(), domain: try parseDomain(domain),
                                 parallelism: try threading.parallelism())
    }
}

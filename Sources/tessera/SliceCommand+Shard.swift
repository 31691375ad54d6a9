import Foundation
import Slicer

extension SliceCommand {
    /// The files whose contents the parts' fingerprint covers.
    func inputFiles() -> [String] {
        [model, architecture, anchors.points].compactMap { $0 }
    }

    /// Stitches the strips in the parts into the output `parts.output` (one of --json, --png, --svg,
    /// --pdf, --regions), written as one process writes it.
    func merge(_ parts: ShardParts) throws {
        var command = self
        command.shard = nil
        let only = { (path: String?) in path == parts.output ? path : nil }
        command.json = only(json); command.png = only(png); command.svg = only(svg); command.pdf = only(pdf); command.regions = only(regions)
        guard [command.json, command.png, command.svg, command.pdf, command.regions].contains(where: { $0 != nil }) else {
            throw TesseraError.badInput("\(parts.output) is not an output of the command its parts record")
        }
        try checkInputsUnchanged(command: "slice", parts: parts, files: inputFiles())
        let strips = try zip(parts.parts, parts.payloads).map { part, payload in
            try StripSlice(payload: payload, source: ShardPart.path(of: parts.output, shard: part.shard))
        }
        let graph = try ModelLoader.load(checkpoint: model, architecture: try checkpointArchitecture(model: model, explicit: architecture),
                                         activation: try activation.map(Activation.init(parsing:)))
        let result = try StripStitcher.stitch(strips)
        try command.writeOutputs(result, network: graph.chainNetwork, input: try anchors.load(), domain: try parseDomain(domain),
                                 parallelism: try threading.parallelism())
    }
}

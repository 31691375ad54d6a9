import Foundation
import Pipelines
import Render
import Slicer

extension ValidateCommand {
    /// Measures share `shard` and writes its part of every output.
    func runShare(_ request: RunValidationRequest, _ shard: ShardSpec) throws {
        let (payload, inputs) = try RunValidation.runShare(request, shard: shard, log: printError)
        try writeParts(command: "validate", shard: shard, outputs: [csv, json, png, pdf].compactMap { $0 }, files: inputs, payload: payload)
    }

    /// Joins the parts into their output (one of --csv, --json, --png, --pdf).
    func merge(_ parts: ShardParts) throws {
        var request = try makeRequest()
        let only = { (path: String?) in path == parts.output ? path : nil }
        request.csv = only(csv); request.json = only(json); request.png = only(png); request.pdf = only(pdf)
        guard [request.csv, request.json, request.png, request.pdf].contains(where: { $0 != nil }) else {
            throw TesseraError.badInput("\(parts.output) is not an output of the command its parts record")
        }
        try checkInputsUnchanged(command: "validate", parts: parts, files: RunValidation.inputs(request))
        printError(try RunValidation.merge(request, payloads: parts.payloads))
    }
}

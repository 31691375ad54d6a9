import Foundation
import Pipelines
import Render
import Slicer

extension FigureCommand {
    /// Draws its output (one of --png, --pdf, --json) from the parts.
    func merge(_ parts: ShardParts) throws {
        var request = try makeRequest()
        let only = { (path: String?) in path == parts.output ? path : nil }
        request.png = only(png); request.pdf = only(pdf); request.json = only(json)
        guard [request.png, request.pdf, request.json].contains(where: { $0 != nil }) else {
            throw TesseraError.badInput("\(parts.output) is not an output of the command its parts record")
        }
        try checkInputsUnchanged(command: "figure", parts: parts, files: FigureOne.inputs(request))
        printError(try FigureOne.merge(request, payloads: parts.payloads, log: printError))
    }
}

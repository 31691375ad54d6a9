// `tessera inspect` through the real executable: the table on stdout, one error line otherwise.

import Foundation
import Slicer
import Testing

@Suite(.timeLimit(.minutes(20))) struct InspectCommandTests {
    @Test func inspectPrintsTheTableForONNXAndSafetensorsModels() throws {
        let scratch = try CLIScratch()
        let onnx = scratch.write("model.onnx", try ONNXModel.encode(GraphModel(network: scratch.network)))
        // 16·24 + 24 + 24·24 + 24 + 24·3 + 3 weights and biases.
        for model in [onnx, scratch.file("model.safetensors")] {
            let run = try runTessera(["inspect", model])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.isEmpty)
            #expect(run.stdout.contains("Input: [N, 16] (16 values per sample)"))
            #expect(run.stdout.contains("Parameters: 1,083"))
            #expect(run.stdout.contains("Piecewise units: 48"))
            #expect(run.stdout.contains("Chain MLP: 16-24-24-3 relu"))
        }
    }

    @Test func badModelsAreOneErrorLine() throws {
        let scratch = try CLIScratch()
        let bytes = try ONNXModel.encode(GraphModel(network: scratch.network))
        let truncated = scratch.write("truncated.onnx", Array(bytes.prefix(bytes.count / 2)))
        let garbage = scratch.write("garbage.onnx", Array("not a model at all\u{1}\u{2}\u{ff}".utf8))
        let whole = scratch.write("whole.onnx", bytes)
        for (arguments, fragment) in [(["inspect", truncated], "truncated.onnx: "), (["inspect", garbage], "garbage.onnx: "),
                                      (["inspect", whole, "--activation", "abs"], "--activation"),
                                      (["inspect", scratch.file("missing.onnx")], "missing.onnx: cannot open")] {
            let run = try runTessera(arguments)
            #expect(run.status == 1, "\(arguments): \(run)")
            #expect(!run.signaled)
            #expect(run.stderrLines.count == 1, "\(run)")
            #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(fragment), "\(run)")
            #expect(run.stdout.isEmpty)
        }
    }
}

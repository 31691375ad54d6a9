import Foundation
import Slicer
import Testing
@testable import Models

/// Hostile and malformed ONNX files: each is one error line that names the file and, where there
/// is one, the node and operator.
@Suite(.timeLimit(.minutes(20))) struct ONNXHostileTests {
    static let cases: [(file: String, fragments: [String])] = [
        ("bad-truncated", ["not a readable ONNX model"]),
        ("bad-not-protobuf", ["not a readable ONNX model"]),
        ("bad-attribute-type", ["node 'leaky' (LeakyRelu)", "attribute 'alpha' has type"]),
        ("bad-initializer-type", ["initializer 'W'", "STRING"]),
        ("bad-cycle", ["(Relu)", "cycle"]),
        ("bad-huge-initializer", ["initializer 'W'", "more than 2^31 elements"]),
        ("bad-huge-input", ["input 'x'", "more than 2^31"]),
        ("bad-short-initializer", ["initializer 'W'", "needs 12 values", "holds 2"]),
        ("bad-missing-initializer", ["node 'y' (Gemm)", "input 'b' is not defined"]),
        ("bad-unsupported", ["node 'cosine' (Cos): unsupported operator"]),
        ("bad-external-data", ["initializer 'W'", "'weights.bin', which cannot be opened"]),
        ("bad-external-data-short", ["initializer 'W'", "lies outside 'bad-external-data-short.onnx.data'"]),
        ("bad-two-inputs", ["2 data inputs"]),
        ("bad-huge-pads", ["node 'y' (Conv)", "pads"]),
        ("bad-pool-in-padding", ["node 'y' (MaxPool)", "entirely in the padding"]),
    ]

    @Test(arguments: cases.map(\.file)) func hostileFileIsOneErrorLine(_ file: String) throws {
        let fragments = Self.cases.first { $0.file == file }!.fragments
        let path = onnxCase(file + ".onnx")
        let message = try #require(errorMessage { _ = try ONNXModel.load(path: path) })
        #expect(!message.contains("\n"))
        #expect(message.hasPrefix(path + ": "))
        for fragment in fragments { #expect(message.contains(fragment), "\(message)") }
    }

    @Test func everyPrefixOfAValidFileFailsCleanlyOrParses() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: onnxCase("torch-cnn-torchscript.onnx"))))
        var failures = 0
        for length in stride(from: 0, to: bytes.count, by: 7) {
            let message = errorMessage { _ = try ONNXModel.decode(Array(bytes[..<length]), path: "cut.onnx") }
            if let message {
                failures += 1
                #expect(!message.contains("\n"))
                #expect(message.hasPrefix("cut.onnx: "))
            }
        }
        // A protobuf prefix can parse (the fields so far are complete), but most cuts cannot be a model.
        #expect(failures > bytes.count / 7 / 2)
        #expect(try ONNXModel.decode(bytes, path: "whole.onnx").model.nodes.count == 6)
    }
}

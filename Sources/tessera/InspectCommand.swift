import ArgumentParser
import Foundation
import Slicer

/// `tessera inspect M`: the model as tessera reads it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model as tessera reads it: nodes, operators, output shapes, piecewise units, parameters.")

    @Argument(help: "A model: .onnx, or a .safetensors MLP state_dict.") var model: String
    @Option(help: "For a .safetensors MLP: relu, leaky_relu[:alpha] or abs (default: the model's metadata, else relu).")
    var activation: String?

    func run() throws {
        let override = try activation.map(Activation.init(parsing:))
        if model.lowercased().hasSuffix(".onnx") {
            if override != nil { throw TesseraError.badInput("--activation applies to .safetensors models; an ONNX graph names its own") }
            let details = try ONNXModel.details(path: model)
            print(details.model.summary(batchName: details.batchName, notes: details.notes))
        } else {
            print(try ModelLoader.load(path: model, activation: override).summary())
        }
    }
}

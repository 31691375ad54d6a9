import Foundation
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Graph models as a whole: the MLP as a chain, round trips through the ONNX writer, runs whose
/// checkpoints replace the initializers, and the inspect table.
@Suite(.timeLimit(.minutes(20))) struct ONNXModelTests {
    @Test func pytorchMLPExportsAreTheChainOfTheirStateDict() throws {
        let (network, _) = try ModelFile.load(path: onnxCase("torch-mlp.safetensors"), activation: nil)
        for exporter in ["torchscript", "dynamo"] {
            let model = try onnxModel("torch-mlp-\(exporter)")
            #expect(model.inputShape == [6])
            #expect(model.chainNetwork == network, "\(exporter)")
        }
        let loaded = try ModelLoader.load(path: onnxCase("torch-mlp.safetensors"))
        #expect(loaded == GraphModel(network: network))
        #expect(loaded.chainNetwork == network)
    }

    @Test func mlpGraphIsNamedLikeASequential() throws {
        let (network, _) = try standardWorkload(widths: [3, 4, 4, 2], seed: 5)
        let model = GraphModel(network: network)
        #expect(model.nodes.map(\.name) == ["0", "1", "2", "3", "4"])
        #expect(model.nodes.map(\.opType) == ["Gemm", "Relu", "Gemm", "Relu", "Gemm"])
        #expect(model.nodes.map(\.inputs) == [[0], [1], [2], [3], [4]])
        #expect(model.inputShape == [3] && model.outputValue == 5 && model.outputDimension == 2)
        #expect(model.chainNetwork == network)
    }

    @Test func chainNetworkRefusesWhatTheMLPEngineCannotRun() throws {
        let (network, _) = try standardWorkload(widths: [3, 4, 2], seed: 1)
        var model = GraphModel(network: network)
        model.nodes[1].op = .activation(.gelu)
        #expect(model.chainNetwork == nil)
        model = GraphModel(network: network)
        model.nodes.append(GraphNode(name: "relu", opType: "Relu", op: .activation(.relu), inputs: [3], shape: [2]))
        model.outputValue = 4
        #expect(model.chainNetwork == nil)  // an activation after the last layer
        #expect(try onnxModel("activations").chainNetwork == nil)
        #expect(try onnxModel("torch-cnn-torchscript").chainNetwork == nil)
    }

    @Test func networkRoundTripsThroughTheONNXWriter() throws {
        let (base, _) = try standardWorkload(widths: [5, 6, 3], seed: 2)
        for activation in [Activation.relu, .leakyReLU(alpha: 0.1), .abs] {
            let network = try Network(layers: base.layers, activation: activation)
            let bytes = try ONNXModel.encode(GraphModel(network: network))
            let model = try ONNXModel.decode(bytes, path: "mlp.onnx").model
            #expect(model.chainNetwork == network, "\(activation)")
            #expect(model.nodes.map(\.op) == GraphModel(network: network).nodes.map(\.op))
        }
    }

    @Test func graphWithEveryOperationRoundTripsThroughTheONNXWriter() throws {
        let conv = Conv2D(inChannels: 2, outChannels: 4, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1, pads: [1, 0, 1, 1],
                          dilationH: 1, dilationW: 2, groups: 2, weights: (0..<24).map { Double($0) / 8 - 1 }, bias: [0.5, 0, -0.5, 1])
        let nodes = [
            GraphNode(name: "conv", opType: "Conv", op: .conv(conv), inputs: [0], shape: [4, 3, 4]),
            GraphNode(name: "bn", opType: "BatchNormalization", op: .channelAffine(scale: [1, 2, 0.5, -1], shift: [0, 0.25, 1, 2]), inputs: [1], shape: [4, 3, 4]),
            GraphNode(name: "act", opType: "LeakyRelu", op: .activation(.leakyReLU(alpha: 0.1)), inputs: [2], shape: [4, 3, 4]),
            GraphNode(name: "res", opType: "Add", op: .add, inputs: [3, 1], shape: [4, 3, 4]),
            GraphNode(name: "max", opType: "MaxPool", op: .maxPool(Pool2D(kernelH: 2, kernelW: 2, strideH: 1, strideW: 2, ceilMode: true)), inputs: [4], shape: [4, 2, 2]),
            GraphNode(name: "avg", opType: "AveragePool", op: .averagePool(Pool2D(kernelH: 2, kernelW: 1, strideH: 1, strideW: 1, pads: [1, 0, 0, 0]), countIncludePad: false), inputs: [5], shape: [4, 2, 2]),
            GraphNode(name: "gap", opType: "GlobalAveragePool", op: .globalAveragePool, inputs: [6], shape: [4, 1, 1]),
            GraphNode(name: "flat", opType: "Reshape", op: .reshape, inputs: [7], shape: [4]),
            GraphNode(name: "shift", opType: "Add", op: .addConstant([1, 2, 3, 4]), inputs: [8], shape: [4]),
            GraphNode(name: "silu", opType: "Mul", op: .activation(.silu), inputs: [9], shape: [4]),
            GraphNode(name: "fc", opType: "Gemm", op: .dense(DenseLayer(inputs: 4, outputs: 2, weights: [1, 2, 3, 4, 5, 6, 7, 8], bias: [0, 1])), inputs: [10], shape: [2]),
        ]
        let model = GraphModel(inputName: "x", inputShape: [2, 5, 5], nodes: nodes, outputValue: nodes.count)
        let read = try ONNXModel.decode(try ONNXModel.encode(model), path: "cnn.onnx").model
        #expect(read.inputShape == model.inputShape)
        #expect(read.nodes.map(\.op) == model.nodes.map(\.op))
        #expect(read.nodes.map(\.inputs) == model.nodes.map(\.inputs))
        #expect(read.nodes.map(\.shape) == model.nodes.map(\.shape))
        #expect(read.nodes.map(\.name) == model.nodes.map(\.name))
    }

    @Test(arguments: ["torchscript", "dynamo"]) func checkpointTensorsReplaceTheInitializers(_ exporter: String) throws {
        let architecture = onnxCase("torch-cnn-\(exporter).onnx")
        let checkpoint = onnxCase("torch-cnn-checkpoint.safetensors")
        let model = try ModelLoader.load(checkpoint: checkpoint, architecture: architecture)
        let (tensors, _) = try SafeTensors.read(path: checkpointWithoutIntegers())
        #expect(model.nodes.map(\.opType) == ["Conv", "BatchNormalization", "Relu", "MaxPool", "Reshape", "Gemm"])
        #expect(model.nodes[0].conv?.weights == tensors["conv.weight"]?.values)
        #expect(model.nodes[0].conv?.bias == tensors["conv.bias"]?.values)
        #expect(model.nodes[5].dense?.weights == tensors["fc.weight"]?.values)
        let epsilon = Double(Float(1e-5))
        let gamma = tensors["bn.weight"]!.values, beta = tensors["bn.bias"]!.values
        let mean = tensors["bn.running_mean"]!.values, variance = tensors["bn.running_var"]!.values
        let scale = (0..<4).map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
        #expect(model.nodes[1].op == .channelAffine(scale: scale, shift: (0..<4).map { beta[$0] - scale[$0] * mean[$0] }))
        // The file's own initializers differ (another initialisation, fresh statistics).
        #expect(try ONNXModel.load(path: architecture).nodes[0].conv?.weights != tensors["conv.weight"]?.values)
        let names = try ONNXModel.initializerNames(path: architecture)
        #expect(Set(tensors.keys).isSubset(of: Set(names)))
    }

    @Test func aRunDirectoryNamesItsArchitecture() throws {
        let run = NSTemporaryDirectory() + "tessera-onnx-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: run) }
        #expect(ModelLoader.runArchitecture(runDirectory: run) == nil)
        try FileManager.default.copyItem(atPath: onnxCase("torch-cnn-dynamo.onnx"), toPath: run + "/model.onnx")
        let architecture = try #require(ModelLoader.runArchitecture(runDirectory: run))
        let model = try ModelLoader.load(checkpoint: onnxCase("torch-cnn-checkpoint.safetensors"), architecture: architecture)
        #expect(model.nodes.count == 6 && model.hasBatchNormScale)
        // Without an architecture a checkpoint is an MLP state_dict: this one is not.
        #expect(mentions(errorMessage { _ = try ModelLoader.load(checkpoint: onnxCase("torch-cnn-checkpoint.safetensors"), architecture: nil) },
                         "torch-cnn-checkpoint.safetensors"))
    }

    @Test func checkpointsThatDoNotMatchTheGraphAreOneErrorLine() throws {
        let architecture = onnxCase("torch-cnn-torchscript.onnx")
        for (file, fragment) in [("missing", "has no tensor 'bn.running_var'"), ("extra", "tensor 'extra' is not an initializer"),
                                 ("shape", "'fc.bias' has shape [4]")] {
            let path = onnxCase("torch-cnn-checkpoint-\(file).safetensors")
            let message = errorMessage { _ = try ModelLoader.load(checkpoint: path, architecture: architecture) }
            #expect(mentions(message, path, fragment), "\(message ?? "no error")")
            #expect(message.map { !$0.contains("\n") } == true)
        }
    }

    @Test func inspectTableShowsShapesUnitsAndParameters() throws {
        let details = try ONNXModel.details(path: onnxCase("torch-cnn-torchscript.onnx"))
        let table = details.model.summary(batchName: details.batchName, notes: details.notes)
        #expect(table.contains("[batch, 1, 8, 8]"))
        #expect(table.contains("[batch, 4, 4, 4]"))
        #expect(table.contains("256 units"))
        #expect(table.contains("64 windows"))
        #expect(table.contains("Parameters: 243"))  // conv 36 + 4, batch norm 4 + 4, fc 192 + 3
        #expect(table.contains("batch norm scale"))
        #expect(!table.contains("Chain MLP"))
        let mlp = try onnxModel("torch-mlp-torchscript").summary()
        #expect(mlp.contains("Chain MLP: 6-5-4-3 relu"))
        #expect(mlp.contains("Piecewise units: 9"))
    }

    /// The checkpoint without its integer tensor, through the reader the loader uses.
    private func checkpointWithoutIntegers() throws -> String {
        let scratch = NSTemporaryDirectory() + "tessera-onnx-" + UUID().uuidString + ".safetensors"
        let tensors = try ONNXCheckpoint.read(path: onnxCase("torch-cnn-checkpoint.safetensors"))
        #expect(tensors["bn.num_batches_tracked"] == nil)
        try SafeTensors.write(path: scratch, tensors: tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, metadata: [:])
        return scratch
    }
}

// Model files: PyTorch state_dict layouts, prefixes, numeric index order, activations, errors.

import Testing
import Slicer

@Suite(.timeLimit(.minutes(20))) struct FileFormatsModel {
    /// A Linear layer's weight and bias under `<prefix><index>.`, values counting up from `start`.
    func linear(_ prefix: String, _ index: Int, inputs: Int, outputs: Int, start: Double = 0)
        -> [(name: String, tensor: Tensor)] {
        let weights = (0..<(inputs * outputs)).map { start + Double($0) / 8 }
        let bias = (0..<outputs).map { -start - Double($0) / 4 }
        return [("\(prefix)\(index).weight", Tensor(shape: [outputs, inputs], dtype: .f32, values: weights)),
                ("\(prefix)\(index).bias", Tensor(shape: [outputs], dtype: .f32, values: bias))]
    }

    func load(_ scratch: ScratchDirectory, _ tensors: [(name: String, tensor: Tensor)],
              metadata: [String: String] = [:], activation: Activation? = nil) throws -> (network: Network, metadata: [String: String]) {
        let path = scratch.file("model.safetensors")
        try SafeTensors.write(path: path, tensors: tensors, metadata: metadata)
        return try ModelFile.load(path: path, activation: activation)
    }

    @Test func loadsAPrefixedSequentialStateDict() throws {
        let scratch = ScratchDirectory()
        let tensors = linear("model.", 0, inputs: 2, outputs: 3, start: 1)
            + linear("model.", 2, inputs: 3, outputs: 4, start: 2) + linear("model.", 4, inputs: 4, outputs: 1, start: 3)
        let (network, metadata) = try load(scratch, tensors.reversed(), metadata: ["format": "pt"])
        #expect(network.layers.map(\.inputs) == [2, 3, 4])
        #expect(network.layers.map(\.outputs) == [3, 4, 1])
        #expect(network.layers[0].weights == tensors[0].tensor.values)
        #expect(network.layers[1].bias == tensors[3].tensor.values)
        #expect(network.layers[2].weight(0, 3) == 3 + 3.0 / 8)
        #expect(network.activation == .relu)
        #expect(metadata == ["format": "pt"])
    }

    @Test func ordersIndicesNumerically() throws {
        // As text "10" sorts before "2"; numerically the chain is 0 → 2 → 10.
        let scratch = ScratchDirectory()
        let tensors = linear("net.layers.", 0, inputs: 5, outputs: 3) + linear("net.layers.", 10, inputs: 4, outputs: 2)
            + linear("net.layers.", 2, inputs: 3, outputs: 4)
        let network = try load(scratch, tensors).network
        #expect(network.layers.map(\.inputs) == [5, 3, 4])
        #expect(network.layers.map(\.outputs) == [3, 4, 2])
        let unprefixed = try load(scratch, linear("", 1, inputs: 2, outputs: 2) + linear("", 3, inputs: 2, outputs: 6)).network
        #expect(unprefixed.hiddenWidths == [2] && unprefixed.outputDimension == 6)
    }

    @Test func activationComesFromArgumentThenMetadataThenRelu() throws {
        let scratch = ScratchDirectory()
        let tensors = linear("", 0, inputs: 2, outputs: 2) + linear("", 2, inputs: 2, outputs: 1)
        #expect(try load(scratch, tensors, metadata: ["activation": "leaky_relu:0.125"]).network.activation == .leakyReLU(alpha: 0.125))
        #expect(try load(scratch, tensors, metadata: ["activation": "abs"], activation: .relu).network.activation == .relu)
        #expect(try load(scratch, tensors).network.activation == .relu)
        let message = errorMessage { _ = try load(scratch, tensors, metadata: ["activation": "swish"]) }
        #expect(mentions(message, "model.safetensors: ", "activation", "swish"))
    }

    @Test func saveThenLoadGivesTheNetworkBack() throws {
        let scratch = ScratchDirectory()
        let path = scratch.file("saved.safetensors")
        let network = try Network(layers: [
            DenseLayer(inputs: 3, outputs: 2, weights: [0.1, -0.2, 0.3, 1e-300, -5, 6], bias: [0.7, -0.8]),
            DenseLayer(inputs: 2, outputs: 2, weights: [1, 2, 3, 4], bias: [0, -0.0]),
            DenseLayer(inputs: 2, outputs: 1, weights: [1.5, -1.5], bias: [0.25]),
        ], activation: .leakyReLU(alpha: 0.01))
        try ModelFile.save(network, path: path, dtype: .f64, metadata: ["step": "100", "activation": "abs"])
        let (loaded, metadata) = try ModelFile.load(path: path, activation: nil)
        #expect(loaded == network)
        #expect(metadata == ["step": "100", "activation": "leaky_relu:0.01", "format": "pt"])
        let keys = try SafeTensors.read(path: path).tensors.keys.sorted()
        #expect(keys == ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"])

        try ModelFile.save(network, path: path, dtype: .f32, metadata: [:])
        let single = try ModelFile.load(path: path, activation: nil).network
        #expect(single.layers[0].weights == network.layers[0].weights.map { Double(Float($0)) })
        #expect(single.activation == network.activation)
    }

    @Test func malformedStateDictsAreRejected() throws {
        let scratch = ScratchDirectory()
        let first = linear("model.", 0, inputs: 2, outputs: 3), second = linear("model.", 2, inputs: 3, outputs: 1)
        func message(_ tensors: [(name: String, tensor: Tensor)]) -> String? {
            errorMessage { _ = try load(scratch, tensors) }
        }
        #expect(mentions(message(first + linear("other.", 0, inputs: 2, outputs: 2)),
                         "model.safetensors: 2 networks in file: prefixes 'model.', 'other.'"))
        #expect(mentions(message(first + [second[0]]), "'model.2.weight' has no bias tensor 'model.2.bias'"))
        #expect(mentions(message(first + [second[1]]), "'model.2.bias' has no matching weight"))
        #expect(mentions(message(first + linear("model.", 2, inputs: 4, outputs: 1)),
                         "'model.2.weight' takes 4 inputs but the previous layer has 3 outputs"))
        let wrongBias = [first[0], ("model.0.bias", Tensor(shape: [2], dtype: .f32, values: [0, 0]))]
        #expect(mentions(message(wrongBias), "'model.0.bias' has shape [2], expected [3]"))
        let flat = [("model.0.weight", Tensor(shape: [6], dtype: .f32, values: Array(repeating: 0, count: 6))), first[1]]
        #expect(mentions(message(flat), "'model.0.weight' has shape [6], expected 2-D"))
        var poisoned = first
        poisoned[0].tensor.values[4] = .nan
        #expect(mentions(message(poisoned + second), "'model.0.weight' contains NaN or infinite values"))
        poisoned = second
        poisoned[1].tensor.values[0] = -.infinity
        #expect(mentions(message(first + poisoned), "'model.2.bias' contains NaN or infinite values"))
        let extra = first + [("model.1.running_mean", Tensor(shape: [3], dtype: .f32, values: [0, 0, 0]))]
        #expect(mentions(message(extra), "'model.1.running_mean' is not a Linear layer parameter"))
        let duplicate = first + [("model.00.bias", Tensor(shape: [3], dtype: .f32, values: [0, 0, 0]))]
        #expect(mentions(message(duplicate), "name the same parameter"))
        #expect(mentions(message([]), "holds no tensors"))
    }
}

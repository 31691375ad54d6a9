// PyTorch nn.Sequential MLP state_dicts <-> Network.

/// The model loader and saver behind `ModelFile.load/save`.
enum ModelFileCodec {
    /// A state_dict key split as `<prefix><index>.<kind>`, e.g. `net.layers.` `4` `weight`.
    struct LayerKey {
        var prefix: String
        var index: Int
        var isWeight: Bool

        /// Nil for keys that are not `<prefix><digits>.weight|bias` with an empty or `.`-ending prefix.
        init?(_ name: String) {
            let kind: Substring
            if name.hasSuffix(".weight") { kind = name.dropLast(".weight".count); isWeight = true }
            else if name.hasSuffix(".bias") { kind = name.dropLast(".bias".count); isWeight = false }
            else { return nil }
            let digits = kind.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let index = Int(String(digits.reversed())) else { return nil }
            let prefix = kind.dropLast(digits.count)
            guard prefix.isEmpty || prefix.hasSuffix(".") else { return nil }
            self.prefix = String(prefix)
            self.index = index
        }
    }

    static func load(path: String, activation: Activation?) throws -> (network: Network, metadata: [String: String]) {
        func bad(_ problem: String) -> TesseraError { BinaryFile.bad(path, problem) }
        let (tensors, metadata) = try SafeTensorsCodec.read(path: path)
        guard !tensors.isEmpty else { throw bad("holds no tensors") }

        // Group `<prefix><i>.weight|bias` by prefix and index; anything else is not an MLP state_dict.
        var groups: [String: [Int: (weight: String?, bias: String?)]] = [:]
        for name in tensors.keys.sorted() {
            guard let key = LayerKey(name) else {
                throw bad("tensor '\(name)' is not a Linear layer parameter (expected <prefix><index>.weight or .bias)")
            }
            var layer = groups[key.prefix, default: [:]][key.index] ?? (nil, nil)
            let existing = key.isWeight ? layer.weight : layer.bias
            if let existing { throw bad("tensors '\(existing)' and '\(name)' name the same parameter") }
            if key.isWeight { layer.weight = name } else { layer.bias = name }
            groups[key.prefix, default: [:]][key.index] = layer
        }
        let prefixes = groups.keys.sorted()
        guard prefixes.count == 1, let layersByIndex = groups[prefixes[0]] else {
            let shown = prefixes.map { $0.isEmpty ? "'' (none)" : "'\($0)'" }.joined(separator: ", ")
            throw bad("\(prefixes.count) networks in file: prefixes \(shown)")
        }

        var layers: [DenseLayer] = []
        for index in layersByIndex.keys.sorted() {
            let names = layersByIndex[index]!
            guard let weightName = names.weight else { throw bad("'\(names.bias!)' has no matching weight tensor") }
            guard let biasName = names.bias else {
                throw bad("'\(weightName)' has no bias tensor '\(weightName.dropLast("weight".count))bias'")
            }
            let weight = tensors[weightName]!, bias = tensors[biasName]!
            guard weight.shape.count == 2 else {
                throw bad("'\(weightName)' has shape \(weight.shape), expected 2-D [out, in]")
            }
            let outputs = weight.shape[0], inputs = weight.shape[1]
            guard outputs > 0, inputs > 0 else { throw bad("'\(weightName)' has an empty shape \(weight.shape)") }
            guard bias.shape == [outputs] else {
                throw bad("'\(biasName)' has shape \(bias.shape), expected [\(outputs)] to match '\(weightName)' \(weight.shape)")
            }
            if let previous = layers.last, previous.outputs != inputs {
                throw bad("'\(weightName)' takes \(inputs) inputs but the previous layer has \(previous.outputs) outputs")
            }
            for (name, tensor) in [(weightName, weight), (biasName, bias)] where tensor.values.contains(where: { !$0.isFinite }) {
                throw bad("'\(name)' contains NaN or infinite values")
            }
            layers.append(DenseLayer(inputs: inputs, outputs: outputs, weights: weight.values, bias: bias.values))
        }

        let chosen: Activation
        if let activation {
            chosen = activation
        } else if let text = metadata["activation"] {
            do { chosen = try Activation(parsing: text) } catch { throw bad("__metadata__ activation: \(error)") }
        } else {
            chosen = .relu
        }
        do {
            return (try Network(layers: layers, activation: chosen), metadata)
        } catch {
            throw bad("\(error)")
        }
    }

    static func save(_ network: Network, path: String, dtype: DType, metadata: [String: String]) throws {
        var tensors: [(name: String, tensor: Tensor)] = []
        for (position, layer) in network.layers.enumerated() {
            // nn.Sequential(Linear, act, Linear, ...) puts the Linear layers at even indices.
            let index = 2 * position
            tensors.append(("\(index).weight", Tensor(shape: [layer.outputs, layer.inputs], dtype: dtype, values: layer.weights)))
            tensors.append(("\(index).bias", Tensor(shape: [layer.outputs], dtype: dtype, values: layer.bias)))
        }
        var header = metadata
        header["format"] = header["format"] ?? "pt"
        // The network's own activation wins so that loading the file gives back this network.
        header["activation"] = network.activation.description
        try SafeTensorsCodec.write(path: path, tensors: tensors, metadata: header)
    }
}

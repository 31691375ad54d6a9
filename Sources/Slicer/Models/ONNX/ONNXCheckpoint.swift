// A graph model's checkpoint: a safetensors state_dict, whose integer tensors (BatchNorm's
// num_batches_tracked) are set aside.

import Foundation

enum ONNXCheckpoint {
    /// Integer dtypes a PyTorch state_dict may hold (not used by inference).
    static let integerDTypes: Set<String> = ["I64", "I32", "I16", "I8", "U8", "U16", "U32", "U64", "BOOL"]

    /// The float tensors of `path`; integer tensors named `*num_batches_tracked` are skipped, any
    /// other integer tensor is an error.
    static func read(path: String) throws -> [String: Tensor] {
        var bytes = try BinaryFile.readAll(path: path)
        // Drop integer entries from the header (data offsets stay valid), then use the one safetensors parser.
        if bytes.count >= 8 {
            let declared = bytes.littleEndianInteger(at: 0, count: 8)
            if declared <= UInt64(SafeTensorsCodec.maximumHeaderLength), declared <= UInt64(bytes.count - 8),
               var header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + Int(declared))])) as? [String: Any] {
                var removed = false
                for (name, entry) in header where name != "__metadata__" {
                    guard let dtype = (entry as? [String: Any])?["dtype"] as? String, integerDTypes.contains(dtype) else { continue }
                    guard name.hasSuffix("num_batches_tracked") else {
                        throw BinaryFile.bad(path, "tensor '\(name)' has integer dtype \(dtype); a model's parameters are floats")
                    }
                    header[name] = nil
                    removed = true
                }
                if removed, let json = try? JSONSerialization.data(withJSONObject: header) {
                    var rebuilt: [UInt8] = []
                    rebuilt.appendLittleEndian(UInt64(json.count), count: 8)
                    rebuilt += [UInt8](json)
                    rebuilt += bytes[(8 + Int(declared))...]
                    bytes = rebuilt
                }
            }
        }
        return try SafeTensorsCodec.decode(bytes, path: path).tensors
    }
}

/// Loads any model file tessera reads into the one graph form.
public enum ModelLoader {
    /// `.onnx` -> the graph as exported; `.safetensors` -> an MLP state_dict as the chain graph
    /// (`activation` applies to it: the ONNX graph names its own).
    public static func load(path: String, activation: Activation? = nil) throws -> GraphModel {
        if path.lowercased().hasSuffix(".onnx") { return try ONNXModel.load(path: path) }
        return GraphModel(network: try ModelFile.load(path: path, activation: activation).network)
    }

    /// A run's checkpoint: when `architecture` (the run's `model.onnx`) is given, the checkpoint's
    /// tensors replace that graph's initializers; otherwise the checkpoint is an MLP state_dict.
    public static func load(checkpoint path: String, architecture: String?, activation: Activation? = nil) throws -> GraphModel {
        guard let architecture else { return try load(path: path, activation: activation) }
        let tensors = try ONNXCheckpoint.read(path: path)
        do {
            return try ONNXModel.load(path: architecture, initializers: tensors)
        } catch let error as TesseraError {
            throw TesseraError.badInput("\(path): \(error.description)")
        }
    }

    /// The run's architecture file, `model.onnx` at the top of the run directory, when it exists.
    public static func runArchitecture(runDirectory: String) -> String? {
        let path = (runDirectory as NSString).appendingPathComponent("model.onnx")
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

import Foundation
import Slicer

/// The architecture a checkpoint file needs: `--architecture` when given, else the `model.onnx` of
/// the graph run the checkpoint sits in (RUN/checkpoints/step-….safetensors), else none (an MLP
/// state_dict or an ONNX file stands alone).
func checkpointArchitecture(model path: String, explicit: String?) throws -> String? {
    if let explicit {
        guard explicit.lowercased().hasSuffix(".onnx") else { throw TesseraError.badInput("--architecture \(explicit) must be an .onnx file") }
        guard !path.lowercased().hasSuffix(".onnx") else { throw TesseraError.badInput("--architecture applies to a .safetensors checkpoint, not to \(path)") }
        return explicit
    }
    guard path.lowercased().hasSuffix(".safetensors") else { return nil }
    let folder = (path as NSString).deletingLastPathComponent
    guard (folder as NSString).lastPathComponent == "checkpoints" else { return nil }
    return ModelLoader.runArchitecture(runDirectory: (folder as NSString).deletingLastPathComponent)
}

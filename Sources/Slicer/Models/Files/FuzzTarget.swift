// The file parsers that fuzzing drives (tessera-fuzz) and that `swift test` replays its corpus through.

/// One parser entry point: a file format tessera reads, read as the CLI reads it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case safetensors, npy, idx, idxgz = "idx-gz", model, onnx

    /// The file name ending the parser expects for this format.
    public var fileSuffix: String {
        switch self {
        case .safetensors, .model: return ".safetensors"
        case .npy: return ".npy"
        case .idx, .idxgz: return ".idx"
        case .onnx: return ".onnx"
        }
    }

    /// Reads the file at `path` with this target's parsers. Thrown errors are the expected outcome for
    /// bad input: returns the error's text, nil when the file parsed.
    public func parse(path: String) -> String? {
        do {
            switch self {
            case .safetensors:
                _ = try SafeTensors.read(path: path)
            case .npy:
                _ = try NPY.read(path: path)
                // The same bytes through the points loader, which adds shape and finiteness checks.
                _ = try PointsFile.load(path: path)
            case .idx, .idxgz:
                _ = try IDX.read(path: path)
            case .model:
                _ = try ModelFile.load(path: path, activation: nil)
            case .onnx:
                // The reader, then what inspect and the MLP engine do with a model that parsed.
                let details = try ONNXModel.details(path: path)
                _ = details.model.chainNetwork
                _ = details.model.summary(batchName: details.batchName, notes: details.notes)
            }
            return nil
        } catch {
            return "\(error)"
        }
    }
}

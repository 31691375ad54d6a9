// Point sets for slicing and LC, from .npy or single-tensor .safetensors files.

/// The loader behind `PointsFile.load`.
enum PointsFileCodec {
    static func load(path: String) throws -> [[Double]] {
        func bad(_ problem: String) -> TesseraError { BinaryFile.bad(path, problem) }
        let bytes = try BinaryFile.readAll(path: path)
        let tensor: Tensor
        let lower = path.lowercased()
        // Content decides where it can; the extension only breaks the tie for safetensors, which has no magic.
        if bytes.starts(with: NPYCodec.magic) {
            tensor = try NPYCodec.decode(bytes, path: path)
        } else if lower.hasSuffix(".safetensors") || lower.hasSuffix(".st") {
            let tensors = try SafeTensorsCodec.decode(bytes, path: path).tensors
            guard tensors.count == 1, let only = tensors.first else {
                let names = tensors.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
                throw bad("holds \(tensors.count) tensors\(names.isEmpty ? "" : " (\(names))"); expected exactly one 2-D tensor")
            }
            guard only.value.shape.count == 2 else {
                throw bad("tensor '\(only.key)' has shape \(only.value.shape), expected 2-D [N, D]")
            }
            tensor = only.value
        } else if lower.hasSuffix(".npy") {
            throw bad("not a .npy file (bad magic)")
        } else {
            throw bad("unknown points format (expected .npy or .safetensors)")
        }
        guard tensor.shape.count == 2 else { throw bad("array has shape \(tensor.shape), expected 2-D [N, D]") }
        let rows = tensor.shape[0], columns = tensor.shape[1]
        guard rows > 0, columns > 0 else { throw bad("holds no points (shape \(tensor.shape))") }
        if let bad = tensor.values.firstIndex(where: { !$0.isFinite }) {
            throw BinaryFile.bad(path, "point \(bad / columns) coordinate \(bad % columns) is \(tensor.values[bad]) (NaN or infinite)")
        }
        return (0..<rows).map { Array(tensor.values[$0 * columns..<($0 + 1) * columns]) }
    }
}

// The file-format API (safetensors, npy, IDX, models, points). Bodies are filled in by the files work;
// the signatures here are the contract other modules build against.

/// Element types tessera reads and writes.
public enum DType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
}

/// A dense row-major tensor; every supported dtype converts to Double exactly.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var dtype: DType
    public var values: [Double]
    public init(shape: [Int], dtype: DType, values: [Double]) {
        self.shape = shape; self.dtype = dtype; self.values = values
    }
}

/// safetensors files: 8-byte little-endian header length, JSON header, little-endian row-major data.
public enum SafeTensors {
    /// Reads every tensor and the `__metadata__` string map.
    public static func read(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        throw TesseraError.badInput("safetensors reading is not implemented yet")
    }
    /// Writes tensors in the given order (each in its own dtype) atomically (temporary file, then rename).
    public static func write(path: String, tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws {
        throw TesseraError.io("safetensors writing is not implemented yet")
    }
}

/// Model files: a PyTorch `nn.Sequential` MLP state_dict (`<i>.weight` [out, in], `<i>.bias` [out]).
public enum ModelFile {
    /// Loads a network; `activation` overrides the `__metadata__` one; relu when neither says.
    public static func load(path: String, activation: Activation?) throws -> (network: Network, metadata: [String: String]) {
        throw TesseraError.badInput("model loading is not implemented yet")
    }
    /// Saves with keys `0.weight`, `0.bias`, `2.weight`, ... (Linear layers at even Sequential indices,
    /// activations between), and `activation` plus `metadata` in `__metadata__`.
    public static func save(_ network: Network, path: String, dtype: DType, metadata: [String: String]) throws {
        throw TesseraError.io("model saving is not implemented yet")
    }
}

/// `.npy` arrays (float32/float64, C order, little-endian).
public enum NPY {
    public static func read(path: String) throws -> Tensor {
        throw TesseraError.badInput("npy reading is not implemented yet")
    }
    public static func write(_ tensor: Tensor, path: String) throws {
        throw TesseraError.io("npy writing is not implemented yet")
    }
}

/// An MNIST-format (IDX) image dataset split, pixels scaled to [0, 1].
public struct Dataset: Sendable {
    /// Row-major [count, dimension], values in [0, 1].
    public var images: [Double]
    public var labels: [Int]
    public var count: Int
    /// Image height and width (dimension = rows × columns).
    public var rows: Int
    public var columns: Int
    public var dimension: Int { rows * columns }
    public init(images: [Double], labels: [Int], count: Int, rows: Int, columns: Int) {
        self.images = images; self.labels = labels; self.count = count; self.rows = rows; self.columns = columns
    }
    /// One sample's pixels.
    public func image(_ index: Int) -> [Double] { Array(images[index * dimension..<(index + 1) * dimension]) }

    /// Loads `train` or `test` from a directory holding `{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`.
    public static func load(directory: String, split: String) throws -> Dataset {
        throw TesseraError.badInput("IDX reading is not implemented yet")
    }
}

/// Points for slicing or LC: `.npy` or `.safetensors` (one 2-D tensor), shape [N, D].
public enum PointsFile {
    public static func load(path: String) throws -> [[Double]] {
        throw TesseraError.badInput("points reading is not implemented yet")
    }
}

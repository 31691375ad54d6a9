// The file-format API (safetensors, npy, IDX, models, points): the signatures other modules build
// against. The implementations live in Files/.

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
    /// Reads every tensor and the `__metadata__` string map. Every header field is validated against
    /// the file (lengths, dtypes, shapes, offsets, overlaps) before any data is trusted.
    public static func read(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try SafeTensorsCodec.read(path: path)
    }
    /// Writes tensors in the given order (each in its own dtype) atomically (temporary file, then rename).
    /// Values are rounded to the dtype to nearest, ties to even (exact for F64); a finite value too
    /// large for the dtype is an error rather than a silent infinity.
    public static func write(path: String, tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws {
        try SafeTensorsCodec.write(path: path, tensors: tensors, metadata: metadata)
    }
}

/// Model files: a PyTorch `nn.Sequential` MLP state_dict (`<i>.weight` [out, in], `<i>.bias` [out]).
public enum ModelFile {
    /// Loads a network; `activation` overrides the `__metadata__` one; relu when neither says.
    public static func load(path: String, activation: Activation?) throws -> (network: Network, metadata: [String: String]) {
        try ModelFileCodec.load(path: path, activation: activation)
    }
    /// Saves with keys `0.weight`, `0.bias`, `2.weight`, ... (Linear layers at even Sequential indices,
    /// activations between), and `activation` plus `metadata` in `__metadata__`.
    public static func save(_ network: Network, path: String, dtype: DType, metadata: [String: String]) throws {
        try ModelFileCodec.save(network, path: path, dtype: dtype, metadata: metadata)
    }
}

/// `.npy` arrays as numpy writes them.
public enum NPY {
    /// Reads header versions 1.0/2.0/3.0 with any number of dimensions, C or Fortran order (returned
    /// row-major), either byte order, and any float, integer or boolean dtype (`f2 f4 f8`,
    /// `i1 i2 i4 i8`, `u1 u2 u4 u8`, `b1`). Values are exact: float arrays keep their dtype, integer and
    /// boolean arrays come back as `.f64`, and a 64-bit integer that float64 cannot hold exactly
    /// (beyond 2^53 with low bits set) is an error rather than a rounded value.
    public static func read(path: String) throws -> Tensor {
        try NPYCodec.read(path: path)
    }
    /// Writes float64 (`<f8`, version 1.0 header, C order) atomically.
    public static func write(_ tensor: Tensor, path: String) throws {
        try NPYCodec.write(tensor, path: path)
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
        try loadIDX(directory: directory, split: split)
    }

    /// Loads only the samples `samples` of a split, in that order (sample i of the result is
    /// `samples[i]` of the split); an index out of range is an error.
    public static func load(directory: String, split: String, samples: [Int]) throws -> Dataset {
        try loadIDX(directory: directory, split: split, samples: samples)
    }
}

/// Points for slicing or LC: `.npy` or `.safetensors` (one 2-D tensor), shape [N, D].
public enum PointsFile {
    /// Returns the rows; NaN or infinite coordinates are an error.
    public static func load(path: String) throws -> [[Double]] {
        try PointsFileCodec.load(path: path)
    }
}

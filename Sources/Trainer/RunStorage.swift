import Slicer

/// The data and tensor files a training run reads and writes. `FileStorage` (the default) is Slicer's
/// file API; tests substitute an in-memory store.
public protocol RunStorage {
    func loadDataset(directory: String, split: String) throws -> Dataset
    func saveModel(_ network: Network, path: String, dtype: DType, metadata: [String: String]) throws
    func loadModel(path: String, activation: Activation?) throws -> Network
    func writeTensors(path: String, tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws
    func readTensors(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String])
}

/// IDX datasets, safetensors models and tensors on disk.
public struct FileStorage: RunStorage {
    public init() {}
    public func loadDataset(directory: String, split: String) throws -> Dataset {
        try Dataset.load(directory: directory, split: split)
    }
    public func saveModel(_ network: Network, path: String, dtype: DType, metadata: [String: String]) throws {
        try ModelFile.save(network, path: path, dtype: dtype, metadata: metadata)
    }
    public func loadModel(path: String, activation: Activation?) throws -> Network {
        try ModelFile.load(path: path, activation: activation).network
    }
    public func writeTensors(path: String, tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws {
        try SafeTensors.write(path: path, tensors: tensors, metadata: metadata)
    }
    public func readTensors(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try SafeTensors.read(path: path)
    }
}

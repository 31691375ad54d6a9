import Foundation

// The ONNX model API: read a file into a GraphModel, optionally with a checkpoint's tensors in place
// of the file's initializers.

/// ONNX models as `torch.onnx.export` writes them (TorchScript-based and dynamo exporters).
public enum ONNXModel {
    /// What `inspect` shows besides the model: the reader's notes and the batch dimension's name.
    public struct Details: Sendable {
        public var model: GraphModel
        public var notes: [String]
        public var batchName: String
    }

    /// Reads `path`; `overrides` (a checkpoint's tensors, named as the graph's initializers) replace
    /// the file's initializers: every float initializer must be given with its shape, and no
    /// other name may appear (except BatchNorm's `num_batches_tracked`, which inference ignores).
    public static func load(path: String, initializers overrides: [String: Tensor]? = nil) throws -> GraphModel {
        try details(path: path, initializers: overrides).model
    }

    /// `load` with the reader's notes.
    public static func details(path: String, initializers overrides: [String: Tensor]? = nil) throws -> Details {
        try decode(BinaryFile.readAll(path: path), path: path, initializers: overrides)
    }

    /// Reads a model held in memory; `path` names it in errors, and external data files (the dynamo
    /// exporter's `<model>.onnx.data`) are read from its directory.
    public static func decode(_ bytes: [UInt8], path: String, initializers overrides: [String: Tensor]? = nil) throws -> Details {
        do {
            let proto = try ONNXReader.parse(bytes)
            var replaced: [String: ONNXConstant] = [:]
            if let overrides { replaced = try checkedOverrides(overrides, for: proto.graph) }
            let directory = (path as NSString).deletingLastPathComponent
            let reading = try ONNXReader.read(proto, overrides: replaced, directory: directory.isEmpty ? "." : directory)
            return Details(model: reading.model, notes: reading.notes, batchName: reading.batchName)
        } catch let error as ONNXNodeError {
            throw BinaryFile.bad(path, error.message)
        }
    }

    /// The names a checkpoint for this model must hold: its float initializers and the Identity
    /// copies of them (sorted).
    public static func initializerNames(path: String) throws -> [String] {
        do {
            let proto = try ONNXReader.parse(try BinaryFile.readAll(path: path))
            return try overridable(proto.graph).keys.sorted()
        } catch let error as ONNXNodeError {
            throw BinaryFile.bad(path, error.message)
        }
    }

    /// Float initializers and their aliases, each with its shape (from the declared dims and type, so
    /// external data need not be read).
    private static func overridable(_ graph: Onnx_GraphProto) throws -> [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        let floatTypes: Set<Int32> = [1, 10, 11, 16]  // FLOAT, FLOAT16, DOUBLE, BFLOAT16
        for tensor in graph.initializer where floatTypes.contains(tensor.dataType) {
            guard tensor.dims.allSatisfy({ $0 >= 0 && $0 <= Int64(ONNXLimits.maximumElements) }) else {
                throw ONNXNodeError(message: "initializer '\(tensor.name)' has a dimension out of range")
            }
            shapes[tensor.name] = tensor.dims.map { Int($0) }
        }
        for (alias, source) in ONNXReader.initializerAliases(graph, initializers: Set(graph.initializer.map(\.name))) {
            if let shape = shapes[source] { shapes[alias] = shape }
        }
        return shapes
    }

    private static func checkedOverrides(_ overrides: [String: Tensor], for graph: Onnx_GraphProto) throws -> [String: ONNXConstant] {
        let expected = try overridable(graph)
        let hint = "(export with do_constant_folding=False, or dynamo's optimize=False, so the graph keeps the state_dict's names)"
        var result: [String: ONNXConstant] = [:]
        for name in overrides.keys.sorted() {
            let tensor = overrides[name]!
            guard let shape = expected[name] else {
                if name.hasSuffix("num_batches_tracked") { continue }
                throw ONNXNodeError(message: "checkpoint tensor '\(name)' is not an initializer of the model \(hint)")
            }
            guard tensor.shape == shape else {
                throw ONNXNodeError(message: "checkpoint tensor '\(name)' has shape \(tensor.shape) but the model's initializer has \(shape)")
            }
            guard tensor.values.allSatisfy(\.isFinite) else { throw ONNXNodeError(message: "checkpoint tensor '\(name)' holds NaN or infinite values") }
            result[name] = .floats(shape: shape, values: tensor.values)
        }
        if let missing = expected.keys.sorted().first(where: { overrides[$0] == nil }) {
            let count = expected.keys.filter { overrides[$0] == nil }.count
            throw ONNXNodeError(message: "the checkpoint has no tensor '\(missing)'\(count > 1 ? " (and \(count - 1) more initializers)" : "") \(hint)")
        }
        return result
    }
}

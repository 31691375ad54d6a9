import Foundation
import Slicer

/// A run's checkpoints as graph models, one code path for both kinds of run:
/// - an MLP run (tessera's trainer): each checkpoint is an MLP state_dict, its activation in run.json;
/// - a graph run (a CNN or ResNet from a PyTorch loop): `model.onnx` at the top holds the architecture
///   and each checkpoint the tensors named as its initializers.
/// Also what the pictures and sample sets need from run.json: the data directory and training samples.
public struct RunModels: Sendable {
    public let directory: RunDirectory
    /// Every checkpoint, sorted by step.
    public let checkpoints: [(step: Int, path: String)]
    /// The graph run's `model.onnx`; nil for an MLP run.
    public let architecture: String?
    /// The MLP activation (an override, else run.json's); nil for a graph run (the graph names its own).
    public let activation: Activation?
    /// tessera's own run.json, when the run has one.
    public let info: RunInfo?
    /// The IDX dataset the run trained on, when run.json says.
    public let dataDirectory: String?
    /// The training samples the model saw (indices into the train split), when run.json says.
    public let trainIndices: [Int]?
    /// run.json's architecture description (a graph run's, e.g. "cnn:depth=5,width=32"), when present.
    public let architectureName: String?

    /// Reads the run's layout and run.json; a graph run's run.json may be any JSON with
    /// `data.directory` and `data.train_indices` (or `data.train_size` with `data.train_subset` "first").
    public init(runPath: String, activation override: Activation? = nil) throws {
        directory = RunDirectory(path: runPath)
        checkpoints = try directory.checkpoints()
        guard !checkpoints.isEmpty else { throw TesseraError.badInput("\(runPath) has no checkpoints") }
        architecture = ModelLoader.runArchitecture(runDirectory: runPath)
        if architecture == nil {
            let info = try directory.readRunInfo()
            self.info = info
            activation = try override ?? info.config.parsedActivation()
            dataDirectory = info.data.directory
            trainIndices = info.data.trainIndices
            architectureName = nil
        } else {
            info = try? directory.readRunInfo()
            activation = nil
            let loose = RunModels.looseRunJSON(directory.runInfoPath)
            let data = loose["data"] as? [String: Any] ?? [:]
            dataDirectory = info?.data.directory ?? data["directory"] as? String
            if let indices = info?.data.trainIndices ?? (data["train_indices"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }) {
                trainIndices = indices
            } else if let size = (data["train_size"] as? NSNumber)?.intValue, size > 0,
                      (data["train_subset"] as? String ?? "first") == "first" {
                trainIndices = Array(0..<size)
            } else {
                trainIndices = nil
            }
            architectureName = loose["architecture"] as? String
        }
    }

    /// True for a run of a graph model (model.onnx at the top).
    public var isGraphRun: Bool { architecture != nil }

    /// The checkpoint at `path` as a graph model.
    public func model(path: String) throws -> GraphModel {
        try ModelLoader.load(checkpoint: path, architecture: architecture, activation: activation)
    }

    /// Checkpoint `index` (into `checkpoints`) as a graph model.
    public func model(at index: Int) throws -> GraphModel { try model(path: checkpoints[index].path) }

    /// The data directory: `override`, else the run's; an error when neither is known.
    public func dataDirectory(_ override: String?) throws -> String {
        guard let directory = override ?? dataDirectory else {
            throw TesseraError.badInput("\(directory.path)/run.json names no data directory: give --data DIR")
        }
        return directory
    }

    /// The sample sets `splits` for LC: `train` is the run's own training samples when known.
    public func sampleSets(splits: [String], limit: Int, dataDirectory override: String?, dimension: Int,
                           seed: UInt64) throws -> [LCSampleSet] {
        try LCSampleSet.make(splits: splits, limit: limit, dataDirectory: override ?? dataDirectory,
                             trainIndices: trainIndices, dimension: dimension, seed: seed)
    }

    /// A short description for titles: the MLP's widths, or the graph run's architecture.
    public func describe(_ model: GraphModel) -> String {
        if let network = model.chainNetwork {
            let widths = [network.inputDimension] + network.hiddenWidths + [network.outputDimension]
            return widths.map(String.init).joined(separator: "-") + " MLP"
        }
        let layers = LCLayer.layers(of: model, includeOutput: false, maxPoolWindows: false).count
        return (architectureName.map(RunModels.shortName) ?? "graph network") + " with \(layers) activation layers"
    }

    /// A title-sized name of an architecture spec such as "cnn:depth=5,width=32,batchnorm=1,…":
    /// its kind, depth and width, and batch norm when on ("CNN (depth 5, width 32, batch norm)").
    static func shortName(_ spec: String) -> String {
        let parts = spec.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return spec }
        var fields: [String: String] = [:]
        for pair in parts[1].split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        var words = ["depth", "width", "k"].compactMap { key in fields[key].map { "\(key) \($0)" } }
        if let bn = fields["batchnorm"], bn != "0", bn != "false" { words.append("batch norm") }
        let kind = ["cnn": "CNN", "resnet": "ResNet", "lenet": "LeNet", "mlp": "MLP"][String(parts[0])] ?? String(parts[0])
        return kind + (words.isEmpty ? "" : " (" + words.joined(separator: ", ") + ")")
    }

    static func looseRunJSON(_ path: String) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }
}

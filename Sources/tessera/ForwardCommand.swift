import ArgumentParser
import Slicer

struct ForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Run a model on points: the logits, or any node's values, as a .npy array.",
        discussion: "Points are rows [N, D], each an input flattened in C order (D = C·H·W for images). The pass computes in --precision (points and parameters rounded to it); the output is float64 with shape [N, ...] (the node's shape per point).")

    @Option(help: "The model: .onnx, or an MLP .safetensors.") var model: String
    @Option(help: "Activation of an MLP .safetensors without tessera metadata (relu, leaky_relu[:alpha], abs, gelu, ...).") var activation: String?
    @Option(help: "Points [N, D] (.npy or .safetensors).") var points: String
    @Option(help: "Output .npy file.") var out: String
    @Option(help: "A node (name, or 1-based position in topological order) whose values to write instead of the logits.") var node: String?
    @Option(help: "Number type of the pass: float32 (PyTorch's) or float64 (reproduces earlier numbers bit for bit).") var precision = "float32"
    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try OutputFile.checkWritable(out)
        let graph = try ModelLoader.load(path: model, activation: activation.map(Activation.init(parsing:)))
        var forward = try AnyGraphForward(model: graph, precision: Precision(parsing: precision))
        forward.parallelism = try threading.parallelism()
        let value = try node.map(forward.value(named:)) ?? graph.outputValue
        let rows = try PointsFile.load(path: points)
        let dimension = graph.inputDimension
        for (index, row) in rows.enumerated() where row.count != dimension {
            throw TesseraError.badInput("\(points): point \(index) has dimension \(row.count), the model takes \(dimension) (input \(graph.inputShape))")
        }
        let values = try forward.run(rows.flatMap { $0 }, count: rows.count, value: value)
        try NPY.write(Tensor(shape: [rows.count] + graph.shape(ofValue: value), dtype: .f64, values: values), path: out)
    }
}

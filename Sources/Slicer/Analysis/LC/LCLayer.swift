import Models

/// One counted "layer" of the LC estimator on a graph model: an activation node (its units are the
/// node's input values), a max-pool node (its units are its windows, when window counts are asked
/// for), or the output node (its values, with `includeOutput`).
public struct LCLayer: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// An activation: units whose input's sign class (−1, 0, +1) differs among the vertices.
        case activation
        /// A max-pool: windows whose winner differs among the vertices.
        case maxPool = "maxpool"
        /// The output: values whose sign class differs among the vertices.
        case output
    }

    /// 1-based position among the counted layers (topological order).
    public var index: Int
    /// The node's name in the model.
    public var name: String
    public var kind: Kind
    /// The operator as the model file names it (`Relu`, `MaxPool`, `Gemm`, ...).
    public var opType: String
    /// Units (or windows) counted per sample.
    public var units: Int
    /// The value whose entries are counted (an activation's or max-pool's input; the output).
    public var value: Int
    /// The node (index into `model.nodes`) the layer belongs to.
    public var node: Int

    /// The counted layers of `model`: activations (and max-pools when `maxPoolWindows`) in topological
    /// order, then the output when `includeOutput`.
    public static func layers(of model: GraphModel, includeOutput: Bool, maxPoolWindows: Bool) -> [LCLayer] {
        var layers: [LCLayer] = []
        for (n, node) in model.nodes.enumerated() {
            switch node.op {
            case .activation:
                layers.append(LCLayer(index: layers.count + 1, name: node.name, kind: .activation, opType: node.opType,
                                      units: model.shape(ofValue: node.inputs[0]).reduce(1, *), value: node.inputs[0], node: n))
            case .maxPool where maxPoolWindows:
                layers.append(LCLayer(index: layers.count + 1, name: node.name, kind: .maxPool, opType: node.opType,
                                      units: node.shape.reduce(1, *), value: node.inputs[0], node: n))
            default:
                break
            }
        }
        if includeOutput {
            let output = model.outputValue
            let name = output == 0 ? model.inputName : model.nodes[output - 1].name
            let opType = output == 0 ? "Input" : model.nodes[output - 1].opType
            layers.append(LCLayer(index: layers.count + 1, name: name, kind: .output, opType: opType,
                                  units: model.outputDimension, value: output, node: output - 1))
        }
        return layers
    }
}

// The graph model under construction while the converters run, with the helpers they share.

/// The model being built: nodes in topological order, the input's per-sample shape, notes for
/// `inspect`, and how often the file reads each name (to know when a bias may be folded).
struct ONNXGraphBuilder {
    var inputShape: [Int]
    /// The batch size when the file fixes it (nil when symbolic).
    var fixedBatch: Int?
    var nodes: [GraphNode] = []
    var hasBatchNormScale = false
    private(set) var notes: [String] = []
    /// How many node inputs and graph outputs read each name.
    let uses: [String: Int]
    /// The file's name of each computed value (index = value), for bias folding and messages.
    var valueNames: [String]

    init(inputName: String, inputShape: [Int], fixedBatch: Int?, uses: [String: Int]) {
        self.inputShape = inputShape; self.fixedBatch = fixedBatch; self.uses = uses
        valueNames = [inputName]
    }

    /// The per-sample shape of computed value `value`.
    func shape(of value: Int) -> [Int] { value == 0 ? inputShape : nodes[value - 1].shape }

    /// Appends a node and returns its value.
    mutating func append(_ node: ONNXNodeContext, _ op: GraphOp, inputs: [Int], shape: [Int], opType: String? = nil) throws -> ONNXValue {
        try checkSize(shape)
        nodes.append(GraphNode(name: node.name, opType: opType ?? node.opType, op: op, inputs: inputs, shape: shape))
        valueNames.append(node.outputNames.first ?? node.name)
        return .computed(nodes.count)
    }

    /// Records a note once (shown by `inspect`).
    mutating func note(_ text: String) {
        if !notes.contains(text) { notes.append(text) }
    }

    /// Refuses per-sample shapes with more than 2^31 elements or empty dimensions.
    func checkSize(_ shape: [Int]) throws {
        guard shape.count <= ONNXLimits.maximumRank else { throw ONNXNodeError(message: "output has rank \(shape.count + 1)") }
        var count = 1
        for dimension in shape {
            guard dimension > 0 else { throw ONNXNodeError(message: "output shape \(shape) has an empty dimension") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= ONNXLimits.maximumElements else {
                throw ONNXNodeError(message: "output shape \(shape) has more than 2^31 elements per sample")
            }
            count = product
        }
    }

    /// True when the value's only reader is one node (so that node may rewrite it in place).
    func isReadOnce(_ value: Int) -> Bool {
        value > 0 && uses[valueNames[value], default: 0] == 1
    }
}

/// One node as the converters see it: name, operator, attributes and resolved inputs.
struct ONNXNodeContext {
    /// The node's name, or its first output's name when it has none.
    let name: String
    let opType: String
    let attributes: ONNXAttributes
    /// One per declared input; nil for an omitted optional input (an empty name).
    let inputs: [ONNXValue?]
    let inputNames: [String]
    let outputNames: [String]

    func fail(_ message: String) -> ONNXNodeError { ONNXNodeError(message: message) }

    static let partialGELU = "reads part of an erf-based GELU; only the whole x·½·(1 + erf(x/√2)) is supported"

    /// The single value of a float constant input, or nil.
    func scalar(_ index: Int) -> Double? {
        guard index < inputs.count, case .constant(.floats(_, let values))? = inputs[index], values.count == 1 else { return nil }
        return values[0]
    }

    /// Input `index`, required.
    func input(_ index: Int) throws -> ONNXValue {
        guard index < inputs.count, let value = inputs[index] else { throw fail("needs input \(index + 1)") }
        return value
    }

    /// True when input `index` is given.
    func hasInput(_ index: Int) -> Bool { index < inputs.count && inputs[index] != nil }

    /// Input `index` as a computed value.
    func computed(_ index: Int) throws -> Int {
        switch try input(index) {
        case .computed(let value): return value
        case .constant: throw fail("input '\(inputNames[index])' is a constant where tessera expects the network's data")
        case .geluPart: throw fail(ONNXNodeContext.partialGELU)
        }
    }

    /// Input `index` as a floating-point constant.
    func floats(_ index: Int) throws -> (shape: [Int], values: [Double]) {
        switch try input(index) {
        case .constant(.floats(let shape, let values)): return (shape, values)
        case .constant(.ints): throw fail("input '\(inputNames[index])' holds integers where weights are expected")
        case .computed: throw fail("input '\(inputNames[index])' must be a constant (an initializer), not computed from the network's input")
        case .geluPart: throw fail(ONNXNodeContext.partialGELU)
        }
    }

    /// Input `index` as integer constants whose every element is known (no batch size).
    func knownInts(_ index: Int) throws -> [Int] {
        guard case .constant(.ints(_, let values)) = try input(index) else {
            throw fail("input '\(inputNames[index])' must be a constant integer tensor")
        }
        return try values.map {
            guard case .known(let value) = $0 else { throw fail("depends on the batch size (a dynamic shape tessera cannot fix)") }
            return value
        }
    }

    /// True when output `index` exists and the graph reads it.
    func outputIsRead(_ index: Int, in graph: ONNXGraphBuilder) -> Bool {
        index < outputNames.count && !outputNames[index].isEmpty && graph.uses[outputNames[index], default: 0] > 0
    }

    /// Refuses attributes the converter does not handle (so nothing is silently ignored).
    func allowAttributes(_ allowed: Set<String>) throws {
        if let unknown = attributes.names.subtracting(allowed).sorted().first {
            throw fail("attribute '\(unknown)' is not supported")
        }
    }
}

/// One operator's converter (onnx2torch style: each operator reads its own attributes and inputs).
protocol ONNXOperatorConverter {
    /// The ONNX operator types this converter handles.
    static var opTypes: [String] { get }
    /// The node's output values, one per declared output (fewer when the rest are not read).
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue]
}

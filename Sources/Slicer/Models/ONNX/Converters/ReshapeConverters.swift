// Flatten, Reshape, Identity, Dropout, Squeeze, Unsqueeze: relabellings of the data (a `.reshape`
// node) or of constants.

/// Flatten(axis = 1): [N, d1, ..., dk] -> [N, d1·...·dk] (any other axis would merge the batch
/// dimension with a sample's, as ONNX's Flatten always returns a matrix).
struct FlattenConverter: ONNXOperatorConverter {
    static let opTypes = ["Flatten"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["axis"])
        let x = try node.computed(0)
        let shape = graph.shape(of: x)
        let rank = shape.count + 1
        let axis = try node.attributes.int("axis", default: 1, in: -rank...rank)
        guard axis == 1 || axis == 1 - rank else {
            throw node.fail("axis \(axis) would merge the batch dimension with a sample's; only axis 1 is supported")
        }
        return [try graph.append(node, .reshape, inputs: [x], shape: [shape.reduce(1, *)])]
    }
}

/// Reshape to a constant shape (entries may be −1, 0 = copy, or the batch size computed by Shape).
struct ReshapeConverter: ONNXOperatorConverter {
    static let opTypes = ["Reshape"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["allowzero"])
        let allowZero = try node.attributes.int("allowzero", default: 0, in: 0...1) == 1
        guard case .constant(.ints(_, let target)) = try node.input(1) else {
            throw node.fail("shape input '\(node.inputNames[1])' is computed from the data (a dynamic shape tessera cannot fix)")
        }
        switch try node.input(0) {
        case .constant(let constant):
            let known = try target.map { entry -> Int in
                guard case .known(let value) = entry else { throw node.fail("reshapes a constant by the batch size (a dynamic shape tessera cannot fix)") }
                return value
            }
            return [.constant(constant.reshaped(try ShapeResolution.resolve(known, input: constant.shape, allowZero: allowZero, node)))]
        case .computed(let x):
            let shape = graph.shape(of: x)
            guard let first = target.first else { throw node.fail("reshapes the data to a scalar") }
            // The first entry must keep the batch: the batch size itself, 0 (copy), −1 (inferred) or the fixed batch.
            switch first {
            case .batch: break
            case .known(0) where !allowZero: break
            case .known(-1): break
            case .known(let size) where size == graph.fixedBatch: break
            case .known(let size):
                throw node.fail("reshapes the batch dimension to \(size); export with a dynamic batch (x.view(x.size(0), -1)) or flatten per sample")
            }
            let rest = try target.dropFirst().map { entry -> Int in
                guard case .known(let value) = entry else { throw node.fail("uses the batch size inside a sample's shape (a dynamic shape tessera cannot fix)") }
                return value
            }
            if first == .known(-1) && rest.contains(-1) { throw node.fail("shape \(target) has two -1 entries") }
            let output = try ShapeResolution.resolve(rest, input: shape, allowZero: allowZero, node)
            guard output.reduce(1, *) == shape.reduce(1, *) else {
                throw node.fail("shape \(target) does not hold the \(shape.reduce(1, *)) values of a sample of shape \(shape)")
            }
            return [try graph.append(node, .reshape, inputs: [x], shape: output)]
        case .geluPart:
            throw node.fail(ONNXNodeContext.partialGELU)
        }
    }
}

/// Identity and Dropout (inference): the value unchanged.
struct IdentityConverter: ONNXOperatorConverter {
    static let opTypes = ["Identity", "Dropout"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(node.opType == "Dropout" ? ["ratio", "seed", "is_test"] : [])
        if node.opType == "Dropout" {
            if node.outputIsRead(1, in: graph) { throw node.fail("its mask output is read; only inference is supported") }
            if node.hasInput(2), case .constant(.ints(_, let flags)) = try node.input(2), flags.contains(where: { $0 != .known(0) }) {
                throw node.fail("training_mode is true; export the model in eval mode (model.eval())")
            }
        }
        switch try node.input(0) {
        case .constant(let constant): return [.constant(constant)]
        case .computed(let x): return [try graph.append(node, .reshape, inputs: [x], shape: graph.shape(of: x))]
        case .geluPart: throw node.fail(ONNXNodeContext.partialGELU)
        }
    }
}

/// Squeeze and Unsqueeze (axes as input from opset 13, as attribute before).
struct SqueezeConverter: ONNXOperatorConverter {
    static let opTypes = ["Squeeze", "Unsqueeze"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["axes"])
        var axes = try node.attributes.ints("axes", in: -64...64)
        if node.hasInput(1) { axes = try node.knownInts(1) }
        let value = try node.input(0)
        let fullShape: [Int]
        switch value {
        case .constant(let constant): fullShape = constant.shape
        case .computed(let x): fullShape = [1] + graph.shape(of: x)  // the batch stands in as 1 below
        case .geluPart: throw node.fail(ONNXNodeContext.partialGELU)
        }
        let squeeze = node.opType == "Squeeze"
        if squeeze && axes == nil {
            // Every size-1 axis, but never the batch.
            var first = 0
            if case .computed = value { first = 1 }
            axes = fullShape.indices.filter { $0 >= first && fullShape[$0] == 1 }
        }
        guard let given = axes else { throw node.fail("has no axes") }
        let rank = squeeze ? fullShape.count : fullShape.count + given.count
        let normalised = try given.map { axis -> Int in
            guard (-rank..<rank).contains(axis) else { throw node.fail("axis \(axis) is out of range for rank \(rank)") }
            return axis < 0 ? axis + rank : axis
        }
        guard Set(normalised).count == normalised.count else { throw node.fail("axes \(given) repeat") }
        var output: [Int]
        if squeeze {
            for axis in normalised where fullShape[axis] != 1 { throw node.fail("squeezes axis \(axis) of size \(fullShape[axis])") }
            output = fullShape.indices.filter { !normalised.contains($0) }.map { fullShape[$0] }
        } else {
            output = []
            var source = fullShape.makeIterator()
            for axis in 0..<rank { output.append(normalised.contains(axis) ? 1 : source.next()!) }
        }
        switch value {
        case .constant(let constant):
            return [.constant(constant.reshaped(output))]
        case .computed(let x):
            guard !normalised.contains(0) else { throw node.fail("\(node.opType.lowercased())s the batch dimension") }
            return [try graph.append(node, .reshape, inputs: [x], shape: Array(output.dropFirst()))]
        case .geluPart:
            throw node.fail(ONNXNodeContext.partialGELU)
        }
    }
}

/// Reshape targets with ONNX's 0 (copy) and −1 (infer) entries resolved.
enum ShapeResolution {
    /// `target` resolved against an input of shape `input` (0 copies the input's size at that position).
    static func resolve(_ target: [Int], input: [Int], allowZero: Bool, _ node: ONNXNodeContext) throws -> [Int] {
        let total = input.reduce(1, *)
        var output: [Int] = []
        var inferred: Int?
        for (position, entry) in target.enumerated() {
            switch entry {
            case -1:
                guard inferred == nil else { throw node.fail("shape \(target) has two -1 entries") }
                inferred = position
                output.append(1)
            case 0 where !allowZero:
                // The rest of a data reshape lines up with the per-sample shape, a constant's with its shape.
                let source = position
                guard source < input.count else { throw node.fail("shape entry 0 at position \(position) has no input dimension to copy") }
                output.append(input[source])
            case 1...Int(ONNXLimits.maximumElements):
                output.append(entry)
            default:
                throw node.fail("shape entry \(entry) is not a positive size")
            }
        }
        var known = 1
        for size in output {
            let (product, overflow) = known.multipliedReportingOverflow(by: size)
            guard !overflow, product <= ONNXLimits.maximumElements else { throw node.fail("shape \(target) has more than 2^31 elements") }
            known = product
        }
        if let inferred {
            guard known > 0, total % known == 0 else { throw node.fail("shape \(target) does not divide the \(total) values") }
            output[inferred] = total / known
        } else if known != total {
            throw node.fail("shape \(target) holds \(known) values, not \(total)")
        }
        return output
    }
}

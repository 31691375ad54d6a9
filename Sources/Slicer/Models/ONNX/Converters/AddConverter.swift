// Add -> a residual sum, a constant added (or folded into the bias before it), or a folded constant.

/// Add: two computed values of one shape -> `.add`; a computed value and a constant -> the
/// constant folded into the preceding dense/conv bias when it is a plain bias of a layer whose
/// bias is zero and whose output nothing else reads, else `.addConstant`; two constants -> a constant.
struct AddConverter: ONNXOperatorConverter {
    static let opTypes = ["Add"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        if let part = GELUPattern.added(node) { return [.geluPart(part)] }
        switch (try node.input(0), try node.input(1)) {
        case (.geluPart, _), (_, .geluPart):
            throw node.fail(ONNXNodeContext.partialGELU)
        case (.computed(let a), .computed(let b)):
            guard graph.shape(of: a) == graph.shape(of: b) else {
                throw node.fail("adds per-sample shapes \(graph.shape(of: a)) and \(graph.shape(of: b)); only equal shapes are supported")
            }
            return [try graph.append(node, .add, inputs: [a, b], shape: graph.shape(of: a))]
        case (.computed(let value), .constant(let constant)), (.constant(let constant), .computed(let value)):
            return [try addConstant(constant, to: value, node, &graph)]
        case (.constant(let a), .constant(let b)):
            return [.constant(try ConstantArithmetic.elementwise(a, b, node, float: +, integer: { $0.addingReportingOverflow($1) }))]
        }
    }

    static func addConstant(_ constant: ONNXConstant, to value: Int, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        guard case .floats(let cShape, let cValues) = constant else { throw node.fail("adds an integer constant to the network's data") }
        let shape = graph.shape(of: value)
        if graph.isReadOnce(value), let folded = foldedIntoBias(cShape, cValues, layer: graph.nodes[value - 1].op, shape: shape) {
            graph.nodes[value - 1].op = folded
            graph.note("Add of a bias folded into node '\(graph.nodes[value - 1].name)'")
            return .computed(value)
        }
        guard let broadcast = Broadcast.toPerSample(cValues, shape: cShape, target: shape) else {
            throw node.fail("constant of shape \(cShape) does not broadcast to [N] + \(shape) without changing it")
        }
        return try graph.append(node, .addConstant(broadcast), inputs: [value], shape: shape)
    }

    /// The layer with `values` as its bias, when it is a dense or conv layer with a zero bias and
    /// the constant is one value per output ([M] / [1, M], or [C, 1, 1] / [1, C, 1, 1]).
    static func foldedIntoBias(_ cShape: [Int], _ values: [Double], layer: GraphOp, shape: [Int]) -> GraphOp? {
        let plain = cShape.drop { $0 == 1 }.count <= 1 && cShape.count <= shape.count + 1
        switch layer {
        case .dense(var dense) where plain && values.count == dense.outputs && cShape.last == dense.outputs && dense.bias.allSatisfy({ $0 == 0 }):
            dense.bias = values
            return .dense(dense)
        case .conv(var conv) where values.count == conv.outChannels && dense3(cShape, conv.outChannels) && conv.bias.allSatisfy({ $0 == 0 }):
            conv.bias = values
            return .conv(conv)
        default:
            return nil
        }
    }

    /// [C, 1, 1] or [1, C, 1, 1].
    private static func dense3(_ shape: [Int], _ channels: Int) -> Bool {
        shape == [channels, 1, 1] || shape == [1, channels, 1, 1]
    }
}

/// Numpy broadcasting of constants against a per-sample shape.
enum Broadcast {
    /// `values` of `shape` broadcast to the full shape [N] + `target` and returned per sample, or nil
    /// when the constant does not broadcast or would change the batch or a dimension.
    static func toPerSample(_ values: [Double], shape: [Int], target: [Int]) -> [Double]? {
        guard shape.count <= target.count + 1 else { return nil }
        var perSample = shape
        if shape.count == target.count + 1 {
            guard shape[0] == 1 else { return nil }
            perSample.removeFirst()
        }
        let aligned = [Int](repeating: 1, count: target.count - perSample.count) + perSample
        for (dimension, size) in zip(aligned, target) where dimension != 1 && dimension != size { return nil }
        let count = target.reduce(1, *)
        guard count <= ONNXLimits.maximumMaterialised else { return nil }
        if values.count == count { return values }
        // Strides of the source for each target axis (0 where it broadcasts).
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for axis in (0..<target.count).reversed() {
            strides[axis] = aligned[axis] == 1 ? 0 : step
            step *= aligned[axis]
        }
        var result = [Double](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: target.count)
        for flat in 0..<count {
            var source = 0
            for axis in 0..<target.count { source += index[axis] * strides[axis] }
            result[flat] = values[source]
            var axis = target.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < target[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

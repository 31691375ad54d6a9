// AveragePool, MaxPool, GlobalAveragePool, GlobalMaxPool.

/// The per-sample [C, H, W] input of a pooling node.
private func imageInput(_ node: ONNXNodeContext, _ graph: ONNXGraphBuilder) throws -> (value: Int, shape: [Int]) {
    let x = try node.computed(0)
    let shape = graph.shape(of: x)
    guard shape.count == 3 else { throw node.fail("input has per-sample shape \(shape); only 2-D pooling on [N, C, H, W] is supported") }
    return (x, shape)
}

/// The window of a 2-D pooling node from `kernel_shape` and the shared attributes.
private func poolWindow(_ node: ONNXNodeContext, _ shape: [Int]) throws -> (SpatialWindow, ceilMode: Bool) {
    guard let kernel = try node.attributes.ints("kernel_shape", in: 1...SpatialWindow.maximumExtent) else {
        throw node.fail("has no kernel_shape")
    }
    let ceilMode = try node.attributes.int("ceil_mode", default: 0, in: 0...1) == 1
    let window = try SpatialWindow(node, kernel: kernel, height: shape[1], width: shape[2], ceilMode: ceilMode)
    guard window.everyWindowSeesInput(height: shape[1], width: shape[2]) else {
        throw node.fail("a pooling window lies entirely in the padding")
    }
    return (window, ceilMode)
}

/// AveragePool: the divisor counts the padding when count_include_pad = 1.
struct AveragePoolConverter: ONNXOperatorConverter {
    static let opTypes = ["AveragePool"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"])
        let (x, shape) = try imageInput(node, graph)
        let (window, ceilMode) = try poolWindow(node, shape)
        let includePad = try node.attributes.int("count_include_pad", default: 0, in: 0...1) == 1
        var pool = window.pool
        pool.ceilMode = ceilMode
        return [try graph.append(node, .averagePool(pool, countIncludePad: includePad), inputs: [x],
                                 shape: [shape[0], window.outputHeight, window.outputWidth])]
    }
}

/// MaxPool: the Indices output is not supported when the graph reads it.
struct MaxPoolConverter: ONNXOperatorConverter {
    static let opTypes = ["MaxPool"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"])
        if node.outputIsRead(1, in: graph) { throw node.fail("its Indices output is read; only the pooled values are supported") }
        let (x, shape) = try imageInput(node, graph)
        let (window, ceilMode) = try poolWindow(node, shape)
        var pool = window.pool
        pool.ceilMode = ceilMode
        return [try graph.append(node, .maxPool(pool), inputs: [x], shape: [shape[0], window.outputHeight, window.outputWidth])]
    }
}

/// GlobalAveragePool: the mean of each channel -> [C, 1, 1].
struct GlobalAveragePoolConverter: ONNXOperatorConverter {
    static let opTypes = ["GlobalAveragePool"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        let (x, shape) = try imageInput(node, graph)
        return [try graph.append(node, .globalAveragePool, inputs: [x], shape: [shape[0], 1, 1])]
    }
}

/// GlobalMaxPool: a max pool whose one window is the whole image -> [C, 1, 1].
struct GlobalMaxPoolConverter: ONNXOperatorConverter {
    static let opTypes = ["GlobalMaxPool"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        let (x, shape) = try imageInput(node, graph)
        let pool = Pool2D(kernelH: shape[1], kernelW: shape[2], strideH: 1, strideW: 1)
        return [try graph.append(node, .maxPool(pool), inputs: [x], shape: [shape[0], 1, 1])]
    }
}

/// ReduceMean over the two spatial axes of [N, C, H, W] (the dynamo exporter's form of
/// AdaptiveAvgPool2d(1)): a global average pool, [C, 1, 1] with keepdims, else [C].
struct ReduceMeanConverter: ONNXOperatorConverter {
    static let opTypes = ["ReduceMean"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["axes", "keepdims", "noop_with_empty_axes"])
        let (x, shape) = try imageInput(node, graph)
        var axes = try node.attributes.ints("axes", in: -4...3) ?? []
        if node.hasInput(1) { axes = try node.knownInts(1) }
        guard Set(axes.map { $0 < 0 ? $0 + 4 : $0 }) == [2, 3], axes.count == 2 else {
            throw node.fail("averages over axes \(axes); only the two spatial axes of [N, C, H, W] are supported")
        }
        let keepDimensions = try node.attributes.int("keepdims", default: 1, in: 0...1) == 1
        let pooled = try graph.append(node, .globalAveragePool, inputs: [x], shape: [shape[0], 1, 1])
        guard !keepDimensions, case .computed(let value) = pooled else { return [pooled] }
        return [try graph.append(node, .reshape, inputs: [value], shape: [shape[0]])]
    }
}

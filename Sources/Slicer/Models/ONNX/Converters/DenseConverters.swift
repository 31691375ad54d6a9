// Gemm and MatMul with constant weights -> dense layers.

/// Gemm: Y = alpha·A'·B' + beta·C with A the data [N, K] (transA = 0), B constant, C optional constant.
struct GemmConverter: ONNXOperatorConverter {
    static let opTypes = ["Gemm"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["alpha", "beta", "transA", "transB"])
        let alpha = try node.attributes.float("alpha", default: 1)
        let beta = try node.attributes.float("beta", default: 1)
        let transA = try node.attributes.int("transA", default: 0, in: 0...1)
        let transB = try node.attributes.int("transB", default: 0, in: 0...1)
        guard transA == 0 else { throw node.fail("transA = 1 would transpose the batch dimension; not supported") }
        let x = try node.computed(0)
        let inputShape = graph.shape(of: x)
        guard inputShape.count == 1 else { throw node.fail("input A has per-sample shape \(inputShape); Gemm needs [N, K]") }
        let (bShape, bValues) = try node.floats(1)
        guard bShape.count == 2 else { throw node.fail("input B has shape \(bShape); expected 2-D") }
        let inputs = transB == 1 ? bShape[1] : bShape[0], outputs = transB == 1 ? bShape[0] : bShape[1]
        guard inputs == inputShape[0] else { throw node.fail("input B has shape \(bShape) but A has \(inputShape[0]) columns") }
        // Dense weights are [outputs, inputs]: B itself when transB, else its transpose.
        var weights = transB == 1 ? bValues : transposed(bValues, rows: bShape[0], columns: bShape[1])
        if alpha != 1 { weights = try scaled(weights, by: alpha, what: "alpha", node, &graph) }
        var bias = [Double](repeating: 0, count: outputs)
        if node.hasInput(2) {
            let (cShape, cValues) = try node.floats(2)
            guard let broadcast = broadcastRow(cValues, shape: cShape, width: outputs) else {
                throw node.fail("input C has shape \(cShape); expected a bias broadcastable to [N, \(outputs)]")
            }
            bias = beta == 1 ? broadcast : try scaled(broadcast, by: beta, what: "beta", node, &graph)
        }
        let layer = DenseLayer(inputs: inputs, outputs: outputs, weights: weights, bias: bias)
        return [try graph.append(node, .dense(layer), inputs: [x], shape: [outputs])]
    }

    /// C broadcast to one row of `width` values: shapes [], [1], [width], [1, 1], [1, width].
    static func broadcastRow(_ values: [Double], shape: [Int], width: Int) -> [Double]? {
        guard shape.count <= 2, shape.count < 2 || shape[0] == 1 else { return nil }
        if values.count == width { return values }
        if values.count == 1 { return [Double](repeating: values[0], count: width) }
        return nil
    }

    /// Multiplies by a Gemm scale factor in float64; the note says when a product was rounded.
    static func scaled(_ values: [Double], by factor: Double, what: String, _ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [Double] {
        var rounded = false
        let products = values.map { value -> Double in
            let product = value * factor
            // The product is exact when the fused residual value·factor − product is zero.
            if product.isFinite && (-product).addingProduct(value, factor) != 0 { rounded = true }
            return product
        }
        guard products.allSatisfy(\.isFinite) else { throw node.fail("\(what) times the weights overflows") }
        if rounded { graph.note("Gemm \(what) products rounded to float64 (node '\(node.name)')") }
        return products
    }
}

/// MatMul of the data [N, K] by a constant [K, M] -> a dense layer without bias (a following Add
/// of a constant [M] becomes its bias).
struct MatMulConverter: ONNXOperatorConverter {
    static let opTypes = ["MatMul"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        let x = try node.computed(0)
        let inputShape = graph.shape(of: x)
        guard inputShape.count == 1 else { throw node.fail("input has per-sample shape \(inputShape); MatMul is supported on [N, K] only") }
        let (bShape, bValues) = try node.floats(1)
        guard bShape.count == 2, bShape[0] == inputShape[0] else {
            throw node.fail("weight has shape \(bShape); expected [\(inputShape[0]), M]")
        }
        let layer = DenseLayer(inputs: bShape[0], outputs: bShape[1],
                               weights: transposed(bValues, rows: bShape[0], columns: bShape[1]),
                               bias: [Double](repeating: 0, count: bShape[1]))
        return [try graph.append(node, .dense(layer), inputs: [x], shape: [bShape[1]])]
    }
}

/// The transpose of a row-major [rows, columns] matrix.
func transposed(_ values: [Double], rows: Int, columns: Int) -> [Double] {
    var result = [Double](repeating: 0, count: values.count)
    for row in 0..<rows {
        for column in 0..<columns { result[column * rows + row] = values[row * columns + column] }
    }
    return result
}

// Constant, Shape, Gather, Concat, Cast, Slice, Transpose, Sub, Div: the constant and integer-shape
// computations exporters write around the network (folded while reading).

/// Constant: `value` (a tensor) or one of the `value_float(s)` / `value_int(s)` forms.
struct ConstantConverter: ONNXOperatorConverter {
    static let opTypes = ["Constant"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["value", "value_float", "value_floats", "value_int", "value_ints"])
        guard node.attributes.names.count == 1 else { throw node.fail("needs exactly one value attribute") }
        if let tensor = try node.attributes.tensor("value") {
            return [.constant(try ONNXTensorDecoding.decode(tensor, what: "value"))]
        }
        if node.attributes.has("value_float") {
            return [.constant(.floats(shape: [], values: [try node.attributes.float("value_float", default: 0)]))]
        }
        if let attribute = node.attributes.raw("value_floats") {
            guard attribute.floats.allSatisfy(\.isFinite) else { throw node.fail("value_floats is not finite") }
            return [.constant(.floats(shape: [attribute.floats.count], values: attribute.floats.map(Double.init)))]
        }
        if node.attributes.has("value_int") {
            return [.constant(.ints(shape: [], values: [.known(try node.attributes.int("value_int", default: 0, in: Int.min...Int.max))]))]
        }
        let ints = try node.attributes.ints("value_ints", in: Int.min...Int.max) ?? []
        return [.constant(.ints(shape: [ints.count], values: ints.map { .known($0) }))]
    }
}

/// Shape(start, end): the data's shape with the batch size symbolic, or a constant's shape.
struct ShapeConverter: ONNXOperatorConverter {
    static let opTypes = ["Shape"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["start", "end"])
        let dimensions: [ShapeInt]
        switch try node.input(0) {
        case .computed(let x): dimensions = [.batch] + graph.shape(of: x).map { .known($0) }
        case .constant(let constant): dimensions = constant.shape.map { .known($0) }
        case .geluPart: throw node.fail(ONNXNodeContext.partialGELU)
        }
        let rank = dimensions.count
        func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + rank : value, 0), rank) }
        let start = clamp(try node.attributes.int("start", default: 0, in: -1_000_000...1_000_000))
        let end = clamp(try node.attributes.int("end", default: rank, in: -1_000_000...1_000_000))
        let picked = start < end ? Array(dimensions[start..<end]) : []
        return [.constant(.ints(shape: [picked.count], values: picked))]
    }
}

/// Gather along an axis of a constant (a shape entry picked by index, as `x.size(0)` exports).
struct GatherConverter: ONNXOperatorConverter {
    static let opTypes = ["Gather"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["axis"])
        guard case .constant(let data) = try node.input(0) else { throw node.fail("gathers from the network's data, which is not supported") }
        guard case .constant(.ints(let indexShape, _)) = try node.input(1) else { throw node.fail("indices must be a constant integer tensor") }
        let indices = try node.knownInts(1)
        guard data.shape.count == 1 else { throw node.fail("gathers from a constant of shape \(data.shape); only 1-D constants are supported") }
        _ = try node.attributes.int("axis", default: 0, in: -1...0)
        let size = data.shape[0]
        let positions = try indices.map { index -> Int in
            guard (-size..<size).contains(index) else { throw node.fail("index \(index) is out of range for size \(size)") }
            return index < 0 ? index + size : index
        }
        return [.constant(data.gathered(positions, shape: indexShape))]
    }
}

/// Concat of constants along an axis (the pieces of a shape, as `x.view(x.size(0), -1)` exports).
struct ConcatConverter: ONNXOperatorConverter {
    static let opTypes = ["Concat"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["axis"])
        var pieces: [ONNXConstant] = []
        for index in node.inputs.indices {
            guard case .constant(let piece) = try node.input(index) else { throw node.fail("concatenates the network's data, which is not supported") }
            pieces.append(piece)
        }
        guard let first = pieces.first else { throw node.fail("has no inputs") }
        let rank = first.shape.count
        guard rank == 1 else { throw node.fail("concatenates constants of rank \(rank); only 1-D constants are supported") }
        _ = try node.attributes.int("axis", default: 0, in: -1...0)
        switch first {
        case .ints:
            var values: [ShapeInt] = []
            for piece in pieces {
                guard case .ints(let shape, let part) = piece, shape.count == 1 else { throw node.fail("mixes integer and float or non-1-D inputs") }
                values += part
            }
            return [.constant(.ints(shape: [values.count], values: values))]
        case .floats:
            var values: [Double] = []
            for piece in pieces {
                guard case .floats(let shape, let part) = piece, shape.count == 1 else { throw node.fail("mixes integer and float or non-1-D inputs") }
                values += part
            }
            return [.constant(.floats(shape: [values.count], values: values))]
        }
    }
}

/// Cast: integer shapes stay integers; float casts of constants convert; the data may be cast to
/// FLOAT or DOUBLE (no change for tessera, which computes in float64).
struct CastConverter: ONNXOperatorConverter {
    static let opTypes = ["Cast"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["to", "saturate", "round_mode"])
        let code = try node.attributes.int("to", default: 0, in: 0...64)
        let target = Onnx_TensorProto.DataType(rawValue: code) ?? .undefined
        let toInteger = [.int64, .int32, .int16, .int8, .uint8, .uint16, .uint32, .uint64, .bool].contains(target)
        let toFloat = [.float, .double, .float16, .bfloat16].contains(target)
        guard toInteger || toFloat else { throw node.fail("casts to \(target.onnxName), which is not supported") }
        switch try node.input(0) {
        case .computed(let x):
            guard target == .float || target == .double else { throw node.fail("casts the network's data to \(target.onnxName)") }
            return [try graph.append(node, .reshape, inputs: [x], shape: graph.shape(of: x))]
        case .constant(.ints(let shape, let values)):
            if toInteger { return [.constant(.ints(shape: shape, values: values))] }
            let floats = try values.map { value -> Double in
                guard case .known(let integer) = value else { throw node.fail("casts the batch size to a float (a dynamic shape tessera cannot fix)") }
                return Double(integer)
            }
            return [.constant(.floats(shape: shape, values: floats.map(roundingFor(target))))]
        case .constant(.floats(let shape, let values)):
            if toFloat { return [.constant(.floats(shape: shape, values: values.map(roundingFor(target))))] }
            let integers = try values.map { value -> ShapeInt in
                guard value.isFinite, abs(value) < 9.0e18 else { throw node.fail("casts \(value) to an integer") }
                return .known(Int(value.rounded(.towardZero)))
            }
            return [.constant(.ints(shape: shape, values: integers))]
        case .geluPart:
            throw node.fail(ONNXNodeContext.partialGELU)
        }
    }

    /// Rounding to the target float format.
    private static func roundingFor(_ target: Onnx_TensorProto.DataType) -> (Double) -> Double {
        switch target {
        case .float: return { DType.f32.rounded($0) }
        case .float16: return { DType.f16.rounded($0) }
        case .bfloat16: return { DType.bf16.rounded($0) }
        default: return { $0 }
        }
    }
}

/// Slice of a 1-D constant (starts, ends, axes, steps as inputs, opset 10 and later).
struct SliceConverter: ONNXOperatorConverter {
    static let opTypes = ["Slice"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        guard case .constant(let data) = try node.input(0) else { throw node.fail("slices the network's data, which is not supported") }
        guard data.shape.count == 1 else { throw node.fail("slices a constant of shape \(data.shape); only 1-D constants are supported") }
        let starts = try node.knownInts(1), ends = try node.knownInts(2)
        let axes = node.hasInput(3) ? try node.knownInts(3) : [0]
        let steps = node.hasInput(4) ? try node.knownInts(4) : [1]
        guard starts.count == 1, ends.count == 1, axes.count == 1, steps.count == 1, axes[0] == 0 || axes[0] == -1 else {
            throw node.fail("needs one start, end, axis 0 and step for a 1-D constant")
        }
        let size = data.shape[0], step = steps[0]
        guard step != 0, step.magnitude <= UInt(ONNXLimits.maximumElements) else { throw node.fail("step \(step) is not allowed") }
        // ONNX clamps starts and ends into range (ends may be ±2^63 − 1 for "to the end").
        func clamp(_ value: Int, low: Int, high: Int) -> Int {
            let shifted = value < 0 ? (value < -size ? low : value + size) : value
            return min(max(shifted, low), high)
        }
        var indices: [Int] = []
        if step > 0 {
            var index = clamp(starts[0], low: 0, high: size)
            let end = clamp(ends[0], low: 0, high: size)
            while index < end { indices.append(index); index += step }
        } else {
            var index = clamp(starts[0], low: -1, high: size - 1)
            let end = clamp(ends[0], low: -1, high: size - 1)
            while index > end { indices.append(index); index += step }
        }
        return [.constant(data.gathered(indices, shape: [indices.count]))]
    }
}

/// Transpose of a constant (the exporters transpose Linear weights before MatMul).
struct TransposeConverter: ONNXOperatorConverter {
    static let opTypes = ["Transpose"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["perm"])
        guard case .constant(let data) = try node.input(0) else { throw node.fail("transposes the network's data, which is not supported") }
        let shape = data.shape, rank = shape.count
        let perm = try node.attributes.ints("perm", count: rank, in: 0...max(0, rank - 1)) ?? Array((0..<rank).reversed())
        guard Set(perm).count == rank else { throw node.fail("perm \(perm) is not a permutation") }
        let output = perm.map { shape[$0] }
        var sourceStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { sourceStrides[axis] = sourceStrides[axis + 1] * shape[axis + 1] }
        var positions: [Int] = []
        positions.reserveCapacity(data.count)
        var index = [Int](repeating: 0, count: rank)
        for _ in 0..<data.count {
            var source = 0
            for axis in 0..<rank { source += index[axis] * sourceStrides[perm[axis]] }
            positions.append(source)
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < output[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return [.constant(data.gathered(positions, shape: output))]
    }
}

/// Sub and Div: of constants (shape arithmetic), or the data minus / divided by a constant.
struct ConstantArithmeticConverter: ONNXOperatorConverter {
    static let opTypes = ["Sub", "Div"]
    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes([])
        if node.opType == "Div", let part = GELUPattern.divided(node) { return [.geluPart(part)] }
        if case .computed(let x) = try node.input(0), case .constant(let c) = try node.input(1) {
            if node.opType == "Sub" { return [try ScaledData.subtracted(c, from: x, node, &graph)] }
            return [try ScaledData.divided(x, by: c, node, &graph)]
        }
        guard case .constant(let a) = try node.input(0), case .constant(let b) = try node.input(1) else {
            throw node.fail("applies \(node.opType) to the network's data in a way that is not supported (only data − constant and data / constant)")
        }
        if node.opType == "Sub" {
            return [.constant(try ConstantArithmetic.elementwise(a, b, node, float: -, integer: { $0.subtractingReportingOverflow($1) }))]
        }
        return [.constant(try ConstantArithmetic.elementwise(a, b, node, float: /, integer: { a, b in
            b == 0 ? (0, true) : a.dividedReportingOverflow(by: b)
        }))]
    }
}

/// Elementwise arithmetic on constants of one shape, or one of them a single element.
enum ConstantArithmetic {
    static func elementwise(_ a: ONNXConstant, _ b: ONNXConstant, _ node: ONNXNodeContext,
                            float: (Double, Double) -> Double, integer: (Int, Int) -> (Int, Bool)) throws -> ONNXConstant {
        let shape: [Int]
        if a.shape == b.shape || b.count == 1 && b.shape.count <= a.shape.count { shape = a.shape }
        else if a.count == 1 && a.shape.count <= b.shape.count { shape = b.shape }
        else { throw node.fail("combines constants of shapes \(a.shape) and \(b.shape); only equal shapes or a single value are supported") }
        let count = shape.reduce(1, *)
        func pick<T>(_ values: [T], _ index: Int) -> T { values.count == 1 ? values[0] : values[index] }
        switch (a, b) {
        case (.floats(_, let x), .floats(_, let y)):
            let values = (0..<count).map { float(pick(x, $0), pick(y, $0)) }
            guard values.allSatisfy(\.isFinite) else { throw node.fail("gives a non-finite constant") }
            return .floats(shape: shape, values: values)
        case (.ints(_, let x), .ints(_, let y)):
            return .ints(shape: shape, values: try (0..<count).map { index in
                guard case .known(let p) = pick(x, index), case .known(let q) = pick(y, index) else {
                    throw node.fail("computes with the batch size (a dynamic shape tessera cannot fix)")
                }
                let (result, overflow) = integer(p, q)
                guard !overflow else { throw node.fail("integer arithmetic overflows or divides by zero") }
                return .known(result)
            })
        default:
            throw node.fail("mixes integer and float constants")
        }
    }
}

// What a name in an ONNX graph holds while the reader walks it.

/// One integer of a shape computation: known, or the batch size (unknown until run time).
enum ShapeInt: Equatable, CustomStringConvertible {
    case known(Int)
    case batch

    var description: String {
        switch self {
        case .known(let value): return "\(value)"
        case .batch: return "N"
        }
    }
}

/// A constant tensor known while reading: floating point (weights) or integer (shape computations,
/// whose elements may be the symbolic batch size).
enum ONNXConstant: Equatable {
    case floats(shape: [Int], values: [Double])
    case ints(shape: [Int], values: [ShapeInt])

    var shape: [Int] {
        switch self {
        case .floats(let shape, _), .ints(let shape, _): return shape
        }
    }

    var count: Int {
        switch self {
        case .floats(_, let values): return values.count
        case .ints(_, let values): return values.count
        }
    }

    /// The same elements under another shape with the same element count.
    func reshaped(_ shape: [Int]) -> ONNXConstant {
        switch self {
        case .floats(_, let values): return .floats(shape: shape, values: values)
        case .ints(_, let values): return .ints(shape: shape, values: values)
        }
    }

    /// The elements picked by `indices` (flat positions), under `shape`.
    func gathered(_ indices: [Int], shape: [Int]) -> ONNXConstant {
        switch self {
        case .floats(_, let values): return .floats(shape: shape, values: indices.map { values[$0] })
        case .ints(_, let values): return .ints(shape: shape, values: indices.map { values[$0] })
        }
    }
}

/// A named value of the graph: computed per sample (a node of the model being built), or constant.
enum ONNXValue: Equatable {
    /// A value of the model: 0 = the graph input, i + 1 = node i's output.
    case computed(Int)
    case constant(ONNXConstant)
    /// Part of the erf form of GELU, x·½·(1 + erf(x/√2)), as the exporters spell it out.
    case geluPart(GELUPart)
}

/// How far a spelled-out GELU of computed value `x` has got.
struct GELUPart: Equatable {
    enum Stage: Equatable {
        /// x/√2
        case scaled
        /// erf(x/√2)
        case erf
        /// 1 + erf(x/√2)
        case onePlusErf
        /// x·(1 + erf(x/√2)) (TorchScript multiplies by x first)
        case timesX
        /// ½·(1 + erf(x/√2)) (dynamo multiplies by ½ first)
        case timesHalf
    }
    var stage: Stage
    var x: Int
}

/// The reader's one error: a message that names the node and operator it concerns.
struct ONNXNodeError: Error {
    var message: String
}

import Foundation
/// A piecewise-affine activation applied elementwise between affine layers.
public enum Activation: Equatable, Hashable, Sendable, CustomStringConvertible {
    case relu
    /// max(z, αz); α is taken as the exact binary fraction of the Double.
    case leakyReLU(alpha: Double)
    case abs
    /// Not piecewise affine: allowed for training and LC only; the exact engine refuses it.
    case gelu
    /// Smooth activations read from ONNX models, for the LC estimator only (like `gelu`):
    /// GELU's tanh approximation, the logistic sigmoid, tanh, and SiLU x·sigmoid(x).
    case geluTanh, sigmoid, tanh, silu

    /// Parses `relu`, `leaky_relu`, `leaky_relu:0.01`, `abs`, `gelu`.
    public init(parsing text: String) throws {
        let lower = text.lowercased()
        switch lower {
        case "relu": self = .relu
        case "abs", "absolute": self = .abs
        case "gelu": self = .gelu
        case "leaky_relu", "leakyrelu", "leaky-relu": self = .leakyReLU(alpha: 0.01)
        default:
            for prefix in ["leaky_relu:", "leakyrelu:", "leaky-relu:"] where lower.hasPrefix(prefix) {
                guard let alpha = Double(lower.dropFirst(prefix.count)), alpha.isFinite else { break }
                self = .leakyReLU(alpha: alpha)
                return
            }
            throw TesseraError.badInput("unknown activation '\(text)' (expected relu, leaky_relu[:alpha], abs or gelu)")
        }
    }

    public var description: String {
        switch self {
        case .relu: return "relu"
        case .leakyReLU(let alpha): return "leaky_relu:\(alpha)"
        case .abs: return "abs"
        case .gelu: return "gelu"
        case .geluTanh: return "gelu_tanh"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .silu: return "silu"
        }
    }

    /// True when the exact engine can slice through it.
    public var isPiecewiseAffine: Bool {
        switch self {
        case .relu, .leakyReLU, .abs: return true
        case .gelu, .geluTanh, .sigmoid, .tanh, .silu: return false
        }
    }

    /// The slope on the side where the pre-activation is positive / negative.
    public var positiveSlope: Double { 1 }
    public var negativeSlope: Double {
        switch self {
        case .relu: return 0
        case .leakyReLU(let alpha): return alpha
        case .abs: return -1
        case .gelu, .geluTanh, .sigmoid, .tanh, .silu: return 0
        }
    }

    /// Applies the activation to one value (GELU by its tanh-free erf form).
    @inlinable public func apply(_ z: Double) -> Double {
        switch self {
        case .relu: return z > 0 ? z : 0
        case .leakyReLU(let alpha): return z > 0 ? z : alpha * z
        case .abs: return Swift.abs(z)
        case .gelu: return 0.5 * z * (1 + erf(z / 2.0.squareRoot()))
        case .geluTanh: return 0.5 * z * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (z + 0.044715 * z * z * z)))
        case .sigmoid: return 1 / (1 + exp(-z))
        case .tanh: return Foundation.tanh(z)
        case .silu: return z / (1 + exp(-z))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fully connected affine layer y = W x + b, W stored row-major [outputs, inputs].
public struct DenseLayer: Equatable, Sendable {
    public var inputs: Int
    public var outputs: Int
    /// Row-major [outputs × inputs]; every dtype tessera reads is exactly representable as Double.
    public var weights: [Double]
    public var bias: [Double]

    public init(inputs: Int, outputs: Int, weights: [Double], bias: [Double]) {
        precondition(weights.count == inputs * outputs && bias.count == outputs)
        self.inputs = inputs
        self.outputs = outputs
        self.weights = weights
        self.bias = bias
    }

    @inlinable public func weight(_ row: Int, _ column: Int) -> Double { weights[row * inputs + column] }
}

/// A chain of dense layers with one activation between consecutive layers (none after the last).
public struct Network: Equatable, Sendable {
    public var layers: [DenseLayer]
    public var activation: Activation

    public init(layers: [DenseLayer], activation: Activation) throws {
        guard !layers.isEmpty else { throw TesseraError.badInput("the network has no layers") }
        for (index, pair) in zip(layers, layers.dropFirst()).enumerated() where pair.0.outputs != pair.1.inputs {
            throw TesseraError.badInput("layer \(index + 1) has \(pair.0.outputs) outputs but layer \(index + 2) takes \(pair.1.inputs) inputs")
        }
        for (index, layer) in layers.enumerated() {
            if layer.weights.contains(where: { !$0.isFinite }) || layer.bias.contains(where: { !$0.isFinite }) {
                throw TesseraError.badInput("layer \(index + 1) has a NaN or infinite weight or bias")
            }
        }
        if case .leakyReLU(let alpha) = activation, !alpha.isFinite {
            throw TesseraError.badInput("leaky_relu slope must be finite")
        }
        self.layers = layers
        self.activation = activation
    }

    public var inputDimension: Int { layers[0].inputs }
    public var outputDimension: Int { layers[layers.count - 1].outputs }
    /// Widths of the hidden layers (all layers but the last).
    public var hiddenWidths: [Int] { layers.dropLast().map(\.outputs) }

    /// Pre-activations of every layer at one input, in plain Double arithmetic (for checks and LC).
    public func preActivations(at input: [Double]) -> [[Double]] {
        var current = input
        var result: [[Double]] = []
        for (index, layer) in layers.enumerated() {
            var z = layer.bias
            for row in 0..<layer.outputs {
                var sum = 0.0
                let base = row * layer.inputs
                for column in 0..<layer.inputs { sum += layer.weights[base + column] * current[column] }
                z[row] += sum
            }
            result.append(z)
            if index < layers.count - 1 { current = z.map(activation.apply) }
        }
        return result
    }
}

/// Errors tessera reports as one line on stderr with a non-zero exit status.
public enum TesseraError: Error, CustomStringConvertible, Equatable {
    /// Malformed, inconsistent or unsupported input (exit 1).
    case badInput(String)
    /// A resource limit such as --max-regions was reached (exit 1).
    case limitExceeded(String)
    /// Writing an output failed (exit 1).
    case io(String)

    /// The message on one line: line breaks that came from a file (a header, a tensor name) are escaped.
    public var description: String {
        switch self {
        case .badInput(let message), .limitExceeded(let message), .io(let message):
            return message.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        }
    }
}

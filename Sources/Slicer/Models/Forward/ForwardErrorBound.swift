/// A priori bounds on how far a float32 forward pass can be from the float64 one, per value.
///
/// Each node's bound follows from its inputs' values ẑ (bounded by Z = |z| + e) and errors e, with
/// u = 2⁻²⁴ and γₖ = k·u/(1 − k·u) (Higham, Accuracy and Stability of Numerical Algorithms, §3.1):
/// an affine node y = W·x + b of k terms per output, summed in any order (sgemm, the direct kernel)
/// with W and b rounded to float32, is off by at most c·(|W|·Z + |b|) + |W|·e, c = γ_{k+2}(1 + u) + u;
/// a sum adds its inputs' errors and one rounding; pooling averages (or takes the largest of) the
/// errors; ReLU, |·| and reshapes pass them on; a convolution the float32 pass runs by Winograd's
/// transform has its own rounding term (ForwardErrorBound+Winograd.swift). The float64 values stand
/// for the exact ones (their own rounding is 2⁻²⁹ times smaller). Smooth activations get no bound (infinite).
package enum ForwardErrorBound {
    package static let u = 0x1p-24
    package static func gamma(_ k: Int) -> Double { Double(k) * u / (1 - Double(k) * u) }

    /// Values and error bounds of the nodes `plan` runs, from `given` values and their error bounds.
    package static func propagate(_ forward: GraphForward<Double>, _ plan: ForwardPlan, rows: Int,
                          given: [Int: (values: [Double], errors: [Double])]) -> [Int: (values: [Double], errors: [Double])] {
        var known = given
        for n in plan.order {
            let node = forward.model.nodes[n]
            let step = forward.steps[n]
            let inputs = node.inputs.map { known[$0]! }
            let magnitudes = inputs.map { input in zip(input.values, input.errors).map { abs($0) + $1 } }
            let values = forward.runStep(n, inputs: inputs.map(\.values), rows: rows)
            let absolute = step.absolute
            let carried = forward.runStep(n, inputs: inputs.map(\.errors), rows: rows, step: absolute.linearPart)
            let rounding = coefficient(step, forward: forward, node: n)
            let errors: [Double]
            if case .conv(let conv) = step, ForwardWinogradConv<Float>.applies(conv.conv) {
                let scale = winogradMagnitudes(conv, magnitudes[0], rows: rows)
                let c = winogradCoefficient(inChannels: conv.conv.inChannels)
                errors = zip(carried, scale).map { $0 + c * $1 }
            } else if rounding == 0 {
                errors = carried
            } else if rounding.isInfinite {
                errors = [Double](repeating: .infinity, count: values.count)
            } else {
                let scale = forward.runStep(n, inputs: magnitudes, rows: rows, step: absolute)
                errors = zip(carried, scale).map { $0 + rounding * $1 }
            }
            known[n + 1] = (values, errors)
        }
        return known
    }

    /// The c of node n's rounding term c·(|step|)(Z): 0 where the step computes exactly.
    static func coefficient(_ step: ForwardStep<Double>, forward: GraphForward<Double>, node n: Int) -> Double {
        switch step {
        case .dense(let layer): return gamma(layer.inputs + 2) * (1 + u) + u
        case .conv(let conv): return gamma(conv.columnRows + 2) * (1 + u) + u
        case .channelAffine: return gamma(2) * (1 + u) + u
        case .addConstant: return gamma(2)
        case .add: return u
        case .averagePool(let pool): return gamma(pool.window.kernelH * pool.window.kernelW + 1)
        case .globalAveragePool(_, let plane): return gamma(plane + 1)
        case .maxPool, .reshape: return 0
        case .activation(let activation):
            switch activation {
            case .relu, .abs: return 0
            case .leakyReLU(let alpha): return Swift.abs(alpha) <= 1 ? gamma(2) * Swift.abs(alpha) : .infinity
            default: return .infinity
            }
        }
    }
}

extension ForwardStep where T == Double {
    /// The step with every parameter replaced by its absolute value (|W|, |b|, |scale|, ...): on
    /// non-negative inputs it bounds the magnitudes of the terms the step sums.
    var absolute: ForwardStep<Double> {
        switch self {
        case .dense(let layer):
            return .dense(ForwardDense(DenseLayer(inputs: layer.inputs, outputs: layer.outputs,
                                                  weights: layer.weights.map(Swift.abs), bias: layer.bias.map(Swift.abs))))
        case .conv(let step):
            var conv = step.conv
            conv.weights = conv.weights.map(Swift.abs); conv.bias = conv.bias.map(Swift.abs)
            return .conv(ForwardConv(conv, window: step.window))
        case .channelAffine(let scale, let shift, let plane):
            return .channelAffine(scale: scale.map(Swift.abs), shift: shift.map(Swift.abs), plane: plane)
        case .addConstant(let constant):
            return .addConstant(constant.map(Swift.abs))
        case .activation(.leakyReLU):
            return .activation(.relu)   // on non-negative inputs: the identity
        default:
            return self
        }
    }
}

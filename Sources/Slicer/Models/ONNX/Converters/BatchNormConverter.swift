// BatchNormalization (inference) -> a per-channel affine map.

import Foundation

/// BatchNormalization in inference mode: y = scale·x + shift per channel with
/// scale = γ/√(σ² + ε) and shift = β − scale·μ, each correctly rounded to float64 (`BatchNormFolding`;
/// the scale is irrational in general; the model records that it was rounded).
struct BatchNormConverter: ONNXOperatorConverter {
    static let opTypes = ["BatchNormalization"]

    static func convert(_ node: ONNXNodeContext, _ graph: inout ONNXGraphBuilder) throws -> [ONNXValue] {
        try node.allowAttributes(["epsilon", "momentum", "training_mode", "spatial"])
        guard try node.attributes.int("training_mode", default: 0, in: 0...1) == 0 else {
            throw node.fail("training_mode = 1; export the model in eval mode (model.eval())")
        }
        guard try node.attributes.int("spatial", default: 1, in: 0...1) == 1 else { throw node.fail("spatial = 0 is not supported") }
        for output in 1..<5 where node.outputIsRead(output, in: graph) {
            throw node.fail("its running-statistics outputs are read (training mode); only inference is supported")
        }
        let epsilon = try node.attributes.float("epsilon", default: 1e-5)
        let x = try node.computed(0)
        let shape = graph.shape(of: x)
        guard let channels = shape.first else { throw node.fail("input has no channel dimension") }
        var parameters: [[Double]] = []
        for (index, role) in ["scale", "bias", "mean", "variance"].enumerated() {
            let (pShape, values) = try node.floats(index + 1)
            guard pShape == [channels] else { throw node.fail("\(role) '\(node.inputNames[index + 1])' has shape \(pShape); expected [\(channels)]") }
            parameters.append(values)
        }
        let (gamma, beta, mean, variance) = (parameters[0], parameters[1], parameters[2], parameters[3])
        var scale = [Double](repeating: 0, count: channels), shift = scale
        for channel in 0..<channels {
            guard let folded = BatchNormFolding.scale(gamma: gamma[channel], variance: variance[channel], epsilon: epsilon) else {
                throw node.fail("channel \(channel) has variance + epsilon = \(variance[channel] + epsilon), not positive, or a scale out of range")
            }
            scale[channel] = folded
            shift[channel] = BatchNormFolding.shift(beta: beta[channel], scale: folded, mean: mean[channel])
            guard scale[channel].isFinite, shift[channel].isFinite else { throw node.fail("channel \(channel) has a non-finite folded scale or shift") }
        }
        graph.hasBatchNormScale = true
        graph.note("batch norm scale γ/√(σ²+ε) and shift β − scale·μ rounded to float64")
        return [try graph.append(node, .channelAffine(scale: scale, shift: shift), inputs: [x], shape: shape)]
    }
}

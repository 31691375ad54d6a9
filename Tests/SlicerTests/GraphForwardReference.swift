import Foundation
import Slicer
@testable import Models

/// Straightforward per-sample loops for every graph operation: the reference the batched forward pass
/// is checked against. Output sizes are taken from the nodes' declared shapes (written by hand in the
/// tests).
enum GraphReference {
    /// Every value (0 = input) of `model` at one input.
    static func values(_ model: GraphModel, at input: [Double]) -> [[Double]] {
        var values = [input]
        for node in model.nodes {
            let x = values[node.inputs[0]]
            let inShape = model.shape(ofValue: node.inputs[0])
            switch node.op {
            case .dense(let layer):
                values.append((0..<layer.outputs).map { j in
                    var sum = layer.bias[j]
                    for i in 0..<layer.inputs { sum += layer.weights[j * layer.inputs + i] * x[i] }
                    return sum
                })
            case .conv(let conv): values.append(convolution(conv, x, inShape, node.shape))
            case .channelAffine(let scale, let shift):
                let plane = x.count / scale.count
                values.append(x.indices.map { scale[$0 / plane] * x[$0] + shift[$0 / plane] })
            case .addConstant(let constant): values.append(zip(x, constant).map { $0 + $1 })
            case .averagePool(let pool, let countIncludePad):
                values.append(pooling(pool, x, inShape, node.shape) { window, padded in
                    window.reduce(0, +) / Double(countIncludePad ? padded : window.count)
                })
            case .maxPool(let pool):
                values.append(pooling(pool, x, inShape, node.shape) { window, _ in window.max()! })
            case .globalAveragePool:
                let plane = inShape[1] * inShape[2]
                values.append((0..<inShape[0]).map { c in x[c * plane..<(c + 1) * plane].reduce(0, +) / Double(plane) })
            case .reshape: values.append(x)
            case .add: values.append(zip(x, values[node.inputs[1]]).map { $0 + $1 })
            case .activation(let activation): values.append(x.map(activation.apply))
            }
        }
        return values
    }

    /// Direct convolution: out[oc][oh][ow] = b[oc] + Σ w[oc][ic][i][j] · in[g·Cin/g + ic][oh·sH − pT + i·dH][ow·sW − pL + j·dW].
    static func convolution(_ conv: Conv2D, _ x: [Double], _ inShape: [Int], _ outShape: [Int]) -> [Double] {
        let (h, w) = (inShape[1], inShape[2]), (outH, outW) = (outShape[1], outShape[2])
        let inPerGroup = conv.inChannels / conv.groups, outPerGroup = conv.outChannels / conv.groups
        var out = [Double](repeating: 0, count: conv.outChannels * outH * outW)
        for oc in 0..<conv.outChannels {
            let group = oc / outPerGroup
            for oh in 0..<outH {
                for ow in 0..<outW {
                    var sum = conv.bias[oc]
                    for ic in 0..<inPerGroup {
                        for i in 0..<conv.kernelH {
                            for j in 0..<conv.kernelW {
                                let ih = oh * conv.strideH - conv.pads[0] + i * conv.dilationH
                                let iw = ow * conv.strideW - conv.pads[1] + j * conv.dilationW
                                guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
                                let weight = conv.weights[((oc * inPerGroup + ic) * conv.kernelH + i) * conv.kernelW + j]
                                sum += weight * x[((group * inPerGroup + ic) * h + ih) * w + iw]
                            }
                        }
                    }
                    out[(oc * outH + oh) * outW + ow] = sum
                }
            }
        }
        return out
    }

    /// A pooling over each window: `reduce` gets the window's input values and the number of its
    /// positions inside the padded input.
    static func pooling(_ pool: Pool2D, _ x: [Double], _ inShape: [Int], _ outShape: [Int],
                        _ reduce: ([Double], Int) -> Double) -> [Double] {
        let (channels, h, w) = (inShape[0], inShape[1], inShape[2]), (outH, outW) = (outShape[1], outShape[2])
        var out: [Double] = []
        for c in 0..<channels {
            for oh in 0..<outH {
                for ow in 0..<outW {
                    var window: [Double] = [], padded = 0
                    for i in 0..<pool.kernelH {
                        for j in 0..<pool.kernelW {
                            let ih = oh * pool.strideH - pool.pads[0] + i * pool.dilationH
                            let iw = ow * pool.strideW - pool.pads[1] + j * pool.dilationW
                            if ih >= -pool.pads[0], ih < h + pool.pads[2], iw >= -pool.pads[1], iw < w + pool.pads[3] { padded += 1 }
                            if ih >= 0, ih < h, iw >= 0, iw < w { window.append(x[(c * h + ih) * w + iw]) }
                        }
                    }
                    out.append(reduce(window, padded))
                }
            }
        }
        return out
    }
}

/// Builds graph models node by node for tests.
struct ForwardTestGraph {
    var model: GraphModel
    init(inputShape: [Int]) { model = GraphModel(inputName: "x", inputShape: inputShape, nodes: [], outputValue: 0) }

    /// Appends a node reading `inputs` (default: the last value) and makes it the output; returns its value.
    @discardableResult
    mutating func add(_ op: GraphOp, shape: [Int], inputs: [Int]? = nil, name: String? = nil) -> Int {
        let value = model.nodes.count + 1
        model.nodes.append(GraphNode(name: name ?? "n\(value)", opType: "\(op)".prefix { $0 != "(" }.description, op: op,
                                     inputs: inputs ?? [value - 1], shape: shape))
        model.outputValue = value
        return value
    }
}

extension TestRandom {
    mutating func values(_ count: Int, scale: Double = 1) -> [Double] { (0..<count).map { _ in uniform() * scale } }
}

/// Largest |a − b| over the largest |b| (1 when every b is 0).
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    let scale = max(b.map(abs).max() ?? 0, .leastNormalMagnitude)
    return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

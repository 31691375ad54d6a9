import Foundation
import Models

/// The CNN workload: input 1×H×W; `convolutions` × [Conv2d 3×3, `channels` channels, stride 1,
/// padding 1 → ReLU]; Flatten; Linear(channels·H·W → 10). He-initialised (std √(2/fan-in)), biases
/// N(0, 0.1²), float32-valued, seeded. Anchors: the image x, x + r·u and x + r·w with u, w seeded
/// orthonormal directions (float32-rounded anchors).
public func cnnWorkload(image: [Double], height: Int = 28, width: Int = 28, radius: Double, seed: UInt64 = 0,
                        channels: Int = 32, convolutions: Int = 4) -> (graph: GraphModel, anchors: [[Double]]) {
    var random = SeededGenerator(seed: seed)
    func float32(_ x: Double) -> Double { Double(Float(x)) }
    var builder = GraphBuilder(inputShape: [1, height, width])
    var v = 0, inChannels = 1
    for _ in 0..<convolutions {
        let fanIn = inChannels * 9
        let weights = (0..<(channels * fanIn)).map { _ in float32(random.workloadNormal() * (2 / Double(fanIn)).squareRoot()) }
        let bias = (0..<channels).map { _ in float32(random.workloadNormal() * 0.1) }
        let conv = Conv2D(inChannels: inChannels, outChannels: channels, kernelH: 3, kernelW: 3, pads: [1, 1, 1, 1],
                          weights: weights, bias: bias)
        v = builder.activation(builder.conv(v, conv), .relu)
        inChannels = channels
    }
    v = builder.flatten(v)
    let inputs = channels * height * width
    let weights = (0..<(10 * inputs)).map { _ in float32(random.workloadNormal() * (2 / Double(inputs)).squareRoot()) }
    let bias = (0..<10).map { _ in float32(random.workloadNormal() * 0.1) }
    builder.dense(v, DenseLayer(inputs: inputs, outputs: 10, weights: weights, bias: bias))
    // Two orthonormal directions by Gram–Schmidt on Gaussian vectors.
    let d = height * width
    var u = (0..<d).map { _ in random.workloadNormal() }
    var w = (0..<d).map { _ in random.workloadNormal() }
    let nu = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
    u = u.map { $0 / nu }
    let along = zip(u, w).reduce(0) { $0 + $1.0 * $1.1 }
    w = zip(w, u).map { $0 - along * $1 }
    let nw = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
    w = w.map { $0 / nw }
    let anchors = [image.map(float32), zip(image, u).map { float32($0 + radius * $1) }, zip(image, w).map { float32($0 + radius * $1) }]
    return (builder.graph, anchors)
}

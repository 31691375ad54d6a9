import Models

/// The max-pool families of graph cases, in the order `maxPoolVerificationCase` cycles through them:
/// pooling after an activation and directly after a convolution, with and without overlapping
/// windows (strides below the kernel, padding, dilation, ceil mode), and degenerate windows (all
/// inputs equal, two equal inputs, small-integer weights whose ties meet at shared points).
public let maxPoolVerificationFamilies = ["maxpool-relu", "maxpool-conv", "maxpool-overlap", "maxpool-equal", "maxpool-integer"]

/// The i-th max-pool verification case of a seed.
public func maxPoolVerificationCase(_ index: Int, seed: UInt64 = 1) -> GraphVerificationCase {
    var random = SeededGenerator(seed: seed &* 3_000_017 &+ UInt64(index))
    func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    func float32(_ x: Double) -> Double { Double(Float(x)) }
    let family = maxPoolVerificationFamilies[index % maxPoolVerificationFamilies.count]
    let integer = family == "maxpool-integer"
    func weights(_ count: Int, fanIn: Int) -> [Double] {
        integer ? (0..<count).map { _ in Double(Int(random.next() % 5) - 2) }
            : (0..<count).map { _ in float32(random.workloadNormal() / Double(fanIn).squareRoot()) }
    }
    func biases(_ count: Int) -> [Double] {
        integer ? (0..<count).map { _ in Double(Int(random.next() % 5) - 2) / 2 }
            : (0..<count).map { _ in float32(random.workloadNormal() * 0.3) }
    }
    let activation = pick([Activation.relu, .relu, .leakyReLU(alpha: 0.1), .abs])
    let classes = pick([1, 2, 3])
    var builder = GraphBuilder(inputShape: [1, 4, 4])
    let channels = family == "maxpool-equal" ? 3 : 2
    let kernel = pick([1, 3])
    var convWeights = weights(channels * kernel * kernel, fanIn: kernel * kernel)
    var convBias = biases(channels)
    if family == "maxpool-equal" {
        // The last channel is constant (every window's inputs equal), the middle one copies the first.
        for i in 0..<(kernel * kernel) { convWeights[2 * kernel * kernel + i] = 0; convWeights[kernel * kernel + i] = convWeights[i] }
        convBias[1] = convBias[0]
    }
    let pad = kernel == 3 ? 1 : 0
    var v = builder.conv(0, Conv2D(inChannels: 1, outChannels: channels, kernelH: kernel, kernelW: kernel, strideH: 1, strideW: 1,
                                   pads: [pad, pad, pad, pad], dilationH: 1, dilationW: 1, groups: 1, weights: convWeights, bias: convBias))
    if family != "maxpool-conv" { v = builder.activation(v, activation) }
    let pool: Pool2D
    switch family {
    case "maxpool-overlap":
        let k = pick([2, 3]), p = k == 3 ? pick([0, 1]) : 0
        pool = Pool2D(kernelH: k, kernelW: k, strideH: 1, strideW: pick([1, 2]), pads: [p, p, p, p],
                      dilationH: 1, dilationW: k == 2 ? pick([1, 2]) : 1, ceilMode: pick([false, true]))
    default:
        pool = pick([Pool2D(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2), Pool2D(kernelH: 2, kernelW: 2, strideH: 1, strideW: 1),
                     Pool2D(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, pads: [1, 1, 1, 1])])
    }
    v = builder.maxPool(v, pool)
    if family == "maxpool-conv" { v = builder.activation(v, activation) }
    v = builder.flatten(v)
    let width = builder.shape(v)[0]
    builder.dense(v, DenseLayer(inputs: width, outputs: classes, weights: weights(width * classes, fanIn: width), bias: biases(classes)))
    let dimension = builder.graph.inputDimension
    var anchors: [[Double]]
    repeat {
        if integer {
            anchors = (0..<3).map { _ in (0..<dimension).map { _ in Double(Int(random.next() % 5) - 2) / 2 } }
        } else {
            anchors = (0..<3).map { _ in (0..<dimension).map { _ in float32(random.nextUnit()) } }
        }
        if family == "maxpool-equal" {
            // Pixels 0 and 1 (one window's two inputs through a 1×1 kernel) are equal on the whole plane.
            for k in 0..<3 { anchors[k][1] = anchors[k][0] }
        }
    } while (try? SlicePlane(anchors: anchors)) == nil
    let domain = pick([DomainSpec.square(scale: 1.5), .square(scale: 3), .triangle(scale: 2),
                       .disk(radius: 0.7, anchor: 1), .diamond(radius: 0.5, anchor: 2)])
    return GraphVerificationCase(graph: builder.graph, anchors: anchors, domain: domain, family: family)
}

extension GraphBuilder {
    /// A max pool of `pool`'s window (its output shape as PyTorch computes it).
    mutating func maxPool(_ v: Int, _ pool: Pool2D) -> Int {
        let s = shape(v)
        let window = WindowGeometry(inH: s[1], inW: s[2], kernelH: pool.kernelH, kernelW: pool.kernelW, strideH: pool.strideH,
                                    strideW: pool.strideW, pads: pool.pads, dilationH: pool.dilationH, dilationW: pool.dilationW,
                                    ceilMode: pool.ceilMode)!
        return add(.maxPool(pool), "MaxPool", inputs: [v], shape: [s[0], window.outH, window.outW])
    }
}

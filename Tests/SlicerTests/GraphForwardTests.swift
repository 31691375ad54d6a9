import Slicer
import Testing
@testable import Models
import TestSupport

/// The batched forward pass against the straightforward per-sample loops of `GraphReference`.
@Suite(.oneAtATime, .timeLimit(.minutes(20))) struct GraphForwardTests {
    /// Forward of `points` (rows) through `model`, every sample checked against the reference at
    /// `value` (default the output) to within float rounding (relative 1e-12).
    func checkAgainstReference(_ model: GraphModel, points: [[Double]], value: Int? = nil, workers: Int = 2,
                               memoryBudget: Int = 128 << 20) throws {
        var forward = try GraphForward(model: model)
        forward.parallelism = Parallelism(threads: workers)
        forward.memoryBudget = memoryBudget
        let target = value ?? model.outputValue
        let width = forward.size(ofValue: target)
        let batched = try forward.run(points.flatMap { $0 }, count: points.count, value: target)
        let expected = points.flatMap { GraphReference.values(model, at: $0)[target] }
        #expect(batched.count == points.count * width)
        #expect(relativeError(batched, expected) <= 1e-12, "relative error \(relativeError(batched, expected))")
        #expect(expected.contains { $0 != 0 })   // a vacuous comparison would prove nothing
    }

    func points(_ count: Int, _ dimension: Int, _ random: inout TestRandom) -> [[Double]] {
        (0..<count).map { _ in random.values(dimension) }
    }

    func conv(_ cin: Int, _ cout: Int, _ k: (Int, Int), stride: (Int, Int) = (1, 1), pads: [Int] = [0, 0, 0, 0],
              dilation: (Int, Int) = (1, 1), groups: Int = 1, _ random: inout TestRandom) -> Conv2D {
        Conv2D(inChannels: cin, outChannels: cout, kernelH: k.0, kernelW: k.1, strideH: stride.0, strideW: stride.1,
               pads: pads, dilationH: dilation.0, dilationW: dilation.1, groups: groups,
               weights: random.values(cout * cin / groups * k.0 * k.1), bias: random.values(cout))
    }

    @Test func convolutionsWithStridesPadsDilationsAndGroups() throws {
        var random = TestRandom(seed: 1)
        // (input [C,H,W], conv, output shape computed by hand)
        let cases: [([Int], Conv2D, [Int])] = [
            ([1, 7, 6], conv(1, 3, (3, 3), &random), [3, 5, 4]),
            ([2, 7, 6], conv(2, 4, (3, 2), stride: (2, 3), pads: [1, 2, 0, 1], &random), [4, 3, 3]),
            ([2, 9, 8], conv(2, 2, (3, 3), pads: [2, 2, 2, 2], dilation: (2, 3), &random), [2, 9, 6]),
            ([4, 5, 5], conv(4, 6, (3, 3), stride: (2, 2), pads: [1, 1, 1, 1], groups: 2, &random), [6, 3, 3]),
            ([4, 5, 5], conv(4, 4, (3, 3), pads: [1, 1, 1, 1], groups: 4, &random), [4, 5, 5]),   // depthwise
            ([3, 4, 5], conv(3, 5, (1, 1), &random), [5, 4, 5]),                                  // pointwise
            ([3, 4, 5], conv(3, 2, (1, 1), stride: (2, 2), &random), [2, 2, 3]),
        ]
        for (inShape, conv, outShape) in cases {
            var graph = ForwardTestGraph(inputShape: inShape)
            graph.add(.conv(conv), shape: outShape)
            try checkAgainstReference(graph.model, points: points(5, inShape.reduce(1, *), &random))
        }
    }

    @Test func aConvolutionEqualsItsUnrolledDenseLayer() throws {
        var random = TestRandom(seed: 2)
        let c = conv(2, 4, (3, 3), stride: (2, 1), pads: [1, 0, 1, 2], dilation: (1, 2), groups: 2, &random)
        let (h, w, outH, outW) = (6, 7, 3, 5)
        var convGraph = ForwardTestGraph(inputShape: [2, h, w])
        convGraph.add(.conv(c), shape: [4, outH, outW])
        // The dense matrix of the same map, written from the definition of a cross-correlation.
        let inputs = 2 * h * w, outputs = 4 * outH * outW
        var weights = [Double](repeating: 0, count: inputs * outputs)
        for oc in 0..<4 {
            for oh in 0..<outH {
                for ow in 0..<outW {
                    for ic in 0..<1 {
                        for i in 0..<3 {
                            for j in 0..<3 {
                                let ih = oh * 2 - 1 + i, iw = ow - 0 + 2 * j
                                guard (0..<h).contains(ih), (0..<w).contains(iw) else { continue }
                                let channel = (oc / 2) + ic
                                weights[((oc * outH + oh) * outW + ow) * inputs + (channel * h + ih) * w + iw] =
                                    c.weights[((oc + ic) * 3 + i) * 3 + j]
                            }
                        }
                    }
                }
            }
        }
        let bias = (0..<outputs).map { c.bias[$0 / (outH * outW)] }
        var denseGraph = ForwardTestGraph(inputShape: [inputs])
        denseGraph.add(.dense(DenseLayer(inputs: inputs, outputs: outputs, weights: weights, bias: bias)), shape: [outputs])
        let xs = points(9, inputs, &random).flatMap { $0 }
        let a = try GraphForward(model: convGraph.model).run(xs, count: 9)
        let b = try GraphForward(model: denseGraph.model).run(xs, count: 9)
        #expect(relativeError(a, b) <= 1e-12)
        #expect(b.contains { $0 != 0 })
    }

    @Test func poolingWindowsPaddingAndCeilMode() throws {
        var random = TestRandom(seed: 3)
        let pool = { (k: Int, s: Int, p: Int, d: Int, ceil: Bool) in
            Pool2D(kernelH: k, kernelW: k, strideH: s, strideW: s, pads: [p, p, p, p], dilationH: d, dilationW: d, ceilMode: ceil)
        }
        // (input [C,H,W], pooling, output shape by hand)
        let cases: [([Int], Pool2D, [Int])] = [
            ([2, 6, 6], pool(2, 2, 0, 1, false), [2, 3, 3]),
            ([2, 7, 7], pool(3, 2, 1, 1, false), [2, 4, 4]),     // overlapping windows
            ([2, 5, 5], pool(2, 2, 0, 1, true), [2, 3, 3]),      // ceil: a last window past the edge
            ([1, 6, 6], pool(3, 2, 1, 1, true), [1, 4, 4]),
            ([1, 3, 3], pool(2, 2, 1, 1, true), [1, 2, 2]),      // ceil: a window starting in the padding is dropped
            ([2, 8, 7], pool(3, 1, 2, 2, false), [2, 8, 7]),     // dilated
        ]
        for (inShape, window, outShape) in cases {
            for op in [GraphOp.maxPool(window), .averagePool(window, countIncludePad: true), .averagePool(window, countIncludePad: false)] {
                var graph = ForwardTestGraph(inputShape: inShape)
                graph.add(op, shape: outShape)
                try checkAgainstReference(graph.model, points: points(4, inShape.reduce(1, *), &random))
            }
        }
    }

    @Test func averagePoolDivisorsAsPyTorch() throws {
        // torch.nn.functional.avg_pool2d(ones(1,1,6,6), 3, 2, padding=1, ceil_mode=True): the last
        // row and column of windows reach past the padding, which is then not counted.
        var graph = ForwardTestGraph(inputShape: [1, 6, 6])
        graph.add(.averagePool(Pool2D(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, pads: [1, 1, 1, 1], ceilMode: true),
                               countIncludePad: true), shape: [1, 4, 4])
        let out = try GraphForward(model: graph.model).run([Double](repeating: 1, count: 36), count: 1)
        let expected: [Double] = [4.0 / 9, 2.0 / 3, 2.0 / 3, 1.0 / 3, 2.0 / 3, 1, 1, 0.5, 2.0 / 3, 1, 1, 0.5, 1.0 / 3, 0.5, 0.5, 0.25]
        #expect(relativeError(out, expected) <= 1e-15)
        // avg_pool2d(arange(25).reshape(1,1,5,5), 3, 2, padding=1, ceil_mode=True, count_include_pad=False)
        var exclude = ForwardTestGraph(inputShape: [1, 5, 5])
        exclude.add(.averagePool(Pool2D(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, pads: [1, 1, 1, 1], ceilMode: true),
                                 countIncludePad: false), shape: [1, 3, 3])
        let means = try GraphForward(model: exclude.model).run((0..<25).map(Double.init), count: 1)
        #expect(means == [3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21])
    }

    @Test func maxPoolTiesAndNegativeValuesIgnoreThePadding() throws {
        // Padding is −∞: an all-negative input keeps its own maximum.
        var graph = ForwardTestGraph(inputShape: [1, 2, 2])
        graph.add(.maxPool(Pool2D(kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, pads: [1, 1, 1, 1])), shape: [1, 3, 3])
        let out = try GraphForward(model: graph.model).run([-4, -3, -2, -1], count: 1)
        #expect(out == [-4, -3, -3, -2, -1, -1, -2, -1, -1])
        let pool = ForwardMaxPool(window: WindowGeometry(inH: 1, inW: 4, kernelH: 1, kernelW: 4, strideH: 1, strideW: 1,
                                                         pads: [0, 0, 0, 0], dilationH: 1, dilationW: 1)!, channels: 1)
        let ties: [Double] = [1, 5, 5, 2]
        #expect(ties.withUnsafeBufferPointer { pool.winner($0.baseAddress!, 0, 0) } == 1)   // ties go to the lowest index
    }

    @Test func aResidualNetworkWithEveryOperation() throws {
        var random = TestRandom(seed: 4)
        var g = ForwardTestGraph(inputShape: [2, 8, 8])
        let c1 = g.add(.conv(conv(2, 4, (3, 3), pads: [1, 1, 1, 1], &random)), shape: [4, 8, 8], name: "conv1")
        let bn = g.add(.channelAffine(scale: random.values(4), shift: random.values(4)), shape: [4, 8, 8])
        let a1 = g.add(.activation(.relu), shape: [4, 8, 8], name: "relu1")
        let c2 = g.add(.conv(conv(4, 4, (3, 3), pads: [1, 1, 1, 1], &random)), shape: [4, 8, 8])
        let a2 = g.add(.activation(.leakyReLU(alpha: 0.1)), shape: [4, 8, 8])
        let sum = g.add(.add, shape: [4, 8, 8], inputs: [a2, a1])            // residual connection
        let mp = g.add(.maxPool(Pool2D(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, pads: [1, 1, 1, 1])), shape: [4, 4, 4])
        let ap = g.add(.averagePool(Pool2D(kernelH: 2, kernelW: 2, strideH: 1, strideW: 1), countIncludePad: false), shape: [4, 3, 3])
        let ab = g.add(.activation(.abs), shape: [4, 3, 3])
        let constant = g.add(.addConstant(random.values(36)), shape: [4, 3, 3])
        let ge = g.add(.activation(.gelu), shape: [4, 3, 3])
        let gap = g.add(.globalAveragePool, shape: [4, 1, 1], inputs: [ge])
        let flat = g.add(.reshape, shape: [4])
        let fc = g.add(.dense(DenseLayer(inputs: 4, outputs: 3, weights: random.values(12), bias: random.values(3))), shape: [3], name: "fc")
        let xs = points(13, 128, &random)
        for value in [c1, bn, a1, c2, a2, sum, mp, ap, ab, constant, ge, gap, flat, fc] {
            try checkAgainstReference(g.model, points: xs, value: value)
        }
        // One row per chunk and one worker give the same bits as the defaults.
        var forward = try GraphForward(model: g.model)
        let whole = try forward.run(xs.flatMap { $0 }, count: xs.count)
        forward.memoryBudget = 1; forward.parallelism = Parallelism(threads: 1)
        #expect(try forward.run(xs.flatMap { $0 }, count: xs.count) == whole)
        forward.parallelism = Parallelism(threads: 2)
        #expect(try forward.run(xs.flatMap { $0 }, count: xs.count) == whole)
        #expect(try forward.value(named: "relu1") == a1)
        #expect(try forward.value(named: "fc") == fc)
        #expect(try forward.value(named: "3") == 3)
        #expect(try forward.value(named: "x") == 0)
        #expect(throws: TesseraError.self) { try forward.value(named: "nonesuch") }
        #expect(throws: TesseraError.self) { try forward.value(named: "15") }
    }

    @Test func theChainGraphOfAnMLPIsItsForwardPass() throws {
        var random = TestRandom(seed: 5)
        for activation in [Activation.relu, .leakyReLU(alpha: 0.01), .abs, .gelu] {
            let network = randomNetwork(widths: [10, 16, 12, 3], activation: activation, random: &random)
            let model = GraphModel(network: network)
            let xs = points(20, 10, &random)
            let forward = try GraphForward(model: model)
            let out = try forward.run(xs.flatMap { $0 }, count: xs.count)
            let expected = xs.flatMap { network.preActivations(at: $0).last! }
            #expect(relativeError(out, expected) <= 1e-12)
            // The first hidden layer's pre-activations, by node position.
            let first = try forward.run(xs.flatMap { $0 }, count: xs.count, value: 1)
            #expect(relativeError(first, xs.flatMap { network.preActivations(at: $0)[0] }) <= 1e-12)
        }
    }

    @Test func malformedGraphsAreOneError() throws {
        var random = TestRandom(seed: 6)
        func rejects(_ model: GraphModel, _ fragment: String) {
            do {
                _ = try GraphForward(model: model)
                Issue.record("accepted a malformed graph (\(fragment))")
            } catch let error as TesseraError {
                #expect(error.description.contains(fragment), "\(error)")
            } catch { Issue.record("unexpected \(error)") }
        }
        var wrongShape = ForwardTestGraph(inputShape: [1, 5, 5])
        wrongShape.add(.conv(conv(1, 2, (3, 3), &random)), shape: [2, 5, 5], name: "c")
        rejects(wrongShape.model, "'c'")
        var wrongWeights = ForwardTestGraph(inputShape: [3])
        wrongWeights.add(.dense(DenseLayer(inputs: 4, outputs: 2, weights: random.values(8), bias: [0, 0])), shape: [2])
        rejects(wrongWeights.model, "layer")
        var padded = ForwardTestGraph(inputShape: [1, 3, 3])
        padded.add(.maxPool(Pool2D(kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, pads: [2, 2, 2, 2])), shape: [1, 6, 6])
        rejects(padded.model, "padding")
        var forwardRead = ForwardTestGraph(inputShape: [2])
        forwardRead.add(.activation(.relu), shape: [2], inputs: [2])
        forwardRead.add(.activation(.relu), shape: [2])
        rejects(forwardRead.model, "not computed before")
        var nan = ForwardTestGraph(inputShape: [2])
        nan.add(.addConstant([1, .nan]), shape: [2])
        rejects(nan.model, "NaN")
        var grouped = ForwardTestGraph(inputShape: [3, 4, 4])
        grouped.add(.conv(Conv2D(inChannels: 3, outChannels: 2, kernelH: 1, kernelW: 1, groups: 2, weights: [1, 1, 1], bias: [0, 0])), shape: [2, 4, 4])
        rejects(grouped.model, "groups")
        let forward = try GraphForward(model: GraphModel(network: randomNetwork(widths: [3, 2], activation: .relu, random: &random)))
        #expect(throws: TesseraError.self) { try forward.run([1, 2, 3, 4], count: 2) }
    }
}

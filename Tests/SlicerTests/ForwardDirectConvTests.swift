import Slicer
import Testing
@testable import Models

/// The direct convolution kernel (ungrouped, output channels a multiple of 8): which convolutions take
/// it, and that every output is the bias plus the fused multiply-add chain over (input channel, kernel
/// row, kernel column) in that order, bit for bit.
@Suite(.timeLimit(.minutes(20))) struct ForwardDirectConvTests {
    func conv(_ cin: Int, _ cout: Int, _ k: (Int, Int), stride: (Int, Int) = (1, 1), pads: [Int] = [0, 0, 0, 0],
              dilation: (Int, Int) = (1, 1), groups: Int = 1, _ random: inout TestRandom) -> Conv2D {
        Conv2D(inChannels: cin, outChannels: cout, kernelH: k.0, kernelW: k.1, strideH: stride.0, strideW: stride.1,
               pads: pads, dilationH: dilation.0, dilationW: dilation.1, groups: groups,
               weights: random.values(cout * cin / groups * k.0 * k.1), bias: random.values(cout))
    }

    /// The kernel's order of operations written out: 0, then acc = fma(w, x, acc) over the terms inside
    /// the input (a padding term adds w·0, which leaves acc unchanged), then bias + acc.
    func fmaChain(_ conv: Conv2D, _ x: [Double], _ inShape: [Int], _ outShape: [Int]) -> [Double] {
        let (h, w, outH, outW) = (inShape[1], inShape[2], outShape[1], outShape[2])
        var out: [Double] = []
        for oc in 0..<conv.outChannels {
            for oh in 0..<outH {
                for ow in 0..<outW {
                    var acc = 0.0
                    for ic in 0..<conv.inChannels {
                        for i in 0..<conv.kernelH {
                            for j in 0..<conv.kernelW {
                                let ih = oh * conv.strideH - conv.pads[0] + i * conv.dilationH
                                let iw = ow * conv.strideW - conv.pads[1] + j * conv.dilationW
                                guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
                                let weight = conv.weights[((oc * conv.inChannels + ic) * conv.kernelH + i) * conv.kernelW + j]
                                acc = acc.addingProduct(weight, x[(ic * h + ih) * w + iw])
                            }
                        }
                    }
                    out.append(conv.bias[oc] + acc)
                }
            }
        }
        return out
    }

    @Test func everyOutputIsTheBiasPlusTheFMAChainInIm2colOrder() throws {
        var random = TestRandom(seed: 21)
        // Pixel counts that leave every remainder of the 6-pixel tile; strides, pads, dilations, 1×1.
        let cases: [([Int], Conv2D, [Int])] = [
            ([1, 7, 6], conv(1, 8, (3, 3), &random), [8, 5, 4]),
            ([3, 5, 5], conv(3, 16, (3, 3), pads: [1, 1, 1, 1], &random), [16, 5, 5]),
            ([2, 7, 6], conv(2, 24, (3, 2), stride: (2, 3), pads: [1, 2, 0, 1], &random), [24, 3, 3]),
            ([2, 9, 8], conv(2, 8, (3, 3), pads: [2, 2, 2, 2], dilation: (2, 3), &random), [8, 9, 6]),
            ([4, 4, 4], conv(4, 8, (1, 1), stride: (2, 2), &random), [8, 2, 2]),
            ([5, 3, 4], conv(5, 16, (1, 1), &random), [16, 3, 4]),
            ([2, 4, 4], conv(2, 8, (4, 4), &random), [8, 1, 1]),
        ]
        for (inShape, conv, outShape) in cases {
            var graph = ForwardTestGraph(inputShape: inShape)
            graph.add(.conv(conv), shape: outShape)
            guard case .conv(let step) = try ForwardStep<Double>(node: 0, of: graph.model) else { Issue.record("not a convolution"); continue }
            #expect(step.direct != nil, "\(conv.outChannels) channels on \(inShape) should take the direct kernel")
            let points = (0..<7).map { _ in random.values(inShape.reduce(1, *)) }
            let forward = try GraphForward(model: graph.model)
            let batched = try forward.run(points.flatMap { $0 }, count: points.count)
            let expected = points.flatMap { fmaChain(conv, $0, inShape, outShape) }
            #expect(batched == expected, "\(inShape) → \(outShape): relative error \(relativeError(batched, expected))")
            // And the straightforward sum agrees to rounding (the chain itself is right).
            let reference = points.flatMap { GraphReference.values(graph.model, at: $0)[1] }
            #expect(relativeError(batched, reference) <= 1e-12)
            #expect(reference.contains { $0 != 0 })
        }
    }

    @Test func groupedOrOddChannelConvolutionsKeepTheGemmPath() throws {
        var random = TestRandom(seed: 22)
        let window = WindowGeometry(inH: 5, inW: 5, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, pads: [1, 1, 1, 1],
                                    dilationH: 1, dilationW: 1)!
        #expect(ForwardDirectConv<Double>(conv(4, 16, (3, 3), groups: 2, &random), window: window) == nil)
        #expect(ForwardDirectConv<Double>(conv(4, 12, (3, 3), &random), window: window) == nil)
        #expect(ForwardDirectConv<Double>(conv(4, 32, (3, 3), &random), window: window) != nil)
    }
}

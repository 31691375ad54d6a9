import Slicer
import Testing
@testable import Models

/// Winograd F(2×2, 3×3) in the float32 pass: which convolutions take it, that it is the convolution
/// (exactly, where every intermediate is representable), and that `ForwardErrorBound` covers its
/// rounding on every fixture it applies to.
@Suite(.timeLimit(.minutes(20))) struct ForwardWinogradConvTests {
    func conv(_ cin: Int, _ cout: Int, pads: [Int], _ random: inout TestRandom) -> Conv2D {
        func small(_ count: Int) -> [Double] { (0..<count).map { _ in Double(Int(random.next() % 9)) - 4 } }
        return Conv2D(inChannels: cin, outChannels: cout, kernelH: 3, kernelW: 3, pads: pads,
                      weights: small(cout * cin * 9), bias: small(cout))
    }

    /// Small integers keep every intermediate (U's quarters included) exact in float32, so the
    /// transform must give the direct sum to the last bit: a wrong matrix entry, tile origin, dropped
    /// edge pixel or mis-packed weight shows.
    @Test func onSmallIntegersItIsTheConvolutionExactly() throws {
        var random = TestRandom(seed: 31)
        // Odd and even sizes, asymmetric pads, one block of tiles and several (28×28: 196 tiles), 6-tile remainders;
        // widths of 8 and more with 8k channels take the 8×8 transposed copy (17: an overlapping last block).
        let cases: [([Int], [Int], Int)] = [
            ([1, 5, 7], [1, 1, 1, 1], 16), ([3, 6, 6], [0, 0, 0, 0], 32), ([2, 7, 4], [2, 0, 1, 2], 16),
            ([4, 28, 28], [1, 1, 1, 1], 16), ([5, 3, 3], [0, 0, 0, 0], 16), ([16, 9, 11], [1, 2, 0, 1], 32), ([8, 5, 17], [1, 1, 1, 1], 16),
        ]
        for (inShape, pads, cout) in cases {
            let c = conv(inShape[0], cout, pads: pads, &random)
            let window = WindowGeometry(inH: inShape[1], inW: inShape[2], kernelH: 3, kernelW: 3, strideH: 1, strideW: 1,
                                        pads: pads, dilationH: 1, dilationW: 1)!
            var graph = ForwardTestGraph(inputShape: inShape)
            graph.add(.conv(c), shape: [cout, window.outH, window.outW])
            guard case .conv(let step) = try ForwardStep<Float>(node: 0, of: graph.model) else { Issue.record("not a convolution"); continue }
            #expect(step.winograd != nil, "\(inShape) → \(cout) should take Winograd in float32")
            let points = (0..<3).map { _ in (0..<inShape.reduce(1, *)).map { _ in Double(Int(random.next() % 9)) - 4 } }
            let winograd = try GraphForward(model: graph.model, scalar: Float.self).run(points.flatMap { $0 }, count: points.count)
            let direct = try GraphForward(model: graph.model).run(points.flatMap { $0 }, count: points.count)
            let differing = zip(winograd, direct).filter { $0 != $1 }.count
            #expect(winograd.count == direct.count && differing == 0,
                    "\(inShape) pads \(pads): \(differing) values differ, relative error \(relativeError(winograd, direct))")
            #expect(direct.contains { $0 != 0 })
        }
    }

    /// A ReLU read only by Winograd convolutions is applied by them as they read (its node then shares its
    /// input's storage): on small integers the float32 pass stays the float64 one to the last bit, at every
    /// value, with the ReLUs fused where their values are not asked for and computed where they are.
    @Test func aReLUReadOnlyByWinogradConvolutionsIsAppliedAsTheyRead() throws {
        var random = TestRandom(seed: 33)
        // Weights in −1…1 keep three layers' sums (and Winograd's quarters) exact in float32.
        func unit(_ count: Int) -> [Double] { (0..<count).map { _ in Double(Int(random.next() % 3)) - 1 } }
        var graph = ForwardTestGraph(inputShape: [1, 6, 9])
        for (cin, last) in [(1, false), (16, false), (16, true)] {
            let conv = Conv2D(inChannels: cin, outChannels: 16, kernelH: 3, kernelW: 3, pads: [1, 1, 1, 1],
                              weights: unit(16 * cin * 9), bias: (0..<16).map { _ in Double(Int(random.next() % 9)) - 4 })
            graph.add(.conv(conv), shape: [16, 6, 9])
            if !last { graph.add(.activation(.relu), shape: [16, 6, 9]) }
        }
        let forward32 = try GraphForward(model: graph.model, scalar: Float.self), forward64 = try GraphForward(model: graph.model)
        let fusing = ForwardPlan(model: graph.model, steps: forward32.steps, needed: [5], given: [0], returned: [5])
        #expect(fusing.rectifiedByReaders == [false, true, false, true, false] && fusing.rectifiesInput == [false, false, true, false, true])
        let observing = ForwardPlan(model: graph.model, steps: forward32.steps, needed: [5], given: [0], returned: [5], observed: [2, 4])
        #expect(!observing.rectifiedByReaders.contains(true))
        let points = (0..<3).flatMap { _ in (0..<54).map { _ in Double(Int(random.next() % 9)) - 4 } }
        for value in 1...5 {
            let z32 = try forward32.run(points, count: 3, value: value), z64 = try forward64.run(points, count: 3, value: value)
            let differing = zip(z32, z64).filter { $0 != $1 }.count
            #expect(z32.count == z64.count && differing == 0, "value \(value): \(differing) differ, relative error \(relativeError(z32, z64))")
            #expect(z64.contains { $0 < 0 } == (value % 2 == 1), "value \(value): negative values only before a ReLU")
        }
    }

    @Test func onlyUnitStrideUndilatedUngrouped3x3ConvolutionsInFloat32TakeIt() throws {
        var random = TestRandom(seed: 32)
        let window = WindowGeometry(inH: 6, inW: 6, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, pads: [1, 1, 1, 1],
                                    dilationH: 1, dilationW: 1)!
        let plain = conv(4, 16, pads: [1, 1, 1, 1], &random)
        #expect(ForwardWinogradConv<Float>(plain, window: window) != nil)
        #expect(ForwardWinogradConv<Double>(plain, window: window) == nil)
        var strided = plain; strided.strideH = 2
        var dilated = plain; dilated.dilationW = 2
        var grouped = plain; grouped.groups = 2
        let odd = conv(4, 24, pads: [1, 1, 1, 1], &random)
        for other in [strided, dilated, grouped, odd] { #expect(!ForwardWinogradConv<Float>.applies(other)) }
    }

    /// Every fixture with a convolution the float32 pass runs by Winograd: the float32 values lie within
    /// the a priori bound of the float64 ones at every node. Prints the largest error relative to each
    /// convolution's value scale, and how much of its bound it used.
    @Test func theBoundCoversWinogradsRoundingOnEveryFixture() throws {
        var checked = 0
        for fixture in try GraphForwardFixtureTests.fixtures() {
            let model = try ModelLoader.load(path: GraphForwardFixtureTests.path(fixture.file))
            let forward32 = try GraphForward(model: model, scalar: Float.self), forward64 = try GraphForward(model: model)
            let winogradNodes = model.nodes.indices.filter { n in
                if case .conv(let step) = forward32.steps[n] { return step.winograd != nil } else { return false }
            }
            guard !winogradNodes.isEmpty else { continue }
            let inputs = try NPY.read(path: GraphForwardFixtureTests.path(fixture.inputs))
            let count = inputs.shape[0], x = inputs.values
            let plan = ForwardPlan(model: model, steps: forward64.steps, needed: [model.outputValue], given: [0],
                                   returned: Set(1...model.nodes.count))
            let bounded = ForwardErrorBound.propagate(forward64, plan, rows: count, given: [0: (x, x.map { ForwardErrorBound.u * Swift.abs($0) })])
            for value in 1...model.nodes.count {
                let z32 = try forward32.run(x, count: count, value: value)
                let (z64, bound) = bounded[value]!
                var worst = 0.0, used = 0.0
                for i in z64.indices {
                    #expect(Swift.abs(z32[i] - z64[i]) <= bound[i], "\(fixture.file) value \(value) index \(i)")
                    worst = max(worst, Swift.abs(z32[i] - z64[i]))
                    if bound[i] > 0 { used = max(used, Swift.abs(z32[i] - z64[i]) / bound[i]) }
                }
                if winogradNodes.contains(value - 1) {
                    let scale = z64.map(Swift.abs).max() ?? 0
                    print("\(fixture.file) node \(value) (Winograd): max |Δ| \(worst) = \(worst / scale) of the value scale; at most \(used) of its bound")
                    checked += 1
                }
            }
        }
        #expect(checked >= 4)
    }
}

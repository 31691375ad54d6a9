import Slicer
import Testing
@testable import Engine
@testable import Models

/// The graph engine updates its float maps in place along the depth-first path; these tests check
/// that what it computes that way is bit for bit what a fresh evaluation of each region gives.
@Suite(.timeLimit(.minutes(20))) struct GraphEngineIncrementalTests {
    /// Every value of region f from scratch: each affine node applied in full, each activation with
    /// the region's pattern.
    func freshMaps(_ engine: GraphSubdivision, region f: Int) -> [FloatValueMap] {
        var maps = [engine.inputMap()]
        for (index, step) in engine.plan.steps.enumerated() {
            let inputs = engine.plan.graph.nodes[index].inputs.map { maps[$0] }
            switch step {
            case .affine(let operation):
                maps.append(operation.apply(inputs))
            case .piecewise, .maxPool:
                let m = engine.plan.activationNodes.firstIndex(of: index)!
                maps.append(engine.levelOutput(m, inputs[0], pattern: engine.facePattern[f]))
            }
        }
        return maps
    }

    @Test(arguments: 0..<14)
    func logitsOfEveryRegionEqualAFreshEvaluation(index: Int) throws {
        let testCase = graphVerificationCase(index, seed: 11)
        let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        let k = engine.outputCount
        #expect(engine.topology.faces.count > 1 || ["zero-bias", "duplicated-dead"].contains(testCase.family),
                "a non-trivial partition: \(testCase)")
        for f in engine.topology.faces.indices {
            let output = freshMaps(engine, region: f)[engine.plan.graph.outputValue]
            let logits = Array(engine.logits[(f * 3 * k)..<((f + 1) * 3 * k)])
            #expect(logits == output.rows, "region \(f) of \(testCase)")
        }
    }

    /// The same with max pools (one case of each max-pool family): entering a piece recomputes a
    /// pool's output from its winner bits.
    @Test(arguments: 0..<5)
    func logitsWithMaxPoolsEqualAFreshEvaluation(index: Int) throws {
        let testCase = maxPoolVerificationCase(index, seed: 11)
        let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        let k = engine.outputCount
        #expect(engine.topology.faces.count > 1, "a non-trivial partition: \(testCase)")
        for f in engine.topology.faces.indices {
            let output = freshMaps(engine, region: f)[engine.plan.graph.outputValue]
            let logits = Array(engine.logits[(f * 3 * k)..<((f + 1) * 3 * k)])
            #expect(logits == output.rows, "region \(f) of \(testCase)")
        }
    }

    @Test func theConvolutionsDependentsAreExactlyTheOutputsReadingAUnit() throws {
        // Stride 2, padding, dilation 2 and two groups.
        let conv = Conv2D(inChannels: 4, outChannels: 6, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1, pads: [1, 0, 2, 1],
                          dilationH: 2, dilationW: 1, groups: 2, weights: (0..<(6 * 2 * 3 * 2)).map { Double($0 % 5) - 1.5 },
                          bias: [Double](repeating: 0.25, count: 6))
        let h = 7, w = 5
        let oh = (h + 1 + 2 - 2 * 2 - 1) / 2 + 1, ow = (w + 0 + 1 - 1 * 1 - 1) / 1 + 1
        let operation = ConvOperation(conv: conv, inputHeight: h, inputWidth: w, outputHeight: oh, outputWidth: ow)
        var readers = [Set<Int>](repeating: [], count: 4 * h * w)
        for u in 0..<operation.outputCount { operation.forEachTap(of: u) { _, index, _ in readers[index].insert(u) } }
        for index in 0..<(4 * h * w) {
            var dependents = Set<Int>()
            operation.forEachDependent(ofInput: 0, unit: index) { dependents.insert($0) }
            // Zero weights are skipped by the taps but may be listed as dependents: a superset is correct.
            #expect(dependents.isSuperset(of: readers[index]), "input \(index)")
            let window = Set((0..<operation.outputCount).filter { u in
                var reads = false
                let plane = oh * ow, o = u / plane, oy = (u % plane) / ow, ox = u % ow
                let channel = index / (h * w), iy = (index / w) % h, ix = index % w
                guard channel / 2 == o / 3 else { return false }
                for ky in 0..<3 where oy * 2 - 1 + ky * 2 == iy { for kx in 0..<2 where ox - 0 + kx == ix { reads = true } }
                return reads
            })
            #expect(dependents == window, "input \(index)")
        }
    }

    /// A convolution with stride 2, padding, dilation 2 and two groups, on a 4×7×5 input.
    func oddConvolution() -> ConvOperation {
        let conv = Conv2D(inChannels: 4, outChannels: 6, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1, pads: [1, 0, 2, 1],
                          dilationH: 2, dilationW: 1, groups: 2, weights: (0..<(6 * 2 * 3 * 2)).map { Double($0 % 5) - 1.5 },
                          bias: [Double](repeating: 0.25, count: 6))
        return ConvOperation(conv: conv, inputHeight: 7, inputWidth: 5, outputHeight: 3, outputWidth: 5)
    }

    @Test func theConvolutionsListedDependentsAreEachReaderOnce() throws {
        let operation = oddConvolution()
        var random = SeededGenerator(seed: 5)
        for trial in 0..<200 {
            let units = (0..<(1 + trial % 9)).map { _ in Int(random.next() % 140) }
            var readers = Set<Int>()
            for u in units { operation.forEachDependent(ofInput: 0, unit: u) { readers.insert($0) } }
            let listed = try #require(operation.dependents(ofInput: 0, units: units))
            #expect(listed.count == Set(listed).count, "units \(units) listed twice")
            #expect(Set(listed) == readers, "units \(units)")
        }
    }

    /// Partial updates keep partial sums between calls: after any run of them, every output is
    /// bit for bit the fresh evaluation of the current input.
    @Test(arguments: ["conv", "dense"])
    func partialUpdatesEqualAFreshEvaluation(kind: String) throws {
        let operation: any AffineOperation = kind == "conv" ? oddConvolution()
            : DenseOperation(layer: DenseLayer(inputs: 3000, outputs: 5, weights: (0..<15000).map { Double(($0 * 7) % 11) - 5.25 },
                                               bias: [0.5, -1, 2, 0, 3]))
        let inputCount = kind == "conv" ? 140 : 3000
        var random = SeededGenerator(seed: 9)
        func value() -> Double { Double(Float(random.workloadNormal())) }
        var input = FloatValueMap(count: inputCount, rows: (0..<(3 * inputCount)).map { _ in value() })
        var out = operation.apply([input])
        for trial in 0..<100 {
            let changed = Array(Set((0..<(1 + trial % 7)).map { _ in Int(random.next() % UInt64(inputCount)) }))
            for u in changed { for r in 0..<3 { input.rows[r * inputCount + u] = value() } }
            let units = operation.dependents(ofInput: 0, units: changed) ?? Array(0..<operation.outputCount)
            operation.update(&out, units: units, changed: [changed], inputs: [input])
            #expect(out.rows == operation.apply([input]).rows, "trial \(trial), changed \(changed)")
        }
    }
}

import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Transformations of a graph that leave its partition unchanged.
@Suite(.timeLimit(.minutes(20))) struct GraphEngineMetamorphicTests {
    /// A case of a family, with a non-trivial partition.
    func interestingCases(_ family: String, count: Int) throws -> [GraphVerificationCase] {
        var found: [GraphVerificationCase] = []
        var index = graphVerificationFamilies.firstIndex(of: family)!
        while found.count < count {
            let testCase = graphVerificationCase(index, seed: 9)
            let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
            if engine.topology.faces.count >= 8 { found.append(testCase) }
            index += graphVerificationFamilies.count
        }
        return found
    }

    /// The dense matrix of a convolution, read from its unit's taps.
    func unrolled(_ operation: ConvOperation, inputs: Int) -> DenseLayer {
        let n = operation.outputCount
        var weights = [Double](repeating: 0, count: n * inputs)
        for u in 0..<n { operation.forEachTap(of: u) { _, i, w in weights[u * inputs + i] = w } }
        return DenseLayer(inputs: inputs, outputs: n, weights: weights, bias: (0..<n).map { operation.bias(of: $0) })
    }

    @Test func convolutionsUnrolledIntoDenseLayersGiveIdenticalPartitions() throws {
        for testCase in try interestingCases("conv", count: 1) {
            let plan = try GraphPlan(testCase.graph)
            var dense = testCase.graph
            for (index, step) in plan.steps.enumerated() {
                guard case .affine(let operation) = step, let conv = operation as? ConvOperation else { continue }
                dense.nodes[index].op = .dense(unrolled(conv, inputs: plan.valueCounts[testCase.graph.nodes[index].inputs[0]]))
                dense.nodes[index].opType = "Gemm"
            }
            #expect(dense != testCase.graph)
            for arithmetic in [Arithmetic.certified, .exact] {
                let a = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: arithmetic)
                let b = try runGraphEngine(dense, anchors: testCase.anchors, domain: testCase.domain, arithmetic: arithmetic)
                #expect(CombinatorialSignature(a) == CombinatorialSignature(b), "\(testCase)")
            }
        }
    }

    @Test(arguments: [Activation.relu, .abs])
    func residualBlockWithZeroWeightsIsTheIdentity(activation: Activation) throws {
        var random = SeededGenerator(seed: 77)
        func values(_ count: Int) -> [Double] { (0..<count).map { _ in Double(Float(random.workloadNormal() * 0.6)) } }
        let stemConv = Conv2D(inChannels: 1, outChannels: 2, kernelH: 2, kernelW: 2, weights: values(8), bias: values(2))
        let head = DenseLayer(inputs: 18, outputs: 3, weights: values(54), bias: values(3))
        func model(withBlock: Bool) -> GraphModel {
            var builder = GraphBuilder(inputShape: [1, 4, 4])
            var v = builder.activation(builder.conv(0, stemConv), activation)
            if withBlock {
                let zero = Conv2D(inChannels: 2, outChannels: 2, kernelH: 3, kernelW: 3, pads: [1, 1, 1, 1],
                                  weights: [Double](repeating: 0, count: 36), bias: [0, 0])
                v = builder.sum(builder.activation(builder.conv(v, zero), activation), v)
            }
            v = builder.activation(v, activation)
            builder.dense(builder.flatten(v), head)
            return builder.graph
        }
        let anchors = (0..<3).map { _ in (0..<16).map { _ in Double(Float(random.nextUnit())) } }
        for arithmetic in [Arithmetic.certified, .exact] {
            let a = try runGraphEngine(model(withBlock: true), anchors: anchors, domain: .square(scale: 1.5), arithmetic: arithmetic)
            let b = try runGraphEngine(model(withBlock: false), anchors: anchors, domain: .square(scale: 1.5), arithmetic: arithmetic)
            #expect(b.topology.faces.count > 4, "a non-trivial partition")
            #expect(a.topology.faces.map(\.vertices) == b.topology.faces.map(\.vertices))
            #expect(a.vertexRecords.count == b.vertexRecords.count)
            #expect(a.topology.edges.map { [$0.from, $0.to, $0.faceA, $0.faceB] } == b.topology.edges.map { [$0.from, $0.to, $0.faceA, $0.faceB] })
            // The block's activation (level 2, 18 units) never splits and is off everywhere; levels 1
            // and 3 of the block model are levels 1 and 2 of the plain one.
            let block = a.plan.patternOffsets[1]..<a.plan.patternOffsets[2]
            for (p, q) in zip(a.facePattern, b.facePattern) {
                #expect(block.allSatisfy { !p[$0] })
                let projected = (0..<a.plan.patternBits).filter { !block.contains($0) }.map { p[$0] }
                #expect(projected == (0..<b.plan.patternBits).map { q[$0] })
            }
            #expect(a.layerStats[1].neuronsCut == 0 && a.layerStats[1].regions == a.layerStats[0].regions)
        }
    }

    @Test func batchNormWithPowerOfTwoScalesEqualsTheFoldedConvolution() throws {
        for testCase in try interestingCases("conv", count: 1) {
            var random = SeededGenerator(seed: 3)
            var folded = testCase.graph
            var normalised = GraphBuilder(inputShape: testCase.graph.inputShape)
            // Insert a batch norm after the first convolution; fold it into the convolution for the other.
            guard case .conv(var conv) = testCase.graph.nodes[0].op else { Issue.record("no convolution first"); continue }
            let scale = (0..<conv.outChannels).map { _ in [0.25, 0.5, 2, 4, -2][Int(random.next() % 5)] }
            let shift = (0..<conv.outChannels).map { _ in Double(Int(random.next() % 9) - 4) / 8 }
            var v = normalised.batchNorm(normalised.conv(0, conv), scale: scale, shift: shift)
            for node in testCase.graph.nodes.dropFirst() {
                v = normalised.add(node.op, node.opType, inputs: node.inputs.map { $0 == 0 ? 0 : $0 + 1 }, shape: node.shape)
            }
            let per = conv.weights.count / conv.outChannels
            conv.weights = conv.weights.enumerated().map { $0.element * scale[$0.offset / per] }
            conv.bias = conv.bias.enumerated().map { $0.element * scale[$0.offset] + shift[$0.offset] }
            folded.nodes[0].op = .conv(conv)
            for arithmetic in [Arithmetic.certified, .exact] {
                let a = try runGraphEngine(normalised.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: arithmetic)
                let b = try runGraphEngine(folded, anchors: testCase.anchors, domain: testCase.domain, arithmetic: arithmetic)
                #expect(b.topology.faces.count > 1)
                #expect(CombinatorialSignature(a) == CombinatorialSignature(b), "\(testCase)")
            }
            let result = try slice(graph: normalised.graph, anchors: testCase.anchors, options: SliceOptions(domain: testCase.domain))
            #expect(result.batchNormScale && sliceReport(result)["batchnorm_scale"] as? String == "float64")
        }
    }

    /// Regions, vertices, edges, patterns, edge labels, per-layer statistics and boundary segments.
    struct Summary: Equatable {
        var regions: Int, vertices: Int, edges: Int, boundary: Int
        var patterns: Set<ActivationPattern>
        var edgeLabels: [[Int]]
        var layers: [LayerStats]
        init(_ result: SliceResult) {
            regions = result.regions.count; vertices = result.vertices.count; edges = result.edges.count
            boundary = result.boundarySegments.count
            patterns = Set(result.regions.map(\.pattern))
            edgeLabels = result.edges.map { [$0.layer, $0.neuron] }.sorted { $0.lexicographicallyPrecedes($1) }
            layers = result.layers
        }
    }

    @Test func theGraphEngineOnAnMLPEqualsTheMLPEngine() throws {
        var nonTrivial = 0, withBoundary = 0
        for index in 0..<24 {
            let testCase = verificationCase(index, seed: 21)
            guard testCase.family != "wide" else { continue }
            let graph = GraphModel(network: testCase.network)
            #expect(graph.chainNetwork == testCase.network)
            let plane = try SlicePlane(anchors: testCase.anchors)
            let options = SliceOptions(domain: testCase.domain)
            let mlp = try slice(network: testCase.network, plane: plane, options: options)
            let viaGraph = try sliceWithGraphEngine(graph: graph, plane: plane, options: options)
            #expect(Summary(mlp) == Summary(viaGraph), "\(testCase)")
            // Decision boundaries along region edges included, both arithmetics agree on the graph too.
            let graphCase = GraphVerificationCase(graph: graph, anchors: testCase.anchors, domain: testCase.domain, family: testCase.family)
            #expect(try compareGraphArithmetics(graphCase) == nil, "\(testCase)")
            if viaGraph.boundarySegments.count > 0 { withBoundary += 1 }
            if mlp.regions.count > 10 { nonTrivial += 1 }
        }
        #expect(nonTrivial >= 5)
        #expect(withBoundary >= 5)
    }
}

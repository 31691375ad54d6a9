import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Transformations of a network that leave its function's partition unchanged.
@Suite(.timeLimit(.minutes(20))) struct MetamorphicTests {
    /// Region count, vertex and edge counts, and the set of patterns with each hidden neuron renamed.
    func summary(_ network: Network, _ anchors: [[Double]], rename: (Int) -> Int? = { $0 }) throws -> (Int, Int, Int, Set<[Int]>) {
        let (engine, result) = try runEngine(network, anchors: anchors, arithmetic: .certified)
        let patterns = Set(engine.facePattern.map { pattern in
            (0..<engine.totalHidden).filter { pattern[$0] }.compactMap(rename).sorted()
        })
        return (result.regions.count, result.vertices.count, result.edges.count, patterns)
    }

    /// A non-trivial partition, and the same counts and patterns on both sides.
    func expectSamePartition(_ a: (Int, Int, Int, Set<[Int]>), _ b: (Int, Int, Int, Set<[Int]>),
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.0 > 10, "a non-trivial partition", sourceLocation: sourceLocation)
        #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2, sourceLocation: sourceLocation)
        #expect(a.3 == b.3, sourceLocation: sourceLocation)
    }

    func baseCase(_ seed: UInt64) -> (Network, [[Double]]) {
        var random = TestRandom(seed: seed)
        let network = randomNetwork(widths: [4, 6, 5, 3], activation: .relu, random: &random)
        let anchors = (0..<3).map { _ in (0..<4).map { _ in random.uniform() } }
        return (network, anchors)
    }

    @Test(arguments: 1...6 as ClosedRange<UInt64>)
    func permutingNeuronsRenamesPatterns(seed: UInt64) throws {
        let (network, anchors) = baseCase(seed)
        // Reverse the first hidden layer's neurons: rows of W1, b1 and columns of W2.
        var permuted = network
        let n = network.layers[0].outputs, inputs = network.layers[0].inputs
        let order = Array((0..<n).reversed())
        permuted.layers[0].weights = order.flatMap { j in (0..<inputs).map { network.layers[0].weight(j, $0) } }
        permuted.layers[0].bias = order.map { network.layers[0].bias[$0] }
        let next = network.layers[1]
        permuted.layers[1].weights = (0..<next.outputs).flatMap { r in order.map { next.weight(r, $0) } }
        let a = try summary(network, anchors)
        let b = try summary(permuted, anchors, rename: { $0 < n ? n - 1 - $0 : $0 })
        expectSamePartition(a, b)
    }

    @Test(arguments: 1...6 as ClosedRange<UInt64>)
    func powerOfTwoRescalingChangesNothing(seed: UInt64) throws {
        let (network, anchors) = baseCase(seed)
        // Neuron 2 of layer 2: in-weights and bias × 2^5, out-weights × 2^−5 (ReLU is positively homogeneous).
        var scaled = network
        let layer = network.layers[1], j = 2
        for i in 0..<layer.inputs { scaled.layers[1].weights[j * layer.inputs + i] *= 32 }
        scaled.layers[1].bias[j] *= 32
        let next = network.layers[2]
        for r in 0..<next.outputs { scaled.layers[2].weights[r * next.inputs + j] /= 32 }
        let a = try summary(network, anchors), b = try summary(scaled, anchors)
        expectSamePartition(a, b)
    }

    @Test(arguments: 1...6 as ClosedRange<UInt64>)
    func duplicatingANeuronChangesNoRegion(seed: UInt64) throws {
        let (network, anchors) = baseCase(seed)
        // Append a copy of neuron 1 of layer 1 and split its out-weights in halves (exact) between the twins.
        var duplicated = network
        let first = network.layers[0], next = network.layers[1]
        let n = first.outputs
        duplicated.layers[0] = DenseLayer(inputs: first.inputs, outputs: n + 1,
            weights: first.weights + (0..<first.inputs).map { first.weight(1, $0) }, bias: first.bias + [first.bias[1]])
        var weights: [Double] = []
        for r in 0..<next.outputs {
            var row = (0..<n).map { next.weight(r, $0) }
            row[1] /= 2
            weights += row + [row[1]]
        }
        duplicated.layers[1] = DenseLayer(inputs: n + 1, outputs: next.outputs, weights: weights, bias: next.bias)
        let a = try summary(network, anchors)
        // The twin (index n) always agrees with neuron 1; later layers shift by one.
        let b = try summary(duplicated, anchors, rename: { $0 == n ? nil : ($0 > n ? $0 - 1 : $0) })
        expectSamePartition(a, b)
    }
}

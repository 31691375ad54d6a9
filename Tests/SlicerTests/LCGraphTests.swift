import Foundation
import Slicer
import Testing
@testable import Analysis
@testable import Models
import TestSupport

/// The LC estimator on graph models: the MLP case against the pre-graph estimator, a CNN against
/// per-vertex reference forward passes, max-pool windows counted by hand.
@Suite(.oneAtATime, .timeLimit(.minutes(20))) struct LCGraphTests {
    func samples(_ count: Int, _ dimension: Int, _ random: inout TestRandom) -> [[Double]] {
        (0..<count).map { _ in (0..<dimension).map { _ in (random.uniform() + 1) / 2 } }
    }

    @Test func anMLPCountsExactlyAsThePreGraphEstimator() throws {
        var random = TestRandom(seed: 21)
        let cases: [([Int], Activation, Int)] = [
            ([6, 40, 3], .relu, 4), ([5, 12, 12, 4], .leakyReLU(alpha: 0.1), 3), ([8, 30, 30, 2], .abs, 5),
            ([7, 20, 20, 20, 3], .gelu, 6), ([784, 200, 200, 10], .relu, 25),
        ]
        var total = 0
        for (widths, activation, p) in cases {
            let network = randomNetwork(widths: widths, activation: activation, random: &random)
            let frame = try LCDirections.random(count: p, dimension: widths[0], seed: UInt64(p))
            let xs = samples(widths[0] > 100 ? 12 : 70, widths[0], &random)
            for includeOutput in [false, true] {
                let radii = [0, 0.01, 0.3, 100.0]
                var legacy = try LegacyMLPEstimator(network: network, directions: frame, radii: radii, includeOutput: includeOutput)
                var graph = try LCEstimator(network: network, directions: frame, radii: radii, includeOutput: includeOutput, precision: .float32)
                let expected = try legacy.estimate(samples: xs)
                #expect(try graph.estimate(samples: xs) == expected)
                #expect(graph.countedLayers == legacy.countedLayers)
                legacy.factorFirstLayer = false; graph.factorFirstLayer = false
                #expect(try graph.estimate(samples: xs) == legacy.estimate(samples: xs))
                graph.parallelism = Parallelism(threads: 1); graph.chunkSize = 7; graph.factorFirstLayer = true
                #expect(try graph.estimate(samples: xs) == expected)
                total += expected.map { $0.totals.reduce(0, +) }.reduce(0, +)
            }
        }
        #expect(total > 0)
    }

    /// input [1,6,6] → conv → relu → maxpool → conv → relu → flatten → dense.
    func smallCNN(_ random: inout TestRandom) -> GraphModel {
        var g = ForwardTestGraph(inputShape: [1, 6, 6])
        g.add(.conv(Conv2D(inChannels: 1, outChannels: 3, kernelH: 3, kernelW: 3, pads: [1, 1, 1, 1],
                           weights: random.values(27), bias: random.values(3, scale: 0.3))), shape: [3, 6, 6], name: "conv1")
        g.add(.activation(.relu), shape: [3, 6, 6], name: "relu1")
        g.add(.maxPool(Pool2D(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2)), shape: [3, 3, 3], name: "pool")
        g.add(.conv(Conv2D(inChannels: 3, outChannels: 2, kernelH: 3, kernelW: 3, pads: [1, 1, 1, 1],
                           weights: random.values(54), bias: random.values(2, scale: 0.3))), shape: [2, 3, 3], name: "conv2")
        g.add(.activation(.relu), shape: [2, 3, 3], name: "relu2")
        g.add(.reshape, shape: [18], name: "flatten")
        g.add(.dense(DenseLayer(inputs: 18, outputs: 3, weights: random.values(54), bias: random.values(3))), shape: [3], name: "fc")
        return g.model
    }

    /// Per counted layer, the count for one sample from reference forward passes of its vertices.
    func referenceCounts(_ model: GraphModel, _ layers: [LCLayer], x: [Double], frame: [[Double]], radius: Double) -> [Int] {
        let vertices = frame.flatMap { v in [zip(x, v).map { $0 + radius * $1 }, zip(x, v).map { $0 - radius * $1 }] }
        let values = vertices.map { GraphReference.values(model, at: $0) }
        return layers.map { layer in
            switch layer.kind {
            case .activation, .output:
                return (0..<layer.units).filter { j in Set(values.map { v in v[layer.value][j] > 0 ? 1 : v[layer.value][j] < 0 ? -1 : 0 }).count > 1 }.count
            case .maxPool:
                guard case .maxPool(let pool) = model.nodes[layer.node].op else { return -1 }
                let shape = model.shape(ofValue: layer.value), out = model.nodes[layer.node].shape
                var changed = 0
                for c in 0..<shape[0] {
                    for oh in 0..<out[1] {
                        for ow in 0..<out[2] {
                            // The winner: the first position (row-major in the window) of the largest value.
                            let winners = Set(values.map { v -> Int in
                                var best = -Double.infinity, index = -1
                                for i in 0..<pool.kernelH {
                                    for j in 0..<pool.kernelW {
                                        let ih = oh * pool.strideH + i, iw = ow * pool.strideW + j
                                        let flat = (c * shape[1] + ih) * shape[2] + iw
                                        if v[layer.value][flat] > best { best = v[layer.value][flat]; index = flat }
                                    }
                                }
                                return index
                            })
                            if winners.count > 1 { changed += 1 }
                        }
                    }
                }
                return changed
            }
        }
    }

    @Test func aCNNCountsAsReferenceForwardPassesOfItsVertices() throws {
        var random = TestRandom(seed: 22)
        let model = smallCNN(&random)
        let frame = try LCDirections.random(count: 6, dimension: 36, seed: 3)
        let xs = samples(25, 36, &random)
        var estimator = try LCEstimator(model: model, directions: frame, radii: [0.05, 0.5], includeOutput: true,
                                        countMaxPoolWindows: true, precision: .float32)
        #expect(estimator.layers.map(\.name) == ["relu1", "pool", "relu2", "fc"])
        #expect(estimator.layers.map(\.index) == [1, 2, 3, 4])
        #expect(estimator.layers.map(\.kind) == [.activation, .maxPool, .activation, .output])
        #expect(estimator.layers.map(\.units) == [108, 27, 18, 3])
        let results = try estimator.estimate(samples: xs)
        for (r, radius) in [0.05, 0.5].enumerated() {
            for (s, x) in xs.enumerated() {
                #expect(results[r].counts[s] == referenceCounts(model, estimator.layers, x: x, frame: frame, radius: radius))
            }
        }
        #expect(results[1].layerMeans.allSatisfy { $0 > 0 })
        // Forwarding the vertices themselves, one sample per chunk, one worker: the same counts.
        estimator.factorFirstLayer = false; estimator.chunkSize = 1; estimator.parallelism = Parallelism(threads: 1)
        #expect(try estimator.estimate(samples: xs) == results)
        // A budget too small for one sample still runs one sample per chunk.
        estimator.factorFirstLayer = true; estimator.memoryBudget = 1; estimator.parallelism = Parallelism(threads: 2)
        #expect(estimator.samplesPerChunk == 1)
        #expect(try estimator.estimate(samples: xs) == results)
        // Without the options: the two activations only.
        let plain = try LCEstimator(model: model, directions: frame, radii: [0.5], precision: .float32).estimate(samples: xs)[0]
        #expect(plain.counts == results[1].counts.map { [$0[0], $0[2]] })
    }

    @Test func maxPoolWindowsCountedByHand() throws {
        // Input [1, 2, 4], 2×2 windows: A reads flat positions {0, 1, 4, 5}, B reads {2, 3, 6, 7}.
        var g = ForwardTestGraph(inputShape: [1, 2, 4])
        g.add(.maxPool(Pool2D(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2)), shape: [1, 1, 2], name: "pool")
        g.add(.reshape, shape: [2])
        g.add(.dense(DenseLayer(inputs: 2, outputs: 1, weights: [1, -1], bias: [0])), shape: [1])
        // x: A's winner is position 0 (value 3), B's is position 6 (value 1). Directions e0 and e2.
        let x: [Double] = [3, 0, 0, 0, 0, 0, 1, 0]
        let frame: [[Double]] = [[1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0, 0]]
        let estimator = try LCEstimator(model: g.model, directions: frame, radii: [0.5, 1, 4], countMaxPoolWindows: true, precision: .float32)
        let counts = try estimator.estimate(samples: [x]).map { $0.counts[0] }
        // r = 0.5: 3 ± 0.5 still wins A, 0 ± 0.5 < 1 in B: nothing changes.
        // r = 1: x + e2 ties B's positions 2 and 6 at 1, and the tie goes to position 2: B changes.
        // r = 4: x − 4e0 makes A's winner position 1 (the first 0), and x + 4e2 wins B at 2: both change.
        #expect(counts == [[0], [1], [2]])
        #expect(throws: TesseraError.self) { try LCEstimator(model: g.model, directions: frame, radii: [1], precision: .float32) }
    }

    @Test func reportJSONNamesTheLayers() throws {
        var random = TestRandom(seed: 23)
        let model = smallCNN(&random)
        let frame = try LCDirections.random(count: 3, dimension: 36, seed: 4)
        let sweep = LCSweep(sets: [LCSampleSet(name: "points", points: samples(4, 36, &random))], directions: frame, radii: [0.1])
        let report = try sweep.measure(model, step: 12)
        let json = try JSONSerialization.jsonObject(with: report.json()) as! [String: Any]
        let layers = json["layers"] as! [[String: Any]]
        #expect(layers.map { $0["index"] as! Int } == [1, 2])
        #expect(layers.map { $0["name"] as! String } == ["relu1", "relu2"])
        #expect(json["step"] as? Int == 12)
        #expect(LCSweep.csv([report]).hasPrefix("step,split,radius,samples,lc_mean,lc_std,layer1_mean,layer1_std,layer2_mean,layer2_std\n12,points,0.1,4,"))
    }
}

import Testing
import Slicer
import TestSupport

@Suite(.oneAtATime, .timeLimit(.minutes(20))) struct LCTests {
    /// A seeded random network with the given layer sizes.
    func network(_ sizes: [Int], seed: UInt64, activation: Activation = .relu) throws -> Network {
        var generator = SeededGenerator(seed: seed)
        let layers = (0..<(sizes.count - 1)).map { l in
            DenseLayer(inputs: sizes[l], outputs: sizes[l + 1],
                       weights: (0..<(sizes[l] * sizes[l + 1])).map { _ in generator.gaussian() },
                       bias: (0..<sizes[l + 1]).map { _ in generator.uniform(-0.5, 0.5) })
        }
        return try Network(layers: layers, activation: activation)
    }

    func samples(_ count: Int, dimension: Int, seed: UInt64) -> [[Double]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<dimension).map { _ in generator.nextUnit() } }
    }

    func vertices(_ x: [Double], _ directions: [[Double]], _ r: Double) -> [[Double]] {
        directions.flatMap { v in [zip(x, v).map { $0 + r * $1 }, zip(x, v).map { $0 - r * $1 }] }
    }

    /// Units whose value's sign class differs among the vertices, each unit's value computed by `value`.
    func separated(_ units: Int, _ points: [[Double]], _ value: ([Double], Int) -> Double) -> Int {
        (0..<units).filter { j in Set(points.map { value($0, j).sign(zeroAs: 0) }).count > 1 }.count
    }

    @Test func oneHiddenLayerCountsSeparatingHyperplanes() throws {
        let net = try network([6, 40, 3], seed: 1)
        let directions = try LCDirections.random(count: 4, dimension: 6, seed: 2)
        let radii = [0.01, 0.1, 0.5]
        let xs = samples(30, dimension: 6, seed: 3)
        let results = try LCEstimator(network: net, directions: directions, radii: radii, precision: .float32).estimate(samples: xs)
        let hidden = net.layers[0]
        var total = 0
        for (r, radius) in radii.enumerated() {
            for (s, x) in xs.enumerated() {
                // Hyperplane j separates the vertices when w_j·u + b_j takes different signs over them.
                let expected = separated(hidden.outputs, vertices(x, directions, radius)) { u, j in
                    var sum = hidden.bias[j]
                    for i in 0..<hidden.inputs { sum += hidden.weight(j, i) * u[i] }
                    return sum
                }
                #expect(results[r].counts[s] == [expected])
                total += expected
            }
        }
        #expect(total > 0)   // the test would be vacuous if nothing were cut
        #expect(results[0].mean < results[2].mean)
    }

    @Test func deeperLayersAndOutputMatchThePlainForwardPass() throws {
        let net = try network([5, 12, 12, 4], seed: 4, activation: .leakyReLU(alpha: 0.1))
        let directions = try LCDirections.random(count: 3, dimension: 5, seed: 5)
        let xs = samples(20, dimension: 5, seed: 6)
        let without = try LCEstimator(network: net, directions: directions, radii: [0.3], precision: .float32).estimate(samples: xs)[0]
        let with = try LCEstimator(network: net, directions: directions, radii: [0.3], includeOutput: true, precision: .float32).estimate(samples: xs)[0]
        for (s, x) in xs.enumerated() {
            let z = vertices(x, directions, 0.3).map { net.preActivations(at: $0) }
            let expected = (0..<3).map { l in separated(net.layers[l].outputs, Array(z.indices).map { [Double($0)] }) { u, j in z[Int(u[0])][l][j] } }
            #expect(with.counts[s] == expected)
            #expect(without.counts[s] == Array(expected.prefix(2)))
        }
        #expect(with.layerMeans.count == 3 && without.layerMeans.count == 2)
        #expect(Array(with.layerMeans.prefix(2)) == without.layerMeans)
        #expect(abs(with.mean - (without.mean + with.layerMeans[2])) < 1e-12)
        #expect(with.layerMeans[2] > 0)
    }

    @Test func zeroRadiusAndDeadUnitsCountNothing() throws {
        var net = try network([4, 8, 2], seed: 7)
        // A dead unit (zero row, zero bias) is 0 at every vertex: one sign, never counted.
        for i in 0..<4 { net.layers[0].weights[3 * 4 + i] = 0 }
        net.layers[0].bias[3] = 0
        let directions = try LCDirections.random(count: 4, dimension: 4, seed: 8)
        let xs = samples(10, dimension: 4, seed: 9)
        let results = try LCEstimator(network: net, directions: directions, radii: [0, 100], precision: .float32).estimate(samples: xs)
        #expect(results[0].counts.allSatisfy { $0 == [0] })
        #expect(results[0].mean == 0 && results[0].std == 0)
        // A huge neighbourhood cuts every live unit and still not the dead one.
        #expect(results[1].counts.allSatisfy { $0 == [7] })
    }

    @Test func sampleOnAHyperplaneCountsItsUnit() throws {
        // z = x1 − 0.5: the sample (0.5, 0.2) lies on it; x ± r·e1 are on both sides, x ± r·e2 on it.
        let layer = DenseLayer(inputs: 2, outputs: 1, weights: [1, 0], bias: [-0.5])
        let net = try Network(layers: [layer, DenseLayer(inputs: 1, outputs: 1, weights: [1], bias: [0])], activation: .relu)
        let along = try LCEstimator(network: net, directions: [[0, 1]], radii: [0.25], precision: .float32).estimate(samples: [[0.5, 0.2]])[0]
        let across = try LCEstimator(network: net, directions: [[1, 0], [0, 1]], radii: [0.25], precision: .float32).estimate(samples: [[0.5, 0.2]])[0]
        #expect(along.counts == [[0]])
        #expect(across.counts == [[1]])
    }

    @Test func randomDirectionsAreOrthonormalAndSeeded() throws {
        let frame = try LCDirections.random(count: 25, dimension: 784, seed: 11)
        #expect(frame.count == 25 && frame.allSatisfy { $0.count == 784 })
        for i in 0..<25 {
            for j in 0..<25 {
                let dot = zip(frame[i], frame[j]).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-12)
            }
        }
        #expect(try LCDirections.random(count: 25, dimension: 784, seed: 11) == frame)
        #expect(try LCDirections.random(count: 25, dimension: 784, seed: 12) != frame)
        #expect(try LCDirections.random(count: 3, dimension: 3, seed: 1).count == 3)
        #expect(throws: TesseraError.self) { try LCDirections.random(count: 4, dimension: 3, seed: 1) }
    }

    @Test func userFramesAreChecked() throws {
        try LCDirections.validate([[1, 0, 0], [0, 0, 1]], dimension: 3)
        #expect(throws: TesseraError.self) { try LCDirections.validate([[1, 0, 0], [0.6, 0.8, 0]], dimension: 3) }
        #expect(throws: TesseraError.self) { try LCDirections.validate([[2, 0, 0]], dimension: 3) }
        #expect(throws: TesseraError.self) { try LCDirections.validate([[1, 0]], dimension: 3) }
        #expect(throws: TesseraError.self) { try LCDirections.validate([], dimension: 3) }
        let tensor = Tensor(shape: [2, 3], dtype: .f32, values: [0, 1, 0, 1, 0, 0])
        #expect(try LCDirections.frame(from: tensor, dimension: 3) == [[0, 1, 0], [1, 0, 0]])
        #expect(throws: TesseraError.self) { try LCDirections.frame(from: tensor, dimension: 4) }
    }

    @Test func statisticsArePopulationMeanAndStd() {
        let result = LCResult(radius: 0.1, counts: [[1, 0], [3, 4]], layers: 2)
        #expect(result.layerMeans == [2, 2] && result.layerStds == [1, 2])
        #expect(result.mean == 4 && result.std == 3)
        #expect(result.totals == [1, 7])
    }

    @Test func workersAndChunksDoNotChangeCounts() throws {
        let net = try network([8, 30, 30, 2], seed: 13)
        let directions = try LCDirections.random(count: 5, dimension: 8, seed: 14)
        let xs = samples(57, dimension: 8, seed: 15)
        var serial = try LCEstimator(network: net, directions: directions, radii: [0.05, 0.4], precision: .float32)
        serial.parallelism = Parallelism(threads: 1); serial.chunkSize = 57
        var parallel = serial
        parallel.parallelism = Parallelism(threads: 2); parallel.chunkSize = 4
        #expect(try serial.estimate(samples: xs) == parallel.estimate(samples: xs))
        // Forwarding the vertices themselves agrees with the factored first layer (away from rounding ties).
        var direct = parallel
        direct.factorFirstLayer = false
        #expect(try direct.estimate(samples: xs) == parallel.estimate(samples: xs))
    }

    @Test func badInputsThrow() throws {
        let net = try network([3, 4, 2], seed: 1)
        let frame = try LCDirections.random(count: 2, dimension: 3, seed: 1)
        #expect(throws: TesseraError.self) { try LCEstimator(network: net, directions: frame, radii: [-1], precision: .float32) }
        #expect(throws: TesseraError.self) { try LCEstimator(network: net, directions: frame, radii: [], precision: .float32) }
        #expect(throws: TesseraError.self) { try LCEstimator(network: net, directions: [[1, 0]], radii: [1], precision: .float32) }
        let estimator = try LCEstimator(network: net, directions: frame, radii: [0.1], precision: .float32)
        #expect(throws: TesseraError.self) { try estimator.estimate(samples: [[1, 2]]) }
        #expect(throws: TesseraError.self) { try estimator.estimate(samples: [[1, .nan, 2]]) }
        #expect(try estimator.estimate(samples: [])[0].samples == 0)
        let linear = try network([3, 2], seed: 1)
        #expect(throws: TesseraError.self) { try LCEstimator(network: linear, directions: frame, radii: [0.1], precision: .float32) }
        #expect(try LCEstimator(network: linear, directions: frame, radii: [0.1], includeOutput: true, precision: .float32).countedLayers == 1)
    }
}

private extension Double {
    /// −1, 0 or +1 (NaN as 2), the sign classes the estimator distinguishes.
    func sign(zeroAs zero: Int) -> Int { self > 0 ? 1 : self < 0 ? -1 : self == 0 ? zero : 2 }
}

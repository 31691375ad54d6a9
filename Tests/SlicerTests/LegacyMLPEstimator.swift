// The MLP LC estimator as it was before the graph estimator replaced it (Sources/Slicer/LocalComplexity.swift
// at main c29cb5f), kept verbatim as the reference the graph estimator must match count for count.

import Dispatch
import Slicer
@testable import Analysis
@testable import Models

/// The paper's fast LC estimator: for each sample x, forward the 2P vertices x ± r·v_p in one batched
/// BLAS pass and count, per layer, the units whose pre-activation sign (−1, 0, +1) differs among them.
struct LegacyMLPEstimator: Sendable {
    let network: Network
    /// P orthonormal rows in R^D.
    let directions: [[Double]]
    let radii: [Double]
    /// Also count the final Linear layer's outputs (the authors' code does; the SPEC default is off).
    let includeOutput: Bool
    /// Samples per batched forward pass (bounds memory: samples × 2P × widest layer doubles).
    var chunkSize = 32
    /// Parallel workers over chunks of samples (each worker runs its own gemms).
    var workers = 2
    /// Layer 1 as (W1·x + b1) ± r·(W1·v_p) (default; three times faster on MNIST-sized inputs) instead of
    /// forwarding the vertices themselves; the two differ only by floating-point rounding.
    var factorFirstLayer = true
    /// W1·v_p for every direction, row-major [P × layer-1 units].
    let directionImages: [Double]

    init(network: Network, directions: [[Double]], radii: [Double], includeOutput: Bool = false) throws {
        try LCDirections.validate(directions, dimension: network.inputDimension)
        guard !radii.isEmpty else { throw TesseraError.badInput("no LC radius given") }
        for radius in radii where !(radius.isFinite && radius >= 0) {
            throw TesseraError.badInput("LC radius must be finite and non-negative, got \(radius)")
        }
        guard network.layers.count > 1 || includeOutput else {
            throw TesseraError.badInput("the network has no hidden layer to count; pass --include-output to count its outputs")
        }
        self.network = network
        self.directions = directions
        self.radii = radii
        self.includeOutput = includeOutput
        let first = network.layers[0]
        directionImages = gemm(directions.flatMap { $0 }, first.weights, m: directions.count, n: first.outputs,
                               k: first.inputs, transposeB: true)
    }

    /// Layers whose units are counted: the hidden layers, plus the output layer when `includeOutput`.
    var countedLayers: Int { network.layers.count - (includeOutput ? 0 : 1) }

    /// One result per radius (in `radii` order). `progress` receives the number of samples finished so far.
    func estimate(samples: [[Double]], progress: (@Sendable (Int) -> Void)? = nil) throws -> [LCResult] {
        let dimension = network.inputDimension
        for (index, sample) in samples.enumerated() {
            guard sample.count == dimension else {
                throw TesseraError.badInput("sample \(index) has dimension \(sample.count), the network takes \(dimension)")
            }
            guard sample.allSatisfy(\.isFinite) else { throw TesseraError.badInput("sample \(index) has a NaN or infinite value") }
        }
        let layers = countedLayers
        let count = samples.count
        // storage[(radius * count + sample) * layers + layer]; workers write disjoint sample ranges.
        let size = radii.count * count * layers
        let storage = UnsafeMutablePointer<Int>.allocate(capacity: max(1, size))
        storage.initialize(repeating: 0, count: max(1, size))
        defer { storage.deallocate() }
        let output = LegacySharedPointer(storage)
        let chunk = max(1, chunkSize)
        let chunks = (count + chunk - 1) / chunk
        let done = ProgressCounter()
        let workerCount = max(1, min(workers, chunks))
        func work() {
            DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
                var workspace = Workspace()
                for c in stride(from: worker, to: chunks, by: workerCount) {
                    let range = c * chunk..<min(count, (c + 1) * chunk)
                    for (r, radius) in radii.enumerated() {
                        countChunk(samples, range, radius: radius, into: output.value + r * count * layers, workspace: &workspace)
                    }
                    progress?(done.add(range.count))
                }
            }
        }
        // Workers already fill the cores; BLAS threads on top of them only compete.
        work()
        return radii.indices.map { r in
            let base = storage + r * count * layers
            let counts = (0..<count).map { s in (0..<layers).map { base[s * layers + $0] } }
            return LCResult(radius: radii[r], counts: counts, layers: layers)
        }
    }

    /// Counts sign changes for samples[range] at one radius into out[sample * layers + layer].
    func countChunk(_ samples: [[Double]], _ range: Range<Int>, radius: Double,
                    into out: UnsafeMutablePointer<Int>, workspace: inout Workspace) {
        let vertexCount = 2 * directions.count
        let rows = range.count * vertexCount
        let layers = countedLayers
        var input: [Double] = []
        var z = [Double]()
        for (index, layer) in network.layers.prefix(layers).enumerated() {
            z = [Double](repeating: 0, count: rows * layer.outputs)
            if index > 0 {
                forward(layer, input, rows: rows, into: &z)
            } else if factorFirstLayer {
                firstLayerFactored(samples, range, radius: radius, into: &z)
            } else {
                forward(layer, vertices(samples, range, radius: radius), rows: rows, into: &z)
            }
            countSigns(z, units: layer.outputs, samples: range, vertexCount: vertexCount,
                       layer: index, layers: layers, into: out, masks: &workspace.masks)
            if index + 1 < network.layers.count {
                let activation = network.activation
                for i in z.indices { z[i] = activation.apply(z[i]) }
            }
            swap(&input, &z)
        }
    }

    /// The 2P vertices of each sample in `range`, rows x + r·v_p and x − r·v_p in direction order.
    func vertices(_ samples: [[Double]], _ range: Range<Int>, radius: Double) -> [Double] {
        let dimension = network.inputDimension
        let vertexCount = 2 * directions.count
        var input = [Double](repeating: 0, count: range.count * vertexCount * dimension)
        input.withUnsafeMutableBufferPointer { buffer in
            for (s, sampleIndex) in range.enumerated() {
                let x = samples[sampleIndex]
                for (p, v) in directions.enumerated() {
                    let plus = (s * vertexCount + 2 * p) * dimension
                    let minus = plus + dimension
                    for i in 0..<dimension {
                        buffer[plus + i] = x[i] + radius * v[i]
                        buffer[minus + i] = x[i] - radius * v[i]
                    }
                }
            }
        }
        return input
    }

    /// First-layer pre-activations of the vertices as (W1·x + b1) ± r·(W1·v_p): the same affine values as
    /// forwarding each vertex, with one gemm row per sample instead of 2P (layer 1 dominates the cost).
    func firstLayerFactored(_ samples: [[Double]], _ range: Range<Int>, radius: Double, into z: inout [Double]) {
        let layer = network.layers[0]
        let units = layer.outputs
        let vertexCount = 2 * directions.count
        var centres = [Double](repeating: 0, count: range.count * units)
        forward(layer, range.flatMap { samples[$0] }, rows: range.count, into: &centres)
        for s in 0..<range.count {
            for p in 0..<directions.count {
                let plus = (s * vertexCount + 2 * p) * units, minus = plus + units
                for j in 0..<units {
                    let offset = radius * directionImages[p * units + j]
                    z[plus + j] = centres[s * units + j] + offset
                    z[minus + j] = centres[s * units + j] - offset
                }
            }
        }
    }

    /// z = input · Wᵀ + b for `rows` input rows, through BLAS.
    func forward(_ layer: DenseLayer, _ input: [Double], rows: Int, into z: inout [Double]) {
        for row in 0..<rows {
            for j in 0..<layer.outputs { z[row * layer.outputs + j] = layer.bias[j] }
        }
        input.withUnsafeBufferPointer { a in
            layer.weights.withUnsafeBufferPointer { w in
                z.withUnsafeMutableBufferPointer { c in
                    gemm(a.baseAddress!, w.baseAddress!, c.baseAddress!, m: rows, n: layer.outputs, k: layer.inputs,
                         transposeB: true, beta: 1)
                }
            }
        }
    }

    /// For each sample, ORs a bit per sign class (+, −, 0, NaN) over its vertices; a unit counts when
    /// more than one class occurs.
    func countSigns(_ z: [Double], units: Int, samples range: Range<Int>, vertexCount: Int, layer: Int, layers: Int,
                    into out: UnsafeMutablePointer<Int>, masks: inout [UInt8]) {
        if masks.count < units { masks = [UInt8](repeating: 0, count: units) }
        for (s, sampleIndex) in range.enumerated() {
            for j in 0..<units { masks[j] = 0 }
            for vertex in 0..<vertexCount {
                let base = (s * vertexCount + vertex) * units
                for j in 0..<units {
                    let value = z[base + j]
                    masks[j] |= value > 0 ? 1 : value < 0 ? 2 : value == 0 ? 4 : 8
                }
            }
            var changed = 0
            for j in 0..<units where masks[j] & (masks[j] &- 1) != 0 { changed += 1 }
            out[sampleIndex * layers + layer] = changed
        }
    }

    struct Workspace { var masks: [UInt8] = [] }
}

/// Wraps a raw pointer whose disjoint ranges are written by different workers.
private struct LegacySharedPointer<T>: @unchecked Sendable { let value: T; init(_ value: T) { self.value = value } }



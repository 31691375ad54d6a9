import Dispatch
import ForwardKernels
import Models

/// The paper's fast LC estimator on a graph model: for each sample x, forward the 2P vertices
/// x ± r·v_p in batched passes and count, per layer, the units whose sign class (−1, 0, +1) is not the
/// same at every vertex. A layer is an activation node and its units are the node's input values
/// (piecewise or smooth activations alike); the output's values with `includeOutput`; a max-pool's
/// windows whose winner changes with `countMaxPoolWindows`.
public struct LCEstimator: Sendable {
    public let model: GraphModel
    /// P orthonormal rows in R^D.
    public let directions: [[Double]]
    public let radii: [Double]
    /// Also count the output node's values (the authors' code counts the final Linear layer; default off).
    public let includeOutput: Bool
    /// Also count, per max-pool node, the windows whose winner is not constant over the vertices.
    public let countMaxPoolWindows: Bool
    /// The counted layers, in the order of `LCResult.counts`.
    public let layers: [LCLayer]
    /// Samples per batched pass, at most (bounds memory: samples × 2P × live values per vertex).
    public var chunkSize = 32
    /// Threads the work is shared out to (chunks of samples or rows, each on one thread).
    public var parallelism = Parallelism.machine
    /// Values affine in the input (the first layer of an MLP, a first convolution) as f(x) ± r·L(v_p)
    /// (default; three times faster on an MNIST MLP) instead of forwarding the vertices themselves; the
    /// two differ only by floating-point rounding.
    public var factorFirstLayer = true
    /// Bytes of values one worker may hold at once; chunks shrink below `chunkSize` to respect it. Small,
    /// so that a chunk's values stay in cache between layers and pages are not faulted in anew per chunk
    /// (on the ResNet18 a chunk is then one sample's 2P vertices).
    public var memoryBudget = 8 << 20
    /// The number type of the forward passes: float32 by default (the counts are sign tests of values
    /// far from zero at nearly every vertex), float64 to reproduce earlier numbers bit for bit.
    public let precision: Precision
    let pass: Pass

    /// The forward pass and vertex schemes in the estimator's precision.
    enum Pass: Sendable {
        case float32(LCPass<Float>)
        case float64(LCPass<Double>)
    }

    public init(model: GraphModel, directions: [[Double]], radii: [Double], includeOutput: Bool = false,
                countMaxPoolWindows: Bool = false, precision: Precision) throws {
        // The model is checked (in the chosen precision) before anything reads its shapes.
        let float32 = precision == .float32 ? try GraphForward(model: model, scalar: Float.self) : nil
        let float64 = precision == .float64 ? try GraphForward(model: model, scalar: Double.self) : nil
        try LCDirections.validate(directions, dimension: model.inputDimension)
        guard !radii.isEmpty else { throw TesseraError.badInput("no LC radius given") }
        for radius in radii where !(radius.isFinite && radius >= 0) {
            throw TesseraError.badInput("LC radius must be finite and non-negative, got \(radius)")
        }
        let layers = LCLayer.layers(of: model, includeOutput: includeOutput, maxPoolWindows: countMaxPoolWindows)
        guard !layers.isEmpty else {
            throw TesseraError.badInput("the network has no activation to count; pass --include-output to count its outputs")
        }
        let observed = Set(layers.map(\.value))
        if let float32 {
            pass = .float32(LCPass(forward: float32, directions: directions, observed: observed))
        } else {
            pass = .float64(LCPass(forward: float64!, directions: directions, observed: observed))
        }
        self.precision = precision
        self.model = model
        self.directions = directions
        self.radii = radii
        self.includeOutput = includeOutput
        self.countMaxPoolWindows = countMaxPoolWindows
        self.layers = layers
    }

    /// The estimator on an MLP (the chain graph of the network).
    public init(network: Network, directions: [[Double]], radii: [Double], includeOutput: Bool = false,
                precision: Precision) throws {
        try self.init(model: GraphModel(network: network), directions: directions, radii: radii, includeOutput: includeOutput,
                      precision: precision)
    }

    /// Number of counted layers (activations, then the output when `includeOutput`).
    public var countedLayers: Int { layers.count }

    /// Samples per chunk: `chunkSize`, or fewer when a chunk's live values would exceed `memoryBudget`.
    var samplesPerChunk: Int {
        let (peakPerRow, scalarSize) = switch pass {
        case .float32(let p): ((factorFirstLayer ? p.factored : p.direct).vertexPlan.peakPerRow, 4)
        case .float64(let p): ((factorFirstLayer ? p.factored : p.direct).vertexPlan.peakPerRow, 8)
        }
        let perSample = scalarSize * 2 * directions.count * peakPerRow
        return max(1, min(chunkSize, memoryBudget / max(1, perSample)))
    }

    /// One result per radius (in `radii` order). `progress` receives the number of samples finished so far.
    public func estimate(samples: [[Double]], progress: (@Sendable (Int) -> Void)? = nil) throws -> [LCResult] {
        switch pass {
        case .float32(let p): return try estimate(samples: samples, using: p, progress: progress)
        case .float64(let p): return try estimate(samples: samples, using: p, progress: progress)
        }
    }

    func estimate<T>(samples: [[Double]], using pass: LCPass<T>, progress: (@Sendable (Int) -> Void)?) throws -> [LCResult] {
        let dimension = model.inputDimension
        for (index, sample) in samples.enumerated() {
            guard sample.count == dimension else {
                throw TesseraError.badInput("sample \(index) has dimension \(sample.count), the network takes \(dimension)")
            }
            guard sample.allSatisfy(\.isFinite) else { throw TesseraError.badInput("sample \(index) has a NaN or infinite value") }
        }
        let layerCount = layers.count
        let count = samples.count
        // storage[(radius * count + sample) * layers + layer]; workers write disjoint sample ranges.
        let size = max(1, radii.count * count * layerCount)
        let storage = UnsafeMutablePointer<Int>.allocate(capacity: size)
        storage.initialize(repeating: 0, count: size)
        defer { storage.deallocate() }
        let output = SharedPointer(storage)
        let chunk = samplesPerChunk
        let chunks = (count + chunk - 1) / chunk
        let done = ProgressCounter()
        let workerCount = parallelism.workers(for: chunks)
        func work() {
            parallelism.perform(workerCount) { worker in
                var workspace = Workspace<T>()
                var scratch: [T] = []
                for c in stride(from: worker, to: chunks, by: workerCount) {
                    let range = c * chunk..<min(count, (c + 1) * chunk)
                    countChunk(samples, range, using: pass, into: output.value, workspace: &workspace, scratch: &scratch)
                    progress?(done.add(range.count))
                }
            }
        }
        work()
        return radii.indices.map { r in
            let base = storage + r * count * layerCount
            let counts = (0..<count).map { s in (0..<layerCount).map { base[s * layerCount + $0] } }
            return LCResult(radius: radii[r], counts: counts, layers: layerCount)
        }
    }

    /// Counts samples[range] at every radius into out[(radius · samples + sample) · layers + layer].
    func countChunk<T>(_ samples: [[Double]], _ range: Range<Int>, using pass: LCPass<T>, into out: UnsafeMutablePointer<Int>,
                       workspace: inout Workspace<T>, scratch: inout [T]) {
        let forward = pass.forward
        let scheme = factorFirstLayer ? pass.factored : pass.direct
        let vertexCount = 2 * directions.count
        let layerCount = layers.count
        let centres = forward.evaluate(scheme.centrePlan, rows: range.count, given: [0: range.flatMap { samples[$0] }.map(T.init)],
                                       scratch: &scratch)
        for (r, radius) in radii.enumerated() {
            let seeds = scheme.vertexValues(centres: centres, samples: range.count, radius: radius, sizes: forward.size(ofValue:))
            let base = out + (r * samples.count + range.lowerBound) * layerCount
            _ = forward.evaluate(scheme.vertexPlan, rows: range.count * vertexCount, given: seeds, scratch: &scratch) { value, z in
                for layer in layers where layer.value == value {
                    let target = base + (layer.index - 1)
                    switch layer.kind {
                    case .activation, .output:
                        LCCounting.signChanges(z, units: layer.units, samples: range.count, vertexCount: vertexCount,
                                               into: target, stride: layerCount, workspace: workspace.signs)
                    case .maxPool:
                        guard case .maxPool(let pool) = forward.steps[layer.node] else { continue }
                        LCCounting.windowChanges(z, pool: pool, samples: range.count, vertexCount: vertexCount, into: target,
                                                 stride: layerCount, winners: &workspace.winners, changed: &workspace.changed)
                    }
                }
            }
        }
    }

    struct Workspace<T: ForwardScalar> {
        let signs = SignWorkspace<T>()
        var winners: [Int32] = []
        var changed: [Bool] = []
    }
}

/// The estimator's forward pass and its two vertex schemes (factored first layer, or not) in one precision.
struct LCPass<T: ForwardScalar>: Sendable {
    let forward: GraphForward<T>
    let factored: LCVertexScheme<T>
    let direct: LCVertexScheme<T>

    init(forward: GraphForward<T>, directions: [[Double]], observed: Set<Int>) {
        self.forward = forward
        factored = LCVertexScheme(forward: forward, directions: directions, observed: observed, factored: true)
        direct = LCVertexScheme(forward: forward, directions: directions, observed: observed, factored: false)
    }
}

import Dispatch
import Models

/// How much the layers deform the estimator's neighbourhood (the paper's appendix C, Figs. 18–19).
/// The 2P vertices x ± r·v_p span a cross-polytope: every two vertices share an edge except the
/// antipodal pairs (x + r·v_p, x − r·v_p). At layer 0 (the input) and after each activation, the
/// vertices' values are embedded points; each edge weighs the Euclidean distance between its ends.
/// A vertex's eccentricity is its largest shortest-path distance to another vertex, the graph's
/// diameter the largest eccentricity; both are averaged over samples.
///
/// Shortest paths need no search: distances obey the triangle inequality, so an edge is its own
/// shortest path, and an antipodal pair's is the best two-edge path through any third vertex.
public struct NeighbourhoodDeformation: Sendable {
    /// One embedding: the input (index 0) or an activation's output.
    public struct Stage: Sendable, Equatable {
        /// 0 for the input, else the 1-based counted layer (activation) it follows.
        public var index: Int
        /// "input", or the activation node's name.
        public var name: String
        /// Mean and population std over samples of the average eccentricity, and of the diameter.
        public var eccentricity: (mean: Double, std: Double)
        public var diameter: (mean: Double, std: Double)

        public static func == (a: Stage, b: Stage) -> Bool {
            a.index == b.index && a.name == b.name && a.eccentricity == b.eccentricity && a.diameter == b.diameter
        }
    }

    public let model: GraphModel
    public let directions: [[Double]]
    /// The activations in topological order (the stages after the input).
    public let layers: [LCLayer]
    /// Samples per batched pass.
    public var chunkSize = 8
    /// Threads the work is shared out to (chunks of samples or rows, each on one thread).
    public var parallelism = Parallelism.machine
    /// The number type of the forward passes (the distances are summed in float64 either way).
    public let precision: Precision
    let forward: AnyGraphForward

    public init(model: GraphModel, directions: [[Double]], precision: Precision) throws {
        forward = try AnyGraphForward(model: model, precision: precision)
        self.precision = precision
        try LCDirections.validate(directions, dimension: model.inputDimension)
        guard directions.count >= 2 else { throw TesseraError.badInput("the deformation needs at least 2 directions") }
        self.model = model
        self.directions = directions
        layers = LCLayer.layers(of: model, includeOutput: false, maxPoolWindows: false)
    }

    /// The value after each stage: the input, then each activation's output.
    var stageValues: [Int] { [0] + layers.map { $0.node + 1 } }

    /// Per stage, (average eccentricity, diameter) of each sample's neighbourhood graph at `radius`.
    public func measure(samples: [[Double]], radius: Double) throws -> [Stage] {
        guard radius.isFinite, radius > 0 else { throw TesseraError.badInput("the deformation radius must be positive, got \(radius)") }
        for (index, sample) in samples.enumerated() where sample.count != model.inputDimension {
            throw TesseraError.badInput("sample \(index) has dimension \(sample.count), the network takes \(model.inputDimension)")
        }
        switch forward {
        case .float32(let forward): return measure(samples: samples, radius: radius, forward: forward)
        case .float64(let forward): return measure(samples: samples, radius: radius, forward: forward)
        }
    }

    func measure<T>(samples: [[Double]], radius: Double, forward: GraphForward<T>) -> [Stage] {
        let stages = stageValues
        let count = samples.count
        // results[sample][stage] = (eccentricity, diameter)
        let slots = Slots<[(Double, Double)]>(count: count)
        let chunks = (count + chunkSize - 1) / max(1, chunkSize)
        let workerCount = parallelism.workers(for: chunks)
        let plan = ForwardPlan(model: model, steps: forward.steps, needed: Set(stages), given: [0], observed: Set(stages))
        let vertexCount = 2 * directions.count
        let work = {
            parallelism.perform(workerCount) { worker in
                var scratch: [T] = []
                for c in stride(from: worker, to: chunks, by: workerCount) {
                    let range = c * chunkSize..<min(count, (c + 1) * chunkSize)
                    var rows: [Double] = []
                    rows.reserveCapacity(range.count * vertexCount * model.inputDimension)
                    for s in range {
                        for sign in [1.0, -1.0] {
                            for v in directions { rows += zip(samples[s], v).map { $0 + sign * radius * $1 } }
                        }
                    }
                    var perSample = [[(Double, Double)]](repeating: Array(repeating: (0, 0), count: stages.count), count: range.count)
                    _ = forward.evaluate(plan, rows: range.count * vertexCount, given: [0: rows.map(T.init)], scratch: &scratch) { value, z in
                        let width = forward.size(ofValue: value)
                        for (stage, v) in stages.enumerated() where v == value {
                            for local in 0..<range.count {
                                perSample[local][stage] = NeighbourhoodDeformation.graphMeasures(
                                    z.baseAddress! + local * vertexCount * width, vertices: vertexCount, width: width)
                            }
                        }
                    }
                    for (local, s) in range.enumerated() { slots[s] = perSample[local] }
                }
            }
        }
        work()
        let measures = (0..<count).map { slots[$0]! }
        return stages.indices.map { stage in
            Stage(index: stage, name: stage == 0 ? "input" : layers[stage - 1].name,
                  eccentricity: meanAndStd(measures.map { $0[stage].0 }),
                  diameter: meanAndStd(measures.map { $0[stage].1 }))
        }
    }

    /// Average eccentricity and diameter of the cross-polytope graph of `vertices` points (rows of
    /// `width` values; vertex p and p + vertices/2 are antipodal) with Euclidean edge lengths.
    static func graphMeasures<T: ForwardScalar>(_ points: UnsafePointer<T>, vertices n: Int, width: Int) -> (Double, Double) {
        // Distances from the Gram matrix of the centred points: one gemm instead of n² loops over
        // `width` values; centring keeps the entries at the neighbourhood's scale, not |x|'s.
        var centred = [Double](repeating: 0, count: n * width)
        var centre = [Double](repeating: 0, count: width)
        for i in 0..<n { for k in 0..<width { centre[k] += Double(points[i * width + k]) } }
        for k in 0..<width { centre[k] /= Double(n) }
        for i in 0..<n { for k in 0..<width { centred[i * width + k] = Double(points[i * width + k]) - centre[k] } }
        let gram = gemm(centred, centred, m: n, n: n, k: width, transposeB: true)
        var distance = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                distance[i * n + j] = max(0, gram[i * n + i] + gram[j * n + j] - 2 * gram[i * n + j]).squareRoot()
            }
        }
        let half = n / 2
        var total = 0.0, diameter = 0.0
        for i in 0..<n {
            let antipode = (i + half) % n
            var eccentricity = 0.0
            for j in 0..<n where j != i && j != antipode { eccentricity = max(eccentricity, distance[i * n + j]) }
            var around = Double.infinity
            for k in 0..<n where k != i && k != antipode { around = min(around, distance[i * n + k] + distance[k * n + antipode]) }
            if around.isFinite { eccentricity = max(eccentricity, around) }
            total += eccentricity
            diameter = max(diameter, eccentricity)
        }
        return (total / Double(n), diameter)
    }
}

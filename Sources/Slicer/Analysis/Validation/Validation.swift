import Dispatch
import Engine
import Foundation
import Models

/// Exact versus approximate local complexity at one sample: the exact counterparts of the estimator's counts.
public struct ValidationRecord: Sendable, Equatable {
    /// Exact number of linear regions of the slice inside the diamond x ± r·v1, x ± r·v2.
    public var exactRegions: Int
    /// Exact neurons_cut of the diamond, per hidden layer.
    public var exactCut: [Int]
    /// The estimator with P = 2 on the diamond's four corners (the same geometry as the slice), per hidden layer.
    public var lc2: [Int]
    /// The estimator with all P directions at radius r, per hidden layer.
    public var lcP: [Int]

    public init(exactRegions: Int, exactCut: [Int], lc2: [Int], lcP: [Int]) {
        self.exactRegions = exactRegions; self.exactCut = exactCut; self.lc2 = lc2; self.lcP = lcP
    }

    public var exactCutTotal: Int { exactCut.reduce(0, +) }
    public var lc2Total: Int { lc2.reduce(0, +) }
    public var lcPTotal: Int { lcP.reduce(0, +) }

    /// Hidden layers (1-based) where the P = 2 estimate exceeds the exact neurons_cut. A neuron whose
    /// pre-activation takes different signs at two corners has a zero set crossing the diamond, so this
    /// is empty unless a pre-activation is exactly 0 at a corner or a corner's rounding flipped a sign.
    public var violatingLayers: [Int] { lc2.indices.filter { lc2[$0] > exactCut[$0] }.map { $0 + 1 } }
}

/// Measures exact and approximate LC of one model (an MLP or any graph) at many samples, on identical geometry.
public struct ValidationMeasurer: Sendable {
    public let model: GraphModel
    /// v1..vP, orthonormal; v1 and v2 span the exact slice.
    public let directions: [[Double]]
    public let radius: Double
    public var arithmetic: Arithmetic = .certified
    public var maxRegions = 2_000_000
    /// Threads the work is shared out to (chunks of samples or rows, each on one thread).
    public var parallelism = Parallelism.machine
    /// The counted layers: the model's activations in topological order.
    public let layers: [LCLayer]
    /// The exact neighbourhood of x: the diamond x ± r·v1, x ± r·v2 (default; its corners are the
    /// estimator's P = 2 vertices), or the disk of radius r about x (a 64-gon; the P = 2 column then
    /// counts sign changes over its 64 corners).
    public var shape: NeighbourhoodShape = .diamond
    /// The number type of the full estimator's forward passes (the exact slices are exact either way).
    public var precision: Precision = .float32

    public init(model: GraphModel, directions: [[Double]], radius: Double) throws {
        for node in model.nodes {
            if case .activation(let activation) = node.op, !activation.isPiecewiseAffine {
                throw TesseraError.badInput("exact slices need piecewise-affine activations, node '\(node.name)' is \(activation)")
            }
        }
        layers = LCLayer.layers(of: model, includeOutput: false, maxPoolWindows: false)
        guard !layers.isEmpty else { throw TesseraError.badInput("the network has no hidden layer") }
        try LCDirections.validate(directions, dimension: model.inputDimension)
        guard directions.count >= 2 else { throw TesseraError.badInput("validation needs at least 2 directions (v1, v2 span the slice)") }
        guard radius.isFinite, radius > 0 else { throw TesseraError.badInput("the radius must be positive and finite, got \(radius)") }
        self.model = model
        self.directions = directions
        self.radius = radius
    }

    /// The same for an MLP.
    public init(network: Network, directions: [[Double]], radius: Double) throws {
        guard network.activation.isPiecewiseAffine else {
            throw TesseraError.badInput("exact slices need a piecewise-affine activation, the network uses \(network.activation)")
        }
        guard network.layers.count >= 2 else { throw TesseraError.badInput("the network has no hidden layer") }
        try self.init(model: GraphModel(network: network), directions: directions, radius: radius)
    }

    public enum NeighbourhoodShape: String, Sendable { case diamond, disk }

    public var domain: DomainSpec {
        shape == .diamond ? .diamond(radius: radius, anchor: 1) : .disk(radius: radius, anchor: 1)
    }

    /// The anchors x, x + v1, x + v2 of the slice through x spanned by v1, v2.
    public func anchors(at x: [Double]) -> [[Double]] {
        [x, zip(x, directions[0]).map { $0 + $1 }, zip(x, directions[1]).map { $0 + $1 }]
    }

    /// The diamond's corners in input space, from the very (s, t) corners the slice engine partitions
    /// (`DomainSpec.corners(plane:)`), so the P = 2 estimate sees the slice's geometry up to one rounding.
    public func corners(at x: [Double]) throws -> [[Double]] {
        let plane = try SlicePlane(anchors: anchors(at: x))
        return try domain.corners(plane: plane).map { plane.point($0.s, $0.t) }
    }

    /// Exact slice and the P = 2 estimate at one sample.
    public func exact(at x: [Double]) throws -> (regions: Int, cut: [Int], lc2: [Int]) {
        var options = SliceOptions(domain: domain, arithmetic: arithmetic, maxRegions: maxRegions)
        options.parallelism = .serial  // samples are measured on every thread already
        let plane = try SlicePlane(anchors: anchors(at: x))
        let result = try slice(graph: model, plane: plane, options: options)
        // The very (s, t) corners the engine partitioned, mapped to input space.
        let corners = try domain.corners(plane: plane).map { plane.point($0.s, $0.t) }
        let lc2 = try model.chainNetwork.map { signChangeCounts(network: $0, vertices: corners) }
            ?? signChangeCounts(model: model, vertices: corners)
        return (result.regions.count, result.layers.map(\.neuronsCut), lc2)
    }

    /// The full-P estimator at `radius`, on this measurer's threads.
    func estimator() throws -> LCEstimator {
        var estimator = try LCEstimator(model: model, directions: directions, radii: [radius], precision: precision)
        estimator.parallelism = parallelism
        return estimator
    }

    /// One record per sample. `progress` receives the number of samples finished so far.
    public func measure(samples: [[Double]], progress: (@Sendable (Int) -> Void)? = nil) throws -> [ValidationRecord] {
        let full = try estimator().estimate(samples: samples)[0]
        let count = samples.count
        let slots = Slots<Result<(regions: Int, cut: [Int], lc2: [Int]), Error>>(count: count)
        let done = ProgressCounter()
        let workerCount = parallelism.workers(for: count)
        let work = {
            parallelism.perform(workerCount) { worker in
                for i in stride(from: worker, to: count, by: workerCount) {
                    slots[i] = Result { try exact(at: samples[i]) }
                    progress?(done.add(1))
                }
            }
        }
        work()
        return try (0..<count).map { i in
            let exact: (regions: Int, cut: [Int], lc2: [Int])
            do { exact = try slots[i]!.get() } catch let error as TesseraError {
                throw TesseraError.badInput("sample \(i): \(error.description)")
            }
            return ValidationRecord(exactRegions: exact.regions, exactCut: exact.cut, lc2: exact.lc2, lcP: full.counts[i])
        }
    }
}

/// Per hidden layer, the units whose pre-activation sign class (+, −, 0) is not the same at every
/// vertex: the paper's estimator (and `LCEstimator`'s rule) on an explicit vertex set.
public func signChangeCounts(network: Network, vertices: [[Double]], includeOutput: Bool = false) -> [Int] {
    let layers = network.layers.count - (includeOutput ? 0 : 1)
    let rows = vertices.count
    guard rows > 0 else { return Array(repeating: 0, count: layers) }
    var input = vertices.flatMap { $0 }
    var counts: [Int] = []
    for (index, layer) in network.layers.prefix(layers).enumerated() {
        // One gemm for all vertices, as the estimator forwards them.
        var z = gemm(input, layer.weights, m: rows, n: layer.outputs, k: layer.inputs, transposeB: true)
        var masks = [UInt8](repeating: 0, count: layer.outputs)
        for row in 0..<rows {
            for j in 0..<layer.outputs {
                let value = z[row * layer.outputs + j] + layer.bias[j]
                z[row * layer.outputs + j] = value
                masks[j] |= value > 0 ? 1 : value < 0 ? 2 : value == 0 ? 4 : 8
            }
        }
        counts.append(masks.filter { $0 & ($0 &- 1) != 0 }.count)
        if index + 1 < network.layers.count { input = z.map(network.activation.apply) }
    }
    return counts
}

/// Fixed-size result slots written from concurrent workers (each index by one worker only).
final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = DispatchSemaphore(value: 1)
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(index: Int) -> T? {
        get { lock.wait(); defer { lock.signal() }; return storage[index] }
        set { lock.wait(); defer { lock.signal() }; storage[index] = newValue }
    }
}

/// Correlation coefficients over paired values.
public enum Correlation {
    /// Pearson's r; nil when fewer than 2 pairs or either side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = min(x.count, y.count)
        guard n >= 2 else { return nil }
        let mx = x.prefix(n).reduce(0, +) / Double(n), my = y.prefix(n).reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// Spearman's ρ: Pearson's r of the ranks, ties given their average rank.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        let n = min(x.count, y.count)
        return pearson(ranks(Array(x.prefix(n))), ranks(Array(y.prefix(n))))
    }

    /// 1-based ranks, ties sharing the mean of the ranks they span.
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var result = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { result[order[k]] = rank }
            i = j + 1
        }
        return result
    }
}

/// Mean and population standard deviation; (0, 0) for no values.
public func meanAndStd(_ values: [Double]) -> (mean: Double, std: Double) {
    guard !values.isEmpty else { return (0, 0) }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance.squareRoot())
}

/// Picking checkpoints along an LC curve.
public enum CheckpointChoice {
    /// `count` indices into `steps` (sorted ascending) spread evenly in log(step + 1), always including the
    /// first and the last; all indices when `count` ≥ steps.count.
    public static func logSpread(steps: [Int], count: Int) -> [Int] {
        guard count < steps.count else { return Array(steps.indices) }
        guard count > 1 else { return [steps.count - 1] }
        let logs = steps.map { log(Double(max(0, $0)) + 1) }
        var chosen = Set<Int>()
        for k in 0..<count {
            let target = logs[0] + (logs[logs.count - 1] - logs[0]) * Double(k) / Double(count - 1)
            // The nearest index not taken yet (so the subset keeps `count` distinct checkpoints).
            let best = steps.indices.filter { !chosen.contains($0) }.min { abs(logs[$0] - target) < abs(logs[$1] - target) }!
            chosen.insert(best)
        }
        return chosen.sorted()
    }

    /// The four checkpoints of the paper's Figure 1, as indices into a curve sampled at ascending `steps`:
    ///
    /// - a: the first checkpoint (initialisation); d: the last.
    /// - The curve is smoothed by a centred running mean over 5 checkpoints (fewer at the ends), so a
    ///   single noisy checkpoint cannot pose as a minimum or a peak.
    /// - b, c: among interior checkpoints i < j, the pair with the largest rise smoothed[j] − smoothed[i]:
    ///   the bottom of the first descent and the top of the ascent that follows (with several dips, the
    ///   deepest valley before the highest later peak).
    /// - When no interior rise exceeds 5% of the smoothed curve's range (a monotone or flat curve), b and c
    ///   are the checkpoints nearest ⅓ and ⅔ of the way in log(step + 1) instead, and `hasAscent` is false.
    /// Indices are distinct when there are at least four checkpoints.
    public static func figureOne(steps: [Int], values: [Double]) -> (indices: [Int], hasAscent: Bool) {
        let n = min(steps.count, values.count)
        guard n >= 4 else { return (Array(0..<n) + Array(repeating: max(0, n - 1), count: 4 - n), false) }
        let smooth = smoothed(Array(values.prefix(n)), window: 5)
        let range = (smooth.max()! - smooth.min()!)
        var best: (i: Int, j: Int, rise: Double)? = nil
        var lowest = 1  // index of the smallest value among interior checkpoints before j
        for j in 2..<(n - 1) {
            if smooth[j - 1] < smooth[lowest] { lowest = j - 1 }
            let rise = smooth[j] - smooth[lowest]
            if rise > (best?.rise ?? 0) { best = (lowest, j, rise) }
        }
        if let best, best.rise > 0.05 * range { return ([0, best.i, best.j, n - 1], true) }
        let spread = logSpread(steps: Array(steps.prefix(n)), count: 4)
        return (spread.count == 4 ? spread : [0, 1, 2, n - 1], false)
    }

    /// Centred running mean over `window` values (truncated at the ends).
    public static func smoothed(_ values: [Double], window: Int) -> [Double] {
        let h = max(0, window / 2)
        return values.indices.map { i in
            let slice = values[max(0, i - h)...min(values.count - 1, i + h)]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }
}

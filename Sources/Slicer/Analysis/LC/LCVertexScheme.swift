import ForwardKernels
import Models

/// How the estimator obtains the values at the 2P vertices x ± r·v_p of a sample.
///
/// Values that are affine functions of the input (every value reached from the input through affine
/// operations only: dense, convolution, batch norm, pooling, sums, reshapes) satisfy
/// f(x ± r·v) = f(x) ± r·L(v), L the linear part of f. The scheme computes f(x) once per sample and
/// L(v_p) once per estimator, and forwards the vertices only from the first non-affine operation on.
/// For an MLP this is (W1·x + b1) ± r·(W1·v_p): one gemm row per sample in layer 1 instead of 2P.
struct LCVertexScheme<T: ForwardScalar>: Sendable {
    /// Values the vertex pass starts from (the input itself when nothing is factored).
    let frontier: [Int]
    /// Input → frontier values, one row per sample.
    let centrePlan: ForwardPlan
    /// Frontier → counted values, one row per vertex.
    let vertexPlan: ForwardPlan
    /// Per frontier value, its linear image of every direction: [P × size].
    let images: [Int: [T]]
    /// P.
    let directionCount: Int

    /// `factored` false forwards the vertices themselves (the frontier is the input).
    init(forward: GraphForward<T>, directions: [[Double]], observed: Set<Int>, factored: Bool) {
        let model = forward.model
        directionCount = directions.count
        var affine: Set<Int> = [0]
        if factored {
            for (n, node) in model.nodes.enumerated()
            where forward.steps[n].isAffine && node.inputs.allSatisfy(affine.contains) {
                affine.insert(n + 1)
            }
        }
        // The affine values the rest of the pass reads (or that are counted themselves).
        var frontier = Set<Int>(), seen = Set<Int>()
        var stack = Array(observed)
        while let value = stack.popLast() {
            guard seen.insert(value).inserted else { continue }
            if affine.contains(value) { frontier.insert(value) } else { stack.append(contentsOf: model.nodes[value - 1].inputs) }
        }
        self.frontier = frontier.sorted()
        centrePlan = ForwardPlan(model: model, steps: forward.steps, needed: frontier, given: [0], returned: frontier)
        vertexPlan = ForwardPlan(model: model, steps: forward.steps, needed: observed, given: frontier, observed: observed)
        let linear = forward.linearPart
        var scratch: [T] = []
        images = linear.evaluate(centrePlan, rows: directions.count, given: [0: directions.flatMap { $0 }.map(T.init)], scratch: &scratch)
    }

    /// The frontier values of the 2P vertices of each sample whose centre values are given (rows of
    /// `centres`), rows x + r·v_p and x − r·v_p in direction order.
    func vertexValues(centres: [Int: [T]], samples: Int, radius: Double, sizes: (Int) -> Int) -> [Int: [T]] {
        let vertexCount = 2 * directionCount
        let radius = T(radius)
        var result: [Int: [T]] = [:]
        for value in frontier {
            let units = sizes(value)
            let centre = centres[value]!, image = images[value]!
            result[value] = [T](unsafeUninitializedCapacity: samples * vertexCount * units) { z, initialized in
                centre.withUnsafeBufferPointer { centre in
                    image.withUnsafeBufferPointer { image in
                        T.vertices(centres: centre.baseAddress!, images: image.baseAddress!, samples: samples,
                                   directions: directionCount, units: units, radius: radius, into: z.baseAddress!)
                    }
                }
                initialized = samples * vertexCount * units
            }
        }
        return result
    }
}

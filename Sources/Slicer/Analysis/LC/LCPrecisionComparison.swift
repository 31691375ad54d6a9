import Engine
import Models

/// The float32 estimator against the float64 one on the same samples, with every unit whose count
/// differs explained: at some vertex its float32 and float64 values fall in different sign classes,
/// and the float64 value there lies within the a priori float32 error bound of zero
/// (`ForwardErrorBound`), so rounding alone can flip it.
public struct LCPrecisionComparison: Sendable {
    /// One unit of one sample counted in one precision and not in the other.
    public struct Difference: Sendable, CustomStringConvertible {
        public var sample: Int
        /// The counted layer's node name, and the unit within it.
        public var layer: String
        public var unit: Int
        /// The vertex (2p for x + r·v_p, 2p + 1 for x − r·v_p) whose sign classes differ.
        public var vertex: Int
        public var float64: Double
        public var float32: Double
        /// A priori bound on |float32 − float64| at that vertex.
        public var bound: Double
        /// The float64 value is within rounding of zero.
        public var explained: Bool { Swift.abs(float64) <= bound }

        public var description: String {
            "sample \(sample) \(layer) unit \(unit) vertex \(vertex): float64 \(float64), float32 \(float32), bound \(bound)\(explained ? "" : " (NOT explained)")"
        }
    }

    /// Per sample, per counted layer, the units counted in float32 and in float64.
    public var float32Counts: [[Int]]
    public var float64Counts: [[Int]]
    public var differences: [Difference]

    /// Mean LC (summed over layers) in each precision.
    public var means: (float32: Double, float64: Double) {
        func mean(_ counts: [[Int]]) -> Double { Double(counts.map { $0.reduce(0, +) }.reduce(0, +)) / Double(max(1, counts.count)) }
        return (mean(float32Counts), mean(float64Counts))
    }

    /// Compares every sample at `radius` over the activation layers of `model`.
    public static func compare(model: GraphModel, directions: [[Double]], radius: Double, samples: [[Double]]) throws -> LCPrecisionComparison {
        let estimator = try LCEstimator(model: model, directions: directions, radii: [radius], precision: .float64)
        let layers = estimator.layers
        let observed = Set(layers.map(\.value))
        let forward64 = try GraphForward(model: model)
        let forward32 = try GraphForward(model: model, scalar: Float.self)
        let scheme64 = LCVertexScheme(forward: forward64, directions: directions, observed: observed, factored: true)
        let scheme32 = LCVertexScheme(forward: forward32, directions: directions, observed: observed, factored: true)
        let p = directions.count, vertexCount = 2 * p
        let u = ForwardErrorBound.u
        // The directions' linear images with their float32 error bounds (the input rounded once).
        let v = directions.flatMap { $0 }
        let images = ForwardErrorBound.propagate(forward64.linearPart, scheme64.centrePlan, rows: p,
                                                 given: [0: (v, v.map { u * Swift.abs($0) })])
        var result = LCPrecisionComparison(float32Counts: [], float64Counts: [], differences: [])
        var scratch: [Float] = []
        for (s, x) in samples.enumerated() {
            // float32: the estimator's own scheme.
            let centres32 = forward32.evaluate(scheme32.centrePlan, rows: 1, given: [0: x.map(Float.init)], scratch: &scratch)
            let seeds32 = scheme32.vertexValues(centres: centres32, samples: 1, radius: radius, sizes: forward32.size(ofValue:))
            var values32: [Int: [Float]] = [:]
            _ = forward32.evaluate(scheme32.vertexPlan, rows: vertexCount, given: seeds32, scratch: &scratch) { value, z in
                values32[value] = Array(z)
            }
            // float64 values and bounds along the same route.
            let centres = ForwardErrorBound.propagate(forward64, scheme64.centrePlan, rows: 1, given: [0: (x, x.map { u * Swift.abs($0) })])
            var seeds: [Int: (values: [Double], errors: [Double])] = [:]
            for value in scheme64.frontier {
                let units = forward64.size(ofValue: value)
                let (c, ec) = centres[value]!, (image, ei) = images[value]!
                var z = [Double](repeating: 0, count: vertexCount * units), e = z
                for q in 0..<p {
                    for j in 0..<units {
                        let offset = radius * image[q * units + j]
                        let centreMagnitude = Swift.abs(c[j]) + ec[j]
                        let offsetMagnitude = radius * (1 + u) * (Swift.abs(image[q * units + j]) + ei[q * units + j])
                        // ĉ ± fl(r̂·î): the centre's and image's errors, r's rounding, two more roundings.
                        let error = ec[j] + radius * (1 + u) * ei[q * units + j] + u * radius * Swift.abs(image[q * units + j])
                            + ForwardErrorBound.gamma(2) * (centreMagnitude + offsetMagnitude)
                        z[(2 * q) * units + j] = c[j] + offset; e[(2 * q) * units + j] = error
                        z[(2 * q + 1) * units + j] = c[j] - offset; e[(2 * q + 1) * units + j] = error
                    }
                }
                seeds[value] = (z, e)
            }
            let values64 = ForwardErrorBound.propagate(forward64, scheme64.vertexPlan, rows: vertexCount, given: seeds)
            var row32: [Int] = [], row64: [Int] = []
            for layer in layers {
                let z32 = values32[layer.value]!, (z64, bound) = values64[layer.value]!
                var count32 = 0, count64 = 0
                for unit in 0..<layer.units {
                    let changed32 = (0..<vertexCount).contains { signClass(Double(z32[$0 * layer.units + unit])) != signClass(Double(z32[unit])) }
                    let changed64 = (0..<vertexCount).contains { signClass(z64[$0 * layer.units + unit]) != signClass(z64[unit]) }
                    count32 += changed32 ? 1 : 0; count64 += changed64 ? 1 : 0
                    guard changed32 != changed64 else { continue }
                    let vertex = (0..<vertexCount).first {
                        signClass(Double(z32[$0 * layer.units + unit])) != signClass(z64[$0 * layer.units + unit])
                    }!
                    let index = vertex * layer.units + unit
                    result.differences.append(Difference(sample: s, layer: layer.name, unit: unit, vertex: vertex,
                                                         float64: z64[index], float32: Double(z32[index]), bound: bound[index]))
                }
                row32.append(count32); row64.append(count64)
            }
            result.float32Counts.append(row32); result.float64Counts.append(row64)
        }
        return result
    }

    static func signClass(_ z: Double) -> Int { z > 0 ? 1 : (z < 0 ? -1 : (z == 0 ? 0 : 2)) }
}

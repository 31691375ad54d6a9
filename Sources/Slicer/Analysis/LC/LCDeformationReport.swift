import Foundation
import Models

/// `lc --deformation`: the neighbourhood graph's average eccentricity and diameter per stage, at every
/// radius, for the JSON (key `deformation`) and the plot.
public struct LCDeformationReport: Sendable {
    public var byRadius: [(radius: Double, stages: [NeighbourhoodDeformation.Stage])]
    public var samples: Int
    public var seconds: Double

    /// Measures `samples` at every radius (radius 0 is skipped: the neighbourhood is one point).
    public static func measure(model: GraphModel, samples: [[Double]], directions: [[Double]], radii: [Double],
                               precision: Precision, parallelism: Parallelism = .machine) throws -> LCDeformationReport {
        let start = Date()
        var deformation = try NeighbourhoodDeformation(model: model, directions: directions, precision: precision)
        deformation.parallelism = parallelism
        let measured = try radii.filter { $0 > 0 }.map { (radius: $0, stages: try deformation.measure(samples: samples, radius: $0)) }
        guard !measured.isEmpty else { throw TesseraError.badInput("--deformation needs a positive --radius") }
        return LCDeformationReport(byRadius: measured, samples: samples.count, seconds: Date().timeIntervalSince(start))
    }

    /// One line: the deepest stage relative to the input, per radius.
    public var summary: String {
        "deformation (\(samples) samples, \(String(format: "%.1f", seconds)) s): " + byRadius.map { entry in
            let input = entry.stages[0], deepest = entry.stages[entry.stages.count - 1]
            return String(format: "r=%g eccentricity ×%.3g, diameter ×%.3g after %@", entry.radius,
                          deepest.eccentricity.mean / max(.leastNormalMagnitude, input.eccentricity.mean),
                          deepest.diameter.mean / max(.leastNormalMagnitude, input.diameter.mean), deepest.name)
        }.joined(separator: "; ")
    }

    /// The JSON entries: per radius, per stage the means and stds, and the means relative to the input's.
    public var jsonObject: [[String: Any]] {
        byRadius.map { entry in
            let input = entry.stages[0]
            return ["radius": entry.radius, "samples": samples, "stages": entry.stages.map { stage -> [String: Any] in
                ["index": stage.index, "name": stage.name,
                 "eccentricity": ["mean": stage.eccentricity.mean, "std": stage.eccentricity.std,
                                  "relative": input.eccentricity.mean > 0 ? stage.eccentricity.mean / input.eccentricity.mean as Any : NSNull()],
                 "diameter": ["mean": stage.diameter.mean, "std": stage.diameter.std,
                              "relative": input.diameter.mean > 0 ? stage.diameter.mean / input.diameter.mean as Any : NSNull()]]
            }]
        }
    }

    /// `json` (an `lc --json` object) with `deformation` added.
    public func merged(into json: Data, set: String) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else { return json }
        object["deformation"] = ["split": set, "graph": "cross-polytope of x ± r·v_p (antipodal pairs not joined), Euclidean edge lengths",
                                 "results": jsonObject] as [String: Any]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}

import Foundation
import Models

/// LC results of one model (a checkpoint) over several sample sets, formatted as CSV rows and JSON.
public struct LCReport: Sendable {
    /// Training step of the model, when known.
    public var step: Int?
    /// (set name, one result per radius).
    public var results: [(set: String, byRadius: [LCResult])]
    public var directions: Int
    public var includeOutput: Bool
    public var seconds: Double
    /// The counted layers (names and kinds for the JSON); empty when unknown.
    public var layers: [LCLayer]

    public init(step: Int?, results: [(set: String, byRadius: [LCResult])], directions: Int, includeOutput: Bool,
                seconds: Double, layers: [LCLayer] = []) {
        self.step = step; self.results = results; self.directions = directions
        self.includeOutput = includeOutput; self.seconds = seconds; self.layers = layers
    }

    /// CSV header for `layers` counted layers.
    public static func csvHeader(layers: Int) -> String {
        (["step", "split", "radius", "samples", "lc_mean", "lc_std"]
            + (1...max(1, layers)).flatMap { ["layer\($0)_mean", "layer\($0)_std"] }).joined(separator: ",")
    }

    /// One CSV row per sample set × radius.
    public var csvRows: [String] {
        results.flatMap { entry in
            entry.byRadius.map { r in
                ([step.map(String.init) ?? "", entry.set, "\(r.radius)", "\(r.samples)", "\(r.mean)", "\(r.std)"]
                    + zip(r.layerMeans, r.layerStds).flatMap { ["\($0)", "\($1)"] }).joined(separator: ",")
            }
        }
    }

    /// The JSON of `lc --json`: the first set's first radius at top level, plus `radii` (the first set, every radius)
    /// and `results` (every set and radius, each with its `split`).
    public func json() throws -> Data {
        guard let first = results.first, let head = first.byRadius.first else { throw TesseraError.badInput("no LC results") }
        var object = entry(head)
        object["split"] = first.set
        object["radii"] = first.byRadius.map(entry)
        object["results"] = results.flatMap { set in set.byRadius.map { r -> [String: Any] in
            var e = entry(r); e["split"] = set.set; return e
        } }
        object["include_output"] = includeOutput
        object["seconds"] = seconds
        if let step { object["step"] = step }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    func entry(_ r: LCResult) -> [String: Any] {
        [
            "lc": ["mean": r.mean, "std": r.std],
            "layers": r.layerMeans.indices.map { i -> [String: Any] in
                var layer: [String: Any] = ["index": i + 1, "mean": r.layerMeans[i], "std": r.layerStds[i]]
                if i < layers.count {
                    layer["name"] = layers[i].name; layer["kind"] = layers[i].kind.rawValue; layer["units"] = layers[i].units
                }
                return layer
            },
            "samples": r.samples, "directions": directions, "radius": r.radius,
        ]
    }
}

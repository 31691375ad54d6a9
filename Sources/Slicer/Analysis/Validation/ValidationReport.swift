import Foundation

/// The records of one checkpoint (one per sample, in sample order).
public struct ValidationCheckpoint: Sendable {
    public var step: Int
    public var records: [ValidationRecord]
    public var seconds: Double
    public init(step: Int, records: [ValidationRecord], seconds: Double) {
        self.step = step; self.records = records; self.seconds = seconds
    }

    public func stats(_ value: (ValidationRecord) -> Int) -> (mean: Double, std: Double) {
        meanAndStd(records.map { Double(value($0)) })
    }
}

/// A case where the P = 2 estimate counted more neurons than the exact slice (should never happen).
public struct ValidationViolation: Sendable, Equatable {
    public var step: Int, sample: Int, layer: Int, lc2: Int, exact: Int
    public init(step: Int, sample: Int, layer: Int, lc2: Int, exact: Int) {
        self.step = step; self.sample = sample; self.layer = layer; self.lc2 = lc2; self.exact = exact
    }
}

/// Exact vs approximate LC over a run's checkpoints: CSV rows, JSON summary, statistics.
public struct ValidationReport: Sendable {
    public var checkpoints: [ValidationCheckpoint]
    public var radius: Double
    public var directions: Int
    public var layers: Int
    public var info: [String: String]

    public init(checkpoints: [ValidationCheckpoint], radius: Double, directions: Int, layers: Int, info: [String: String] = [:]) {
        self.checkpoints = checkpoints; self.radius = radius; self.directions = directions; self.layers = layers; self.info = info
    }

    public static func csvHeader(layers: Int) -> String {
        let l = 1...max(1, layers)
        return (["step", "sample", "exact_regions"] + l.map { "exact_cut_layer\($0)" } + ["exact_cut_total"]
                + l.map { "lc2_layer\($0)" } + ["lc2_total"] + l.map { "lcP_layer\($0)" } + ["lcP_total"])
            .joined(separator: ",")
    }

    /// One row per checkpoint × sample, with a header (pandas-readable).
    public var csv: String {
        var lines = [ValidationReport.csvHeader(layers: layers)]
        for c in checkpoints {
            for (s, r) in c.records.enumerated() {
                let fields = [c.step, s, r.exactRegions] + r.exactCut + [r.exactCutTotal] + r.lc2 + [r.lc2Total] + r.lcP + [r.lcPTotal]
                lines.append(fields.map(String.init).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every (checkpoint, sample, layer) where the P = 2 estimate exceeds the exact neurons_cut.
    public var violations: [ValidationViolation] {
        checkpoints.flatMap { c in
            c.records.enumerated().flatMap { s, r in
                r.violatingLayers.map { ValidationViolation(step: c.step, sample: s, layer: $0, lc2: r.lc2[$0 - 1], exact: r.exactCut[$0 - 1]) }
            }
        }
    }

    /// Per hidden layer: the fraction of (sample, checkpoint) pairs where the P = 2 estimate counts fewer
    /// neurons than the exact neurons_cut of that layer.
    public var missRates: [Double] {
        let all = checkpoints.flatMap(\.records)
        guard !all.isEmpty else { return Array(repeating: 0, count: layers) }
        return (0..<layers).map { l in Double(all.filter { $0.lc2[l] < $0.exactCut[l] }.count) / Double(all.count) }
    }

    /// Pearson and Spearman between two per-checkpoint means and between the same quantities pooled over
    /// all (sample, checkpoint) pairs.
    func correlation(_ a: (ValidationRecord) -> Int, _ b: (ValidationRecord) -> Int) -> [String: Any] {
        let ma = checkpoints.map { $0.stats(a).mean }, mb = checkpoints.map { $0.stats(b).mean }
        let all = checkpoints.flatMap(\.records)
        let pa = all.map { Double(a($0)) }, pb = all.map { Double(b($0)) }
        func value(_ v: Double?) -> Any { v ?? NSNull() }
        return [
            "across_checkpoints": ["pearson": value(Correlation.pearson(ma, mb)), "spearman": value(Correlation.spearman(ma, mb))],
            "pooled_pairs": ["pearson": value(Correlation.pearson(pa, pb)), "spearman": value(Correlation.spearman(pa, pb))],
        ]
    }

    /// The JSON summary (see `ValidateCommand`).
    public func summary(seconds: Double) -> [String: Any] {
        func stat(_ c: ValidationCheckpoint, _ value: (ValidationRecord) -> Int) -> [String: Double] {
            let s = c.stats(value)
            return ["mean": s.mean, "std": s.std]
        }
        func layered(_ c: ValidationCheckpoint, _ total: (ValidationRecord) -> Int, _ perLayer: @escaping (ValidationRecord) -> [Int]) -> [String: Any] {
            var entry: [String: Any] = stat(c, total)
            entry["layers"] = (0..<layers).map { l -> [String: Any] in
                let s = c.stats { perLayer($0)[l] }
                return ["index": l + 1, "mean": s.mean, "std": s.std]
            }
            return entry
        }
        let perCheckpoint: [[String: Any]] = checkpoints.map { c in
            let misses = (0..<layers).map { l in
                Double(c.records.filter { $0.lc2[l] < $0.exactCut[l] }.count) / Double(max(1, c.records.count))
            }
            return ["step": c.step, "samples": c.records.count, "seconds": c.seconds,
                    "exact_regions": stat(c, \.exactRegions),
                    "exact_cut": layered(c, \.exactCutTotal, \.exactCut),
                    "lc2": layered(c, \.lc2Total, \.lc2),
                    "lcP": layered(c, \.lcPTotal, \.lcP),
                    "lc2_miss_rate": misses]
        }
        let all = checkpoints.flatMap(\.records)
        let violations = self.violations
        let rates = missRates
        var result: [String: Any] = [
            "radius": radius, "directions": directions, "hidden_layers": layers,
            "checkpoints": perCheckpoint, "pairs": all.count, "seconds": seconds,
            "correlations": [
                "exact_regions_vs_lc2": correlation(\.exactRegions, \.lc2Total),
                "exact_regions_vs_lcP": correlation(\.exactRegions, \.lcPTotal),
                "exact_cut_vs_lc2": correlation(\.exactCutTotal, \.lc2Total),
                "exact_cut_vs_lcP": correlation(\.exactCutTotal, \.lcPTotal),
                "exact_regions_vs_exact_cut": correlation(\.exactRegions, \.exactCutTotal),
            ],
            "lc2_miss_rate": [
                "layers": rates.enumerated().map { ["index": $0.offset + 1, "miss_rate": $0.element] },
                "any_layer": Double(all.filter { r in r.lc2.indices.contains { r.lc2[$0] < r.exactCut[$0] } }.count) / Double(max(1, all.count)),
                "definition": "fraction of (sample, checkpoint) pairs where the P = 2 estimate on the diamond's corners counts fewer neurons than the exact neurons_cut of that layer",
            ],
            "lc2_exceeds_exact": [
                "count": violations.count,
                "cases": violations.prefix(20).map { ["step": $0.step, "sample": $0.sample, "layer": $0.layer, "lc2": $0.lc2, "exact": $0.exact] },
            ],
        ]
        for (key, value) in info { result[key] = value }
        return result
    }
}

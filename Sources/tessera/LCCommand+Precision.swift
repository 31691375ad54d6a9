import Foundation
import Slicer

extension LCCommand {
    /// `--compare-precision`: float32 against float64 counts on every set and radius, each differing unit
    /// explained by the float32 error bound, or one error line naming the first that is not.
    func runPrecisionComparison(_ plan: Plan) throws {
        guard model != nil, shard == nil, csv == nil, plot == nil, !deformation, layers == nil, !includeOutput, !maxPoolWindows else {
            throw TesseraError.badInput("--compare-precision takes one --model and its activation layers (no run, --shard, --csv, --plot, --deformation, --layers, --include-output or --max-pool-windows)")
        }
        var entries: [[String: Any]] = []
        var unexplained: LCPrecisionComparison.Difference?
        for set in plan.sets {
            for radius in plan.radii {
                let comparison = try LCPrecisionComparison.compare(model: plan.first.model, directions: plan.frameRows,
                                                                   radius: radius, samples: set.points)
                let (mean32, mean64) = comparison.means
                let relative = mean64 == 0 ? (mean32 == 0 ? 0 : Double.infinity) : Swift.abs(mean32 - mean64) / mean64
                let bad = comparison.differences.filter { !$0.explained }
                unexplained = unexplained ?? bad.first
                print("\(set.name) r = \(radius): mean LC float32 \(mean32), float64 \(mean64) (relative difference \(String(format: "%.2e", relative))); \(comparison.differences.count) unit(s) counted in one precision only, \(bad.count) unexplained")
                entries.append([
                    "set": set.name, "radius": radius, "samples": set.points.count,
                    "float32_mean": mean32, "float64_mean": mean64, "relative_difference": relative,
                    "differing_units": comparison.differences.count, "unexplained": bad.count,
                    "differences": comparison.differences.prefix(100).map { difference in
                        ["sample": difference.sample, "layer": difference.layer, "unit": difference.unit, "vertex": difference.vertex,
                         "float64": difference.float64, "float32": difference.float32, "bound": difference.bound] as [String: Any]
                    },
                ])
            }
        }
        if let json {
            let data = try JSONSerialization.data(withJSONObject: ["directions": plan.frameRows.count, "comparisons": entries],
                                                  options: [.prettyPrinted, .sortedKeys])
            try write(data, to: json)
        }
        if let unexplained {
            throw TesseraError.badInput("a count differs beyond float32 rounding: \(unexplained)")
        }
    }
}

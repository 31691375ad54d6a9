import Foundation
import Polytope
import Slicer
import Testing
@testable import Engine
@testable import Models

/// The JSON summary of a slice written from `canonicaliseSummary()` (no reordering) is the summary of
/// the fully canonical slice, to the last bit of every area and length, on one thread or several.
@Suite struct CanonicalSummaryTests {
    @Test(arguments: [0, 1, 2])
    func summaryIsTheCanonicalSlicesSummary(seed: Int) throws {
        let (network, anchors) = try standardWorkload(widths: [24, 40, 40, 40, 10], seed: UInt64(seed))
        for threads in [1, 3] {
            var options = SliceOptions(domain: .square(scale: 1.5))
            options.parallelism = Parallelism(threads: threads)
            let result = try slice(network: network, anchors: anchors, options: options)
            let full = result.canonicalized(parallelism: options.parallelism)
            var summary = result
            summary.canonicaliseSummary(parallelism: options.parallelism)
            #expect(result.regions.count > 200, "seed \(seed): a slice worth summarising")
            let areas = summary.regions.map(\.area.bitPattern).sorted(), canonical = full.regions.map(\.area.bitPattern).sorted()
            let differing = zip(areas, canonical).filter { $0 != $1 }.count
            #expect(areas.count == canonical.count && differing == 0,
                    "seed \(seed), \(threads) threads: \(differing) areas differ from the canonical rings'")
            #expect(summary.boundaryLength.bitPattern == full.boundaryLength.bitPattern, "seed \(seed), \(threads) threads")
            #expect(try Self.report(summary) == Self.report(full), "seed \(seed), \(threads) threads: the same JSON")
        }
    }

    static func report(_ result: SliceResult) throws -> Data {
        var fields = sliceReport(result)
        fields["seconds"] = 0
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    }
}

import Foundation
import Testing
import Slicer
import Trainer
import TestSupport

@Suite(.oneAtATime, .timeLimit(.minutes(20))) struct ValidationTests {
    /// A seeded random network with generic Gaussian weights.
    func network(_ sizes: [Int], seed: UInt64) throws -> Network {
        var generator = SeededGenerator(seed: seed)
        let layers = (0..<(sizes.count - 1)).map { l in
            DenseLayer(inputs: sizes[l], outputs: sizes[l + 1],
                       weights: (0..<(sizes[l] * sizes[l + 1])).map { _ in generator.gaussian() / Double(sizes[l]).squareRoot() },
                       bias: (0..<sizes[l + 1]).map { _ in generator.uniform(-0.5, 0.5) })
        }
        return try Network(layers: layers, activation: .relu)
    }

    func samples(_ count: Int, dimension: Int, seed: UInt64) -> [[Double]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<dimension).map { _ in generator.nextUnit() } }
    }

    @Test func diamondCornersAreXPlusMinusRV() throws {
        let net = try network([7, 10, 2], seed: 1)
        let frame = try LCDirections.random(count: 3, dimension: 7, seed: 2)
        let measurer = try ValidationMeasurer(network: net, directions: frame, radius: 0.2)
        let x = samples(1, dimension: 7, seed: 3)[0]
        let corners = try measurer.corners(at: x)
        #expect(corners.count == 4)
        let expected = [(0, 1.0), (1, 1.0), (0, -1.0), (1, -1.0)].map { p, sign in zip(x, frame[p]).map { $0 + sign * 0.2 * $1 } }
        for corner in corners {
            let nearest = expected.map { e in zip(corner, e).map { abs($0 - $1) }.max()! }.min()!
            #expect(nearest < 1e-12)
        }
    }

    @Test func oneHiddenLayerP2EqualsExactNeuronsCut() throws {
        let net = try network([8, 40, 3], seed: 11)
        let frame = try LCDirections.random(count: 4, dimension: 8, seed: 12)
        let measurer = try ValidationMeasurer(network: net, directions: frame, radius: 0.3)
        var cut = 0, uncut = 0
        for x in samples(25, dimension: 8, seed: 13) {
            let e = try measurer.exact(at: x)
            #expect(e.lc2 == e.cut)
            // An arrangement of k lines in general position cuts a convex domain into at least k + 1 regions.
            #expect(e.regions >= e.cut[0] + 1)
            cut += e.cut[0]; uncut += 40 - e.cut[0]
        }
        #expect(cut > 0 && uncut > 0)  // neither vacuous nor saturated
    }

    @Test func deeperNetworksP2NeverExceedsExactNeuronsCut() throws {
        var misses = 0, counted = 0
        for seed in UInt64(0)..<3 {
            let net = try network([6, 16, 16, 16, 2], seed: 20 + seed)
            let frame = try LCDirections.random(count: 5, dimension: 6, seed: 30 + seed)
            let measurer = try ValidationMeasurer(network: net, directions: frame, radius: 0.6)
            for x in samples(20, dimension: 6, seed: 40 + seed) {
                let e = try measurer.exact(at: x)
                #expect(e.lc2.count == 3 && e.cut.count == 3)
                for l in 0..<3 {
                    #expect(e.lc2[l] <= e.cut[l], "layer \(l + 1): P = 2 counted \(e.lc2[l]) > exact \(e.cut[l])")
                    if e.lc2[l] < e.cut[l] { misses += 1 }
                    counted += e.lc2[l]
                }
                #expect(e.lc2[0] == e.cut[0])  // layer 1 is affine in the plane: no misses there
            }
        }
        #expect(counted > 0)
        #expect(misses > 0)  // curved deeper-layer zero sets do slip between corners: the bound is not vacuous equality
    }

    @Test func parallelMeasureMatchesSequentialAndTheFullEstimator() throws {
        let net = try network([6, 12, 12, 2], seed: 50)
        let frame = try LCDirections.random(count: 5, dimension: 6, seed: 51)
        let xs = samples(9, dimension: 6, seed: 52)
        var measurer = try ValidationMeasurer(network: net, directions: frame, radius: 0.4)
        measurer.parallelism = Parallelism(threads: 2)
        let records = try measurer.measure(samples: xs)
        let full = try LCEstimator(network: net, directions: frame, radii: [0.4], precision: .float32).estimate(samples: xs)[0]
        #expect(records.count == xs.count)
        for (i, x) in xs.enumerated() {
            let e = try measurer.exact(at: x)
            #expect(records[i].exactRegions == e.regions && records[i].exactCut == e.cut && records[i].lc2 == e.lc2)
            #expect(records[i].lcP == full.counts[i])
            // The full estimator's vertices include x ± r·v1, x ± r·v2 (the corners, up to rounding), so it
            // sees every sign change the P = 2 corners see.
            #expect(zip(records[i].lcP, records[i].lc2).allSatisfy { $0 >= $1 })
        }
    }

    @Test func signChangeCountsMatchTheEstimator() throws {
        let net = try network([5, 9, 9, 3], seed: 60)
        let frame = try LCDirections.random(count: 3, dimension: 5, seed: 61)
        let xs = samples(6, dimension: 5, seed: 62)
        let counts = try LCEstimator(network: net, directions: frame, radii: [0.3], precision: .float32).estimate(samples: xs)[0].counts
        for (i, x) in xs.enumerated() {
            let vertices = frame.flatMap { v in [zip(x, v).map { $0 + 0.3 * $1 }, zip(x, v).map { $0 - 0.3 * $1 }] }
            #expect(signChangeCounts(network: net, vertices: vertices) == counts[i])
        }
    }

    @Test func correlationsOnKnownValues() {
        let x: [Double] = [1, 2, 3, 4, 5]
        #expect(abs(Correlation.pearson(x, x.map { 2 * $0 + 1 })! - 1) < 1e-12)
        #expect(abs(Correlation.pearson(x, x.map { -$0 })! + 1) < 1e-12)
        #expect(abs(Correlation.pearson(x, x.map { $0 * $0 })! - 0.981104910251593) < 1e-12)
        #expect(abs(Correlation.spearman(x, x.map { $0 * $0 * $0 })! - 1) < 1e-12)  // monotone ⇒ ρ = 1
        #expect(abs(Correlation.spearman(x, [5, 6, 7, 8, 7])! - 0.8207826816681233) < 1e-12)  // with a tie
        #expect(abs(Correlation.pearson([1, 2, 2, 3], [1, 3, 2, 4])! - 0.9486832980505138) < 1e-12)
        #expect(Correlation.ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(Correlation.pearson(x, [3, 3, 3, 3, 3]) == nil)
        #expect(Correlation.spearman([1], [2]) == nil)
    }

    /// Log-spaced steps as the trainer writes them.
    var steps: [Int] { CheckpointSchedule.logSpaced(perDecade: 10, finalStep: 10_000) }

    @Test func figureOnePicksInitMinimumPeakEnd() {
        var generator = SeededGenerator(seed: 7)
        // Double descent in log(step): fall to a minimum near step 100, rise to a peak near 1,000, fall again.
        let values = steps.map { step -> Double in
            let t = log10(Double(step) + 1)
            let shape = t < 2 ? 10 - 3.5 * t : t < 3 ? 3 + 5 * (t - 2) : 8 - 6 * (t - 3)
            return shape + generator.uniform(-0.4, 0.4)
        }
        let (chosen, ascent) = CheckpointChoice.figureOne(steps: steps, values: values)
        #expect(ascent)
        #expect(chosen.count == 4 && chosen[0] == 0 && chosen[3] == steps.count - 1)
        #expect(chosen == chosen.sorted() && Set(chosen).count == 4)
        #expect((50...200).contains(steps[chosen[1]]), "minimum at step \(steps[chosen[1]])")
        #expect((500...2000).contains(steps[chosen[2]]), "peak at step \(steps[chosen[2]])")
    }

    @Test func figureOneFallsBackOnMonotoneCurvesAndIgnoresOneSpike() {
        var values = steps.indices.map { 10 - 9 * Double($0) / Double(steps.count - 1) }
        values[steps.count / 2] += 1.5  // one noisy checkpoint, not an ascent phase
        let (chosen, ascent) = CheckpointChoice.figureOne(steps: steps, values: values)
        #expect(!ascent)
        #expect(chosen.count == 4 && chosen[0] == 0 && chosen[3] == steps.count - 1 && Set(chosen).count == 4)
        #expect(chosen == chosen.sorted())
        // Spread in log(step + 1): b near a third of the way, c near two thirds.
        let logs = chosen.map { log(Double(steps[$0]) + 1) }, end = log(10_001.0)
        #expect(abs(logs[1] - end / 3) < 0.3 && abs(logs[2] - 2 * end / 3) < 0.3)
    }

    @Test func logSpreadSubsetKeepsEndsAndIsDistinct() {
        let subset = CheckpointChoice.logSpread(steps: steps, count: 6)
        #expect(subset.count == 6 && Set(subset).count == 6 && subset == subset.sorted())
        #expect(subset.first == 0 && subset.last == steps.count - 1)
        #expect(CheckpointChoice.logSpread(steps: [0, 1, 2], count: 5) == [0, 1, 2])
    }

    @Test func reportMissRatesViolationsAndCSV() {
        let records = [
            ValidationRecord(exactRegions: 5, exactCut: [2, 2], lc2: [2, 1], lcP: [3, 2]),
            ValidationRecord(exactRegions: 3, exactCut: [1, 1], lc2: [1, 1], lcP: [2, 2]),
            ValidationRecord(exactRegions: 1, exactCut: [0, 0], lc2: [0, 1], lcP: [0, 1]),  // impossible; must be flagged
            ValidationRecord(exactRegions: 2, exactCut: [1, 0], lc2: [1, 0], lcP: [1, 0]),
        ]
        let report = ValidationReport(checkpoints: [ValidationCheckpoint(step: 0, records: Array(records[0..<2]), seconds: 0),
                                                    ValidationCheckpoint(step: 10, records: Array(records[2..<4]), seconds: 0)],
                                      radius: 0.05, directions: 4, layers: 2)
        #expect(report.missRates == [0, 0.25])
        #expect(report.violations == [ValidationViolation(step: 10, sample: 0, layer: 2, lc2: 1, exact: 0)])
        let lines = report.csv.split(separator: "\n")
        #expect(lines.count == 5)
        let header = lines[0].split(separator: ",")
        #expect(header.count == 3 + 3 * 3 && header[0] == "step" && header.contains("lcP_total"))
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == header.count })
        #expect(lines[1] == "0,0,5,2,2,4,2,1,3,3,2,5")
        let summary = report.summary(seconds: 1)
        #expect((summary["lc2_exceeds_exact"] as? [String: Any])?["count"] as? Int == 1)
    }
}

import Foundation
import Pipelines
import Polytope
import Render
import Slicer
import Testing
import Trainer

/// The plots of a training run: what they draw, on which axis, and what they tell the reader.
@Suite(.timeLimit(.minutes(20)))
struct RunPlotTests {
    static let steps = [0, 1, 2, 10, 100, 1000]
    static let radii = [0.005, 0.05, 0.5]

    /// LC reports of three sample sets at three radii over `steps`, with made-up counts.
    static func reports() -> [LCReport] {
        steps.map { step in
            let results = ["train", "test", "random"].enumerated().map { s, set in
                (set: set, byRadius: radii.enumerated().map { r, radius in
                    LCResult(radius: radius, counts: (0..<4).map { k in [step % 7 + k + s + r, k] }, layers: 2)
                })
            }
            return LCReport(step: step, results: results, directions: 25, includeOutput: false, seconds: 0)
        }
    }

    static let metrics = steps.map { MetricsRow(step: $0, trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testAccuracy: 0.4) }

    @Test func lcPlotHasOnePanelPerRadius() throws {
        let plots = lcPlots(Self.reports(), metrics: Self.metrics)
        #expect(plots.count == 3)
        for (plot, radius) in zip(plots, Self.radii) {
            #expect(plot.title?.contains("r = \(radius)") == true, "\(plot.title ?? "")")
            // Each panel shows its own radius's means.
            let train = try #require(plot.series.first { $0.name == "train LC" })
            let index = Self.radii.firstIndex(of: radius)!
            #expect(train.y == Self.reports().map { $0.results[0].byRadius[index].mean })
        }
        let image = try renderPlotsPixels(plots)
        #expect(image.width == 3 * plots[0].width && image.height == plots[0].height)
        // Every panel is drawn: the train colour appears in each third of the picture.
        for panel in 0..<3 {
            var found = 0
            for y in stride(from: 0, to: image.height, by: 2) {
                for x in stride(from: panel * image.width / 3, to: (panel + 1) * image.width / 3, by: 2)
                where Probe.matches(image.pixel(x: x, y: y), .lcTrain, tolerance: 3) { found += 1 }
            }
            #expect(found > 50, "panel \(panel): \(found) train-coloured pixels")
        }
    }

    @Test func everyPlotDrawsStepZeroAtOneAndSaysSo() {
        let reports = Self.reports()
        let validation = ValidationReport(
            checkpoints: Self.steps.map { step in
                ValidationCheckpoint(step: step, records: [ValidationRecord(exactRegions: 3 + step % 5, exactCut: [2], lc2: [1], lcP: [2])], seconds: 0)
            }, radius: 0.05, directions: 25, layers: 1)
        let rows = Self.steps.map { step in
            PartitionRow(step: step, result: EngineSlices.binary, radius: 0.5, delta: 0.5, testAccuracy: nil)
        }
        let plots = lcPlots(reports, metrics: Self.metrics)
            + [figureLCPlot(steps: Self.steps, sets: ["train"], curves: [reports.map { $0.results[0].byRadius[1] }], chosen: [0, 2, 4, 5],
                            letters: ["a", "b", "c", "d"], metrics: Self.metrics, radius: 0.05, directions: 25),
               validationPlot(validation, split: "train")]
            + migrationPlots(rows, delta: 0.5)
        let want = Self.steps.map { Double($0 + 1) }
        for plot in plots {
            #expect(plot.xLabel == StepAxis.label && plot.xLabel.contains("step + 1"), "\(plot.title ?? ""): \(plot.xLabel)")
            for series in plot.series where series.axis == .left {
                // Every checkpoint, step 0 included, at step + 1: no point dropped, none clamped onto another.
                #expect(series.x == want, "\(plot.title ?? "") · \(series.name): \(series.x)")
            }
        }
    }

    @Test func bandsAreExplainedInTheLegend() throws {
        let plots = lcPlots(Self.reports(), metrics: Self.metrics)
        for plot in plots {
            #expect(plot.legendEntries.last?.label.contains("25% of the std") == true, "\(plot.legendEntries.map(\.label))")
        }
        // The note takes a legend row of its own, with a grey swatch of the band's shade.
        var noted = plots[0]
        noted.legendCorner = .upperRight  // the same frame with and without the note
        var bare = noted
        bare.bandNote = nil
        let shade = noted.legendEntries.last!.color
        let swatch = Color(1 - shade.a * (1 - shade.r), 1 - shade.a * (1 - shade.g), 1 - shade.a * (1 - shade.b))
        let (with, without) = (try renderPlotPixels(noted), try renderPlotPixels(bare))
        #expect(Self.count(swatch, in: with) > Self.count(swatch, in: without) + 150)
    }

    /// Pixels of one colour (within 4 per channel).
    static func count(_ color: Color, in image: RasterImage) -> Int {
        var found = 0
        for y in 0..<image.height {
            for x in 0..<image.width where Probe.matches(image.pixel(x: x, y: y), color, tolerance: 4) { found += 1 }
        }
        return found
    }

    @Test func figurePanelShowsTrainAndTestAccuracy() {
        let reports = Self.reports()
        let plot = figureLCPlot(steps: Self.steps, sets: ["train", "test"],
                                curves: [0, 1].map { s in reports.map { $0.results[s].byRadius[1] } }, chosen: [0, 2, 4, 5],
                                letters: ["a", "b", "c", "d"], metrics: Self.metrics, radius: 0.05, directions: 25)
        let accuracy = plot.series.filter { $0.axis == .right }
        #expect(accuracy.map(\.name) == ["train accuracy", "test accuracy"])
        #expect(accuracy.map(\.y) == [Self.steps.map { _ in 50 }, Self.steps.map { _ in 40 }])
        #expect(plot.markers.map(\.x) == [1, 3, 101, 1001])
    }

    @Test func anchorsHaveOneNameInPicturesAndColumns() {
        let names = AnchorNames(split: "train", indices: [5, 17, 42], classes: ["Sneaker", "", "Bag"])
        #expect(names.labels == ["train #5 · Sneaker", "train #17", "train #42 · Bag"])
        #expect(names.shortLabels == ["#5 · Sneaker", "#17", "#42 · Bag"])
        let header = PartitionRow.csvHeader(layers: 2, anchors: names).split(separator: ",").map(String.init)
        #expect(header.filter { $0.hasPrefix("regions_near_") } == ["regions_near_train_5", "regions_near_train_17", "regions_near_train_42"])
        // Every column of the header has a value in a row.
        let row = PartitionRow(step: 3, result: EngineSlices.binary, radius: 0.5, delta: 0.5, testAccuracy: 0.25)
        let header3 = PartitionRow.csvHeader(layers: EngineSlices.binary.layers.count, anchors: names)
        #expect(row.csv.split(separator: ",", omittingEmptySubsequences: false).count == header3.split(separator: ",").count)
    }

    @Test func migrationPlotsShowSharesAndDensityRatios() {
        let rows = [0, 10].map { PartitionRow(step: $0, result: EngineSlices.binary, radius: 0.5, delta: 0.2, testAccuracy: nil) }
        let plots = migrationPlots(rows, delta: 0.2)
        #expect(plots.count == 2)
        let ratio = plots[1].series.first { $0.name == "near the decision boundary" }
        let stats = migration(EngineSlices.binary, delta: 0.2)
        #expect(stats.areaNearBoundary > 0)
        #expect(ratio?.y == [stats.boundaryDensityRatio, stats.boundaryDensityRatio])
        #expect(abs(stats.boundaryDensityRatio - stats.nearBoundary / stats.areaNearBoundary) < 1e-12)
    }
}

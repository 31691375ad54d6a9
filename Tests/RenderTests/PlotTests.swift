import Foundation
import Render
import Testing

struct PlotTests {
    @Test func legendNamesEverySeriesInItsColour() throws {
        let plot = SampleCurves.plot()
        #expect(plot.legendEntries.map(\.label) == ["train", "test", "random", "train accuracy"])
        #expect(plot.legendEntries.prefix(3).map(\.color) == [.lcTrain, .lcTest, .lcRandom])
        let image = try renderPlotPixels(plot)
        // Each paper colour appears in the picture (curves and legend lines).
        for colour in [Color.lcTrain, .lcTest, .lcRandom] {
            var found = 0
            for y in stride(from: 0, to: image.height, by: 1) {
                for x in stride(from: 0, to: image.width, by: 2) where Probe.matches(image.pixel(x: x, y: y), colour, tolerance: 3) {
                    found += 1
                }
            }
            #expect(found > 100, "colour \(colour.bytes) found at \(found) pixels")
        }
    }

    @Test func everyFileFormatIsWritten() throws {
        let folder = try Probe.temporaryFolder()
        for format in ImageFormat.allCases {
            try drawPlot(SampleCurves.plot(), to: "\(folder)/lc.\(format.rawValue)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["lc.pdf", "lc.png", "lc.svg"])
    }

    @Test func nonPositiveStepsAreLeftOffTheLogAxis() throws {
        var plot = LinePlot(series: [PlotSeries(name: "lc", x: [0, 1, 10, 100], y: [5, 4, 3, 2], color: .lcTrain)])
        plot.width = 300; plot.height = 200
        let image = try renderPlotPixels(plot)
        #expect(image.width == 300)
        plot.logX = false
        _ = try renderPlotPixels(plot)
    }

    @Test func emptyPlotStillDraws() throws {
        let image = try renderPlotPixels(LinePlot(width: 200, height: 150))
        #expect(image.pixel(x: 2, y: 2) == (255, 255, 255, 255))
    }
}

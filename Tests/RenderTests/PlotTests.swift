import Foundation
import Polytope
import Render
import Slicer
import Testing

@Suite(.timeLimit(.minutes(20)))
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

    @Test func nonPositiveXIsLeftOffALogAxisAndKeptOnALinearOne() throws {
        func plot(_ x: [Double], _ y: [Double], logX: Bool) -> LinePlot {
            var plot = LinePlot(series: [PlotSeries(name: "lc", x: x, y: y, color: .lcTrain)], logX: logX)
            plot.width = 300; plot.height = 200
            return plot
        }
        // On a log axis, x = 0 cannot be placed: the picture is the one without that point.
        let withZero = try renderPlotPixels(plot([0, 1, 10, 100], [5, 4, 3, 2], logX: true))
        let without = try renderPlotPixels(plot([1, 10, 100], [4, 3, 2], logX: true))
        #expect(Self.samePixels(withZero, without))
        // On a linear axis it is drawn, and changes the picture.
        let linearWithZero = try renderPlotPixels(plot([0, 1, 10, 100], [5, 4, 3, 2], logX: false))
        let linearWithout = try renderPlotPixels(plot([1, 10, 100], [4, 3, 2], logX: false))
        #expect(!Self.samePixels(linearWithZero, linearWithout))
    }

    static func samePixels(_ a: RasterImage, _ b: RasterImage) -> Bool {
        guard a.width == b.width, a.height == b.height else { return false }
        for y in 0..<a.height { for x in 0..<a.width where a.pixel(x: x, y: y) != b.pixel(x: x, y: y) { return false } }
        return true
    }

    @Test func emptyPlotStillDraws() throws {
        let image = try renderPlotPixels(LinePlot(width: 200, height: 150))
        #expect(image.pixel(x: 2, y: 2) == (255, 255, 255, 255))
    }
}

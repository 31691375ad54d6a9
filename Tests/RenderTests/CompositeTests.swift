import Foundation
import Render
import Slicer
import Testing

@Suite(.timeLimit(.minutes(20)))
struct CompositeTests {
    static let frames = [EngineSlices.binary, EngineSlices.ternary, EngineSlices.binary, EngineSlices.ternary].enumerated().map { i, slice in
        PartitionPanel(result: slice, subtitle: "(\(["a", "b", "c", "d"][i])) \(slice.regions.count) regions")
    }

    @Test func gridWithPlotHasTheExpectedSizeAndFormats() throws {
        var figure = CompositeFigure(panels: Self.frames, style: PartitionStyle(edges: .byLayer), columns: 2,
                                     panelSize: 300, plot: SampleCurves.plot())
        figure.plotExtent = 700
        let image = try renderCompositePixels(figure)
        // The plot sits left of a 2 x 2 grid of 300-unit panels; a legend row runs below the grid.
        #expect(image.width == 700 + 600)  // plotExtent is given explicitly
        #expect(image.height > 600 && image.height < 640)
        let folder = try Probe.temporaryFolder()
        try drawComposite(figure, to: folder + "/fig.png")
        try drawComposite(figure, to: folder + "/fig.pdf")
        let pdf = try Data(contentsOf: URL(fileURLWithPath: folder + "/fig.pdf"))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
    }

    /// The plot's right-hand axis (accuracy) keeps clear of the first panel: the last 2.5 text units of
    /// the plot's extent stay white over the grid's height.
    @Test func plotOnTheLeftLeavesAGapBeforeThePanels() throws {
        var figure = CompositeFigure(panels: Self.frames, style: PartitionStyle(edges: .byLayer), columns: 2,
                                     panelSize: 300, plot: SampleCurves.plot())
        figure.plotExtent = 700
        let image = try renderCompositePixels(figure)
        let unit = 10  // max(300 / 34, 10)
        var inkedInGap: [(Int, Int)] = []
        for x in (700 - 5 * unit / 2)..<700 {
            for y in 0..<600 {
                let p = image.pixel(x: x, y: y)
                if !(p.r == 255 && p.g == 255 && p.b == 255) { inkedInGap.append((x, y)) }
            }
        }
        #expect(inkedInGap.isEmpty, "\(inkedInGap.count) pixels between the plot and the panels are not white, e.g. \(inkedInGap.prefix(3))")
        // ... while the plot itself reaches up to the gap (its right-hand tick labels are drawn).
        let inked = (700 - 9 * unit)..<(700 - 5 * unit / 2)
        #expect(inked.contains { x in (0..<600).contains { y in image.pixel(x: x, y: y).r < 128 } })
    }

    @Test func sharedLegendListsEveryLayer() {
        let figure = CompositeFigure(panels: Self.frames, style: PartitionStyle(edges: .byLayer))
        // binary has three hidden layers, ternary two: the key lists the union once.
        #expect(figure.legendEntries.map(\.label) == ["layer 1", "layer 2", "layer 3", "decision boundary"])
        // ... and every class of any panel (ternary has three, binary two).
        let classes = CompositeFigure(panels: Self.frames, style: PartitionStyle(fill: .class, edges: .byLayer))
        #expect(classes.legendEntries.map(\.label) == ["layer 1", "layer 2", "layer 3", "class 0", "class 1", "class 2", "decision boundary"])
    }

    @Test func emptyFigureIsBadInput() {
        #expect(throws: TesseraError.self) { try renderCompositePixels(CompositeFigure(panels: [])) }
    }
}

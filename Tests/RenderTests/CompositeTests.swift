import Foundation
import Render
import Slicer
import Testing

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

    @Test func sharedLegendListsEveryLayer() {
        let figure = CompositeFigure(panels: Self.frames, style: PartitionStyle(edges: .byLayer))
        // binary has three hidden layers, ternary two: the key lists the union once.
        #expect(figure.legendEntries.map(\.label) == ["layer 1", "layer 2", "layer 3"])
        // ... and every class of any panel (ternary has three, binary two).
        let classes = CompositeFigure(panels: Self.frames, style: PartitionStyle(fill: .class, edges: .byLayer))
        #expect(classes.legendEntries.map(\.label) == ["layer 1", "layer 2", "layer 3", "class 0", "class 1", "class 2"])
    }

    @Test func emptyFigureIsBadInput() {
        #expect(throws: TesseraError.self) { try renderCompositePixels(CompositeFigure(panels: [])) }
    }
}

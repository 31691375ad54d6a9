import Foundation
import Render
import Testing

struct CompositeTests {
    static let frames = [100, 400, 900, 300].enumerated().map { i, n in
        PartitionPanel(result: syntheticSlice(regions: n, layers: 3, outputs: 1, seed: UInt64(30 + i)),
                       subtitle: "(\(["a", "b", "c", "d"][i])) \(n) regions")
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
        #expect(figure.legendEntries.map(\.label) == ["layer 1", "layer 2", "layer 3"])
    }

    @Test func emptyFigureIsBadInput() {
        #expect(throws: TesseraError.self) { try renderCompositePixels(CompositeFigure(panels: [])) }
    }
}

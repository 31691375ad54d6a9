import Foundation
import Render
import Testing

/// Writes sample pictures for people to look at; runs only with TESSERA_GALLERY set to a folder.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TESSERA_GALLERY"] != nil))
struct GalleryTests {
    let folder = ProcessInfo.processInfo.environment["TESSERA_GALLERY"] ?? "/tmp"

    @Test func partitionSamples() throws {
        let sparse = syntheticSlice(regions: 400, layers: 3, outputs: 1, seed: 3)
        var style = PartitionStyle(width: 1000, height: 1000)
        style.title = PartitionStyle.title(step: 1000, regions: sparse.regions.count)
        style.anchorLabels = ["7", "2", "1"]
        try drawPartition(sparse, style: style, to: "\(folder)/pattern-sparse.png")
        style.edges = .byLayer
        try drawPartition(sparse, style: style, to: "\(folder)/pattern-bylayer.png")
        style.edges = .dark
        style.fill = .slope
        try drawPartition(sparse, style: style, to: "\(folder)/slope-sparse.png")
        let multi = syntheticSlice(regions: 1500, layers: 2, outputs: 3, seed: 5)
        style.fill = .class
        style.title = PartitionStyle.title(step: 20000, regions: multi.regions.count)
        try drawPartition(multi, style: style, to: "\(folder)/class-3.png")
        try drawPartition(multi, style: style, to: "\(folder)/class-3.svg")
        try drawPartition(multi, style: style, to: "\(folder)/class-3.pdf")
        #expect(FileManager.default.fileExists(atPath: "\(folder)/class-3.png"))
    }

    @Test func plotsAndFigures() throws {
        try drawPlot(SampleCurves.plot(), to: "\(folder)/lc-plot.png")
        let frames = [150, 900, 3000, 600].enumerated().map { i, n in
            PartitionPanel(result: syntheticSlice(regions: n, layers: 3, outputs: 1, seed: UInt64(40 + i)),
                           subtitle: "(\(["a", "b", "c", "d"][i])) step \([10, 300, 3000, 60000][i])")
        }
        var style = PartitionStyle()
        style.anchorLabels = ["7", "2", "1"]
        let digit = Thumbnail(rows: 8, columns: 8, values: (0..<64).map { i in (i % 8 == 3 || i / 8 == 1) ? 1 : 0 })
        style.thumbnails = [digit, digit, digit]
        let figure = CompositeFigure(panels: frames, style: style, columns: 2, panelSize: 500,
                                     plot: SampleCurves.plot(), title: "partition migration (synthetic)")
        try drawComposite(figure, to: "\(folder)/figure1.png")
        try drawComposite(figure, to: "\(folder)/figure1.pdf")
        var slopeFigure = figure
        slopeFigure.style.fill = .slope
        slopeFigure.style.edges = .byLayer
        slopeFigure.plot = nil
        slopeFigure.columns = 4
        try drawComposite(slopeFigure, to: "\(folder)/figure-slope.png")
    }

    @Test func densePartition() throws {
        let report = try benchmarkRender(regions: 50_000, size: 1600, to: "\(folder)/dense-50k.png")
        print("benchmark:", report)
        #expect(report.regions >= 50_000)
    }
}

import Foundation
import Render
import Slicer
import Testing

/// Writes sample pictures of real slices for people to look at (into $TESSERA_GALLERY when set, else a
/// temporary folder) and checks that each file is a whole picture of the size asked for.
@Suite(.timeLimit(.minutes(20)))
struct GalleryTests {
    let folder: String

    init() throws {
        if let chosen = ProcessInfo.processInfo.environment["TESSERA_GALLERY"] {
            try FileManager.default.createDirectory(atPath: chosen, withIntermediateDirectories: true)
            folder = chosen
        } else {
            folder = try Probe.temporaryFolder()
        }
    }

    /// Width and height from a PNG's IHDR chunk, nil when the file is not a PNG.
    static func pngSize(_ path: String) -> (width: Int, height: Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 24 else { return nil }
        let bytes = [UInt8](data.prefix(24))
        guard bytes.prefix(8) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
        let word = { (i: Int) in bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    @Test func partitionSamples() throws {
        let sparse = EngineSlices.binary
        var style = PartitionStyle(width: 1000, height: 1000)
        style.title = PartitionStyle.title(step: 1000, regions: sparse.regions.count)
        style.anchorLabels = ["x₁", "x₂", "x₃"]
        var written: [String] = []
        for (name, fill, edges) in [("pattern", PartitionStyle.Fill.pattern, PartitionStyle.Edges.dark),
                                    ("pattern-bylayer", .pattern, .byLayer), ("slope", .slope, .dark)] {
            style.fill = fill; style.edges = edges
            try drawPartition(sparse, style: style, to: "\(folder)/\(name).png")
            written.append("\(folder)/\(name).png")
        }
        let multi = EngineSlices.ternary
        style.fill = .class
        style.title = PartitionStyle.title(step: 20000, regions: multi.regions.count)
        for format in ["png", "svg", "pdf"] { try drawPartition(multi, style: style, to: "\(folder)/class-3.\(format)") }
        written.append("\(folder)/class-3.png")
        for path in written {
            let size = Self.pngSize(path)
            #expect(size?.width == 1000 && size?.height == 1000, "\(path) is \(String(describing: size))")
        }
        #expect(String(decoding: FileManager.default.contents(atPath: "\(folder)/class-3.svg") ?? Data(), as: UTF8.self).contains("</svg>"))
        #expect(FileManager.default.contents(atPath: "\(folder)/class-3.pdf")?.starts(with: Array("%PDF".utf8)) == true)
    }

    @Test func plotsAndFigures() throws {
        try drawPlot(SampleCurves.plot(), to: "\(folder)/lc-plot.png")
        #expect(Self.pngSize("\(folder)/lc-plot.png").map { [$0.width, $0.height] } == [900, 600])
        let frames = [EngineSlices.ternary, EngineSlices.binary, EngineSlices.dense, EngineSlices.fourLayers].enumerated().map { i, slice in
            PartitionPanel(result: slice, subtitle: "(\(["a", "b", "c", "d"][i])) \(slice.regions.count) regions")
        }
        var style = PartitionStyle()
        style.anchorLabels = ["x₁", "x₂", "x₃"]
        let digit = Thumbnail(rows: 8, columns: 8, values: (0..<64).map { i in (i % 8 == 3 || i / 8 == 1) ? 1 : 0 })
        style.thumbnails = [digit, digit, digit]
        var figure = CompositeFigure(panels: frames, style: style, columns: 2, panelSize: 500,
                                     plot: SampleCurves.plot(), title: "four seeded networks")
        figure.plotExtent = 600
        try drawComposite(figure, to: "\(folder)/figure1.png")
        try drawComposite(figure, to: "\(folder)/figure1.pdf")
        // The plot's 600 units left of a 2 × 2 grid of 500-unit panels.
        #expect(Self.pngSize("\(folder)/figure1.png")?.width == 600 + 2 * 500)
        var slopeFigure = figure
        slopeFigure.style.fill = .slope
        slopeFigure.style.edges = .byLayer
        slopeFigure.plot = nil
        slopeFigure.columns = 4
        try drawComposite(slopeFigure, to: "\(folder)/figure-slope.png")
        // Four panels in a row, plus the slope colour bar on the right.
        let slopeWidth = try #require(Self.pngSize("\(folder)/figure-slope.png")?.width)
        #expect(slopeWidth > 4 * 500 && slopeWidth < 4 * 500 + 300)
    }
}

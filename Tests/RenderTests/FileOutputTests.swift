import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Polytope
import Render
import Slicer
import Testing

/// Counts elements by name while parsing XML.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}

@Suite(.timeLimit(.minutes(20)))
struct FileOutputTests {
    static let slice = EngineSlices.binary

    @Test func svgIsXMLWithPaths() throws {
        let folder = try Probe.temporaryFolder()
        let path = folder + "/p.svg"
        try drawPartition(Self.slice, style: PartitionStyle(width: 400, height: 400, title: "svg"), to: path)
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse())
        #expect(counter.counts["svg"] == 1)
        #expect((counter.counts["path"] ?? 0) >= Self.slice.regions.count / 2)
    }

    @Test func pdfHasOnePage() throws {
        let folder = try Probe.temporaryFolder()
        let path = folder + "/p.pdf"
        try drawPartition(Self.slice, style: PartitionStyle(width: 400, height: 400), to: path)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(text.hasPrefix("%PDF-"))
        let pages = text.components(separatedBy: "/Type /Page").dropFirst().filter { !$0.hasPrefix("s") }
        #expect(pages.count == 1)
        #expect(text.contains("%%EOF"))
    }

    /// Past `rasterAbove` regions the partition layer is one embedded image (SVG: one <image>, few
    /// paths; PDF: an image object), while anchors and text stay vectors; below it, every region is a path.
    @Test func manyRegionsBecomeOneEmbeddedImage() throws {
        let folder = try Probe.temporaryFolder()
        func svgCounts(rasterAbove: Int) throws -> [String: Int] {
            var style = PartitionStyle(width: 400, height: 400, title: "svg")
            style.rasterAbove = rasterAbove
            try drawPartition(Self.slice, style: style, to: folder + "/r.svg")
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: folder + "/r.svg")))
            let counter = ElementCounter()
            parser.delegate = counter
            #expect(parser.parse())
            return counter.counts
        }
        let vector = try svgCounts(rasterAbove: Self.slice.regions.count)
        let raster = try svgCounts(rasterAbove: Self.slice.regions.count - 1)
        #expect(vector["image", default: 0] == 0 && vector["path", default: 0] >= Self.slice.regions.count / 2)
        #expect(raster["image", default: 0] >= 1 && raster["path", default: 0] < Self.slice.regions.count / 4)
        var style = PartitionStyle(width: 400, height: 400)
        style.rasterAbove = 0
        try drawPartition(Self.slice, style: style, to: folder + "/r.pdf")
        let pdf = String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/r.pdf")), as: UTF8.self)
        let embedsImage = pdf.contains("/Subtype /Image")
        #expect(embedsImage)
    }

    @Test func pngHasSignatureAndLeavesNoTemporaryFiles() throws {
        let folder = try Probe.temporaryFolder()
        try drawPartition(Self.slice, style: PartitionStyle(width: 300, height: 200), to: folder + "/p.PNG")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/p.PNG")).prefix(8))
        #expect(bytes == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["p.PNG"])
    }

    @Test func unwritablePathThrowsAndLeavesNothing() throws {
        let folder = try Probe.temporaryFolder()
        let path = folder + "/missing/p.png"
        #expect(throws: TesseraError.self) { try drawPartition(Self.slice, style: PartitionStyle(), to: path) }
        do {
            try drawPartition(Self.slice, style: PartitionStyle(), to: path)
        } catch let TesseraError.io(message) {
            #expect(message.hasPrefix("cannot write \(path): "))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        // A folder in the way is reported too, and stays a folder.
        try FileManager.default.createDirectory(atPath: folder + "/taken.png", withIntermediateDirectories: false)
        #expect(throws: TesseraError.io("cannot write \(folder)/taken.png: it is a directory")) {
            try drawPartition(Self.slice, style: PartitionStyle(), to: folder + "/taken.png")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["taken.png"])
    }

    @Test func formatComesFromTheExtension() throws {
        #expect(try ImageFormat(path: "a/b.c/frame.Svg") == .svg)
        #expect(try ImageFormat(path: "x.pdf") == .pdf)
        #expect(throws: TesseraError.self) { try ImageFormat(path: "picture.jpg") }
        #expect(throws: TesseraError.self) { try ImageFormat(path: "dir.png/noext") }
    }

    @Test func absurdSizeIsBadInput() {
        #expect(throws: TesseraError.self) {
            try renderPartitionPixels(Self.slice, style: PartitionStyle(width: 0, height: 10))
        }
    }
}

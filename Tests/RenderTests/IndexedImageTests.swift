import Foundation
@testable import Render
import Testing

/// Embedded partition images stored with a palette: the quantiser, the PNG that SVG embeds, and the
/// PDF's image objects rewritten in place.
@Suite(.timeLimit(.minutes(20)))
struct IndexedImageTests {
    /// A picture of few colours keeps every pixel exactly.
    @Test func fewColoursAreKeptExactly() {
        let rgb: [UInt32] = (0..<600).map { [0xffffff, 0xd7191c, 0x8899ee, 0x222222][($0 * 7 / 5) % 4] }
        let image = IndexedImage(width: 30, height: 20, rgb: rgb)
        #expect(image.palette.count == 4)
        #expect(image.rgb == rgb)
    }

    /// Many colours (an antialiased gradient) become at most `colors`, each pixel close to its own.
    @Test func manyColoursBecomeAPaletteOfNearColours() {
        let (w, h) = (256, 64)
        let rgb: [UInt32] = (0..<w * h).map { i in
            let x = UInt32(i % w), y = UInt32(i / w)
            return x << 16 | (255 - x) << 8 | (y * 4)
        }
        let image = IndexedImage(width: w, height: h, rgb: rgb)
        #expect(image.palette.count == IndexedImage.colors)
        var worst = 0
        for (p, q) in zip(rgb, image.rgb) {
            for shift in [16, 8, 0] as [UInt32] { worst = max(worst, abs(Int(p >> shift & 0xff) - Int(q >> shift & 0xff))) }
        }
        #expect(worst <= 24, "largest channel error \(worst)")
    }

    /// The PNG is a palette PNG whose rows inflate to the indices.
    @Test func pngHoldsThePaletteAndTheIndices() throws {
        let rgb: [UInt32] = (0..<120).map { $0 % 3 == 0 ? 0xff0000 : 0x00ff00 }
        let image = IndexedImage(width: 12, height: 10, rgb: rgb)
        let png = [UInt8](image.png)
        #expect(png.prefix(8) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        var at = 8, chunks: [String: [UInt8]] = [:]
        while at < png.count {
            let length = png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
            chunks[String(decoding: png[at + 4..<at + 8], as: UTF8.self)] = Array(png[at + 8..<at + 8 + length])
            at += 12 + length
        }
        #expect(chunks["IHDR"].map { Array($0[8...9]) } == [8, 3])
        #expect(chunks["PLTE"] == image.paletteBytes)
        let rows = try #require(Deflate.inflate(Data(chunks["IDAT"] ?? []), expectedSize: 13 * 10))
        for y in 0..<10 {
            #expect(rows[y * 13] == 0)
            #expect(Array(rows[y * 13 + 1..<y * 13 + 13]) == Array(image.indices[y * 12..<y * 12 + 12]))
        }
    }

    /// A dense partition's PDF: the partition image is stored indexed, the cross-reference table
    /// points at every object, and the image's indices through its palette are the quantised pixels.
    @Test func pdfStoresThePartitionImageIndexed() throws {
        let folder = try Probe.temporaryFolder()
        var style = PartitionStyle(width: 300, height: 300)
        style.rasterAbove = 0
        try drawPartition(EngineSlices.binary, style: style, to: folder + "/r.pdf")
        let pdf = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/r.pdf")))
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(!text.contains("/ColorSpace /DeviceRGB"))
        let indexed = text.components(separatedBy: "/ColorSpace [/Indexed /DeviceRGB ").count - 1
        #expect(indexed == 1)
        // Every in-use entry of the table is the offset of "N 0 obj".
        let xrefAt = try #require(Int(text.components(separatedBy: "startxref\n").last!.prefix { $0.isNumber }))
        let table = String(decoding: pdf[xrefAt...], as: UTF8.self).split(separator: "\n")
        #expect(table[0] == "xref")
        let count = try #require(Int(table[1].split(separator: " ")[1]))
        for number in 1..<count {
            let entry = table[2 + number]
            guard entry.hasSuffix("n ") || entry.hasSuffix("n") else { continue }
            let offset = try #require(Int(entry.prefix(10)))
            #expect(String(decoding: pdf[offset..<min(offset + 16, pdf.count)], as: UTF8.self).hasPrefix("\(number) 0 obj"))
        }
        // The image decodes: its indices are in the palette and fill the image.
        let marker = try #require(pdf.offset(of: Array("/Indexed /DeviceRGB ".utf8), from: 0))
        let objectStart = try #require((0..<marker).last { pdf[$0...].starts(with: Array(" 0 obj".utf8)) })
        let streamStart = try #require(pdf.offset(of: Array(">>\nstream\n".utf8), from: marker)) + 10
        let dictionary = String(decoding: pdf[objectStart..<streamStart], as: UTF8.self)
        func number(after key: String) -> Int? {
            dictionary.components(separatedBy: key).dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
        }
        let hi = try #require(number(after: "/Indexed /DeviceRGB "))
        let width = try #require(number(after: "/Width ")), height = try #require(number(after: "/Height "))
        let length = try #require(number(after: "/Length "))
        let indices = try #require(Deflate.inflate(Data(pdf[streamStart..<streamStart + length]), expectedSize: width * height))
        #expect(indices.count == width * height)
        #expect(indices.allSatisfy { Int($0) <= hi })
        #expect(Set(indices).count > 8)
    }
}

private extension Array where Element == UInt8 {
    /// Where `needle` first occurs at or after `from`.
    func offset(of needle: [UInt8], from: Int) -> Int? {
        var i = from
        while i + needle.count <= count {
            if self[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

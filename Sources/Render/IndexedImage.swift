import CZlib
import Foundation

/// An opaque picture of at most 256 colours: a palette and one palette index per pixel. A dense
/// partition layer made an image (antialiased edges over pastel fills: hundreds of thousands of
/// colours, most of them edge blends) weighs about a third as much this way; the colours merged are
/// neighbours a reader does not tell apart, and the edges keep their shape (no block artefacts).
struct IndexedImage: Equatable {
    let width: Int
    let height: Int
    /// 0xRRGGBB, at most 256.
    let palette: [UInt32]
    /// Row by row, `width × height`.
    let indices: [UInt8]
    /// The most colours a quantised image keeps: 192 of 256 (a PDF's most) weigh about 6 % less,
    /// and the edge blends merged stay ones a reader does not tell apart.
    static let colors = 192

    /// The pixels of `rgb` (0xRRGGBB, row by row): exactly when they have at most `colors` colours,
    /// else with a median-cut palette (the box of largest squared error split at its median until there are `colors`).
    init(width: Int, height: Int, rgb: [UInt32]) {
        precondition(rgb.count == width * height)
        self.width = width; self.height = height
        var counts: [UInt32: Int] = [:]
        for p in rgb { counts[p, default: 0] += 1 }
        // Sorted, so the palette does not depend on the dictionary's order.
        let colors = counts.keys.sorted().map { ColorCount(rgb: $0, count: counts[$0]!) }
        var boxes = [ColorBox(colors)]
        while boxes.count < Self.colors, let worst = boxes.indices.filter({ boxes[$0].colors.count > 1 }).max(by: { boxes[$0].error < boxes[$1].error }) {
            let (low, high) = boxes[worst].split()
            boxes[worst] = low
            boxes.append(high)
        }
        // Each colour goes to its nearest palette colour (not just its box's mean): rare colours far
        // from their box's bulk, such as the boundary's red blends, stay close.
        let means = boxes.map(\.mean)
        var index: [UInt32: UInt8] = [:]
        for c in colors { index[c.rgb] = UInt8(Self.nearest(c.rgb, in: means)) }
        palette = means
        indices = rgb.map { index[$0]! }
    }

    /// The index of the palette colour nearest `rgb` (squared distance in sRGB bytes; the first of equals).
    static func nearest(_ rgb: UInt32, in palette: [UInt32]) -> Int {
        let (r, g, b) = (Int(rgb >> 16 & 0xff), Int(rgb >> 8 & 0xff), Int(rgb & 0xff))
        var best = 0, bestDistance = Int.max
        for (k, p) in palette.enumerated() {
            let dr = Int(p >> 16 & 0xff) - r, dg = Int(p >> 8 & 0xff) - g, db = Int(p & 0xff) - b
            let distance = dr * dr + dg * dg + db * db
            if distance < bestDistance { best = k; bestDistance = distance }
        }
        return best
    }

    /// The colour of each pixel through the palette (what a reader of the file sees).
    var rgb: [UInt32] { indices.map { palette[Int($0)] } }

    /// The palette as PDF and PNG store it: three bytes a colour.
    var paletteBytes: [UInt8] { palette.flatMap { [UInt8($0 >> 16 & 0xff), UInt8($0 >> 8 & 0xff), UInt8($0 & 0xff)] } }

    /// A PNG file of the image (colour type 3, one byte an index, no filters).
    var png: Data {
        var rows = [UInt8]()
        rows.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            rows.append(0)
            rows += indices[y * width..<(y + 1) * width]
        }
        var out = Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        func chunk(_ kind: String, _ body: [UInt8]) {
            let typed = Array(kind.utf8) + body
            out += bigEndian(UInt32(body.count))
            out += typed
            out += bigEndian(UInt32(typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }))
        }
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 3, 0, 0, 0])
        chunk("PLTE", paletteBytes)
        chunk("IDAT", Array(Deflate.compress(rows)))
        chunk("IEND", [])
        return out
    }
}

private func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

private struct ColorCount {
    let rgb: UInt32
    let count: Int
    func channel(_ c: Int) -> Int { Int(rgb >> (16 - 8 * UInt32(c)) & 0xff) }
}

/// Colours with their pixel counts, and their count-weighted mean and squared error.
private struct ColorBox {
    let colors: [ColorCount]
    let mean: UInt32
    let error: Double
    /// The channel (0 red, 1 green, 2 blue) along which the colours spread most.
    let widest: Int

    init(_ colors: [ColorCount]) {
        self.colors = colors
        var n = 0.0, sum = [0.0, 0.0, 0.0], squares = [0.0, 0.0, 0.0]
        for c in colors {
            let w = Double(c.count)
            n += w
            for k in 0..<3 { let v = Double(c.channel(k)); sum[k] += w * v; squares[k] += w * v * v }
        }
        let spread = (0..<3).map { squares[$0] - sum[$0] * sum[$0] / max(n, 1) }
        error = spread.reduce(0, +)
        widest = spread.indices.max { spread[$0] < spread[$1] }!
        let m = sum.map { UInt32(min(255, max(0, ($0 / max(n, 1)).rounded()))) }
        mean = m[0] << 16 | m[1] << 8 | m[2]
    }

    /// Two boxes, split along the widest channel where half the pixels lie on each side.
    func split() -> (ColorBox, ColorBox) {
        let k = widest
        let sorted = colors.sorted { ($0.channel(k), $0.rgb) < ($1.channel(k), $1.rgb) }
        let total = sorted.reduce(0) { $0 + $1.count }
        var seen = 0, cut = 1
        for (i, c) in sorted.enumerated() {
            seen += c.count
            if 2 * seen >= total { cut = i + 1; break }
        }
        cut = min(max(cut, 1), sorted.count - 1)
        return (ColorBox(Array(sorted[..<cut])), ColorBox(Array(sorted[cut...])))
    }
}

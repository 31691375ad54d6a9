import Foundation

/// Images painted into a PDF that should be stored with a palette. Cairo writes every image as
/// three bytes a pixel; once it has finished the file, `rewrite` finds each recorded image's object
/// (its decoded bytes equal the pixels recorded) and stores it as an indexed image instead.
final class PDFIndexedImages {
    private var images: [(rgb: [UInt8], image: IndexedImage)] = []

    /// Records an image painted from `rgb` (three bytes a pixel, as Cairo will write it).
    func add(rgb: [UInt8], image: IndexedImage) { images.append((rgb, image)) }

    var isEmpty: Bool { images.isEmpty }

    /// The file with every recorded image that it holds as DeviceRGB replaced by its indexed form;
    /// nil if the file is not laid out as Cairo writes PDFs (one classic cross-reference table).
    func rewrite(_ pdf: [UInt8]) -> [UInt8]? {
        guard let table = CrossReference(pdf) else { return nil }
        var out = Array(pdf[..<table.firstObject])
        var offsets = table.offsets
        for (number, range) in table.objects {
            offsets[number] = out.count
            let object = Array(pdf[range])
            out += replacement(number: number, object: object, in: pdf, table: table) ?? object
        }
        let xref = out.count
        out += Array("xref\n0 \(offsets.count)\n".utf8)
        for (number, offset) in offsets.enumerated() {
            out += Array((offset < 0 ? "0000000000 65535 f \n" : String(format: "%010d 00000 n \n", offset)).utf8)
        }
        out += pdf[table.trailer]
        out += Array("startxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    /// An image object's indexed form, if it is one of the recorded images.
    private func replacement(number: Int, object: [UInt8], in pdf: [UInt8], table: CrossReference) -> [UInt8]? {
        guard let streamAt = object.firstRange(of: Array(">>\nstream\n".utf8)) else { return nil }
        let dictionary = String(decoding: object[..<streamAt.lowerBound], as: UTF8.self)
        guard dictionary.contains("/Subtype /Image"), dictionary.contains("/ColorSpace /DeviceRGB"),
              dictionary.contains("/Filter /FlateDecode"),
              let width = integer(after: "/Width ", in: dictionary), let height = integer(after: "/Height ", in: dictionary),
              let length = streamLength(dictionary, pdf: pdf, table: table),
              streamAt.upperBound + length <= object.count,
              images.contains(where: { $0.image.width == width && $0.image.height == height }) else { return nil }
        let data = Data(object[streamAt.upperBound..<streamAt.upperBound + length])
        guard let rgb = Deflate.inflate(data, expectedSize: width * height * 3),
              let image = images.first(where: { $0.image.width == width && $0.image.height == height && $0.rgb == rgb })?.image
        else { return nil }
        let stream = Deflate.compress(image.indices)
        let hex = image.paletteBytes.map { String(format: "%02x", $0) }.joined()
        let header = "\(number) 0 obj\n<< /Type /XObject /Subtype /Image /Width \(width) /Height \(height)\n" +
            "   /ColorSpace [/Indexed /DeviceRGB \(image.palette.count - 1) <\(hex)>]\n" +
            "   /BitsPerComponent 8 /Interpolate false /Filter /FlateDecode /Length \(stream.count) >>\nstream\n"
        return Array(header.utf8) + Array(stream) + Array("\nendstream\nendobj\n".utf8)
    }

    private func streamLength(_ dictionary: String, pdf: [UInt8], table: CrossReference) -> Int? {
        guard let range = dictionary.range(of: "/Length ") else { return nil }
        let rest = dictionary[range.upperBound...]
        let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(3).map(String.init)
        guard let value = fields.first.flatMap({ Int($0) }) else { return nil }
        guard fields.count == 3, fields[1] == "0", fields[2].hasPrefix("R") else { return value }
        // An indirect length: "N 0 obj\n value\nendobj".
        guard let target = table.objects.first(where: { $0.number == value }) else { return nil }
        let text = String(decoding: pdf[target.range], as: UTF8.self)
        return text.split(whereSeparator: { $0.isWhitespace }).dropFirst(3).first.flatMap { Int($0) }
    }

    private func integer(after key: String, in text: String) -> Int? {
        guard let range = text.range(of: key) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}

/// The classic cross-reference table of a PDF: where each object starts and ends, and the trailer.
private struct CrossReference {
    /// Offsets by object number; -1 for a free entry (entry 0 is the free list's head).
    let offsets: [Int]
    /// In-use objects in file order, each from its offset to the next object's (or the table's).
    let objects: [(number: Int, range: Range<Int>)]
    let firstObject: Int
    /// From "trailer" up to (not including) "startxref".
    let trailer: Range<Int>

    init?(_ pdf: [UInt8]) {
        guard let start = pdf.lastRange(of: Array("startxref".utf8)) else { return nil }
        let tail = String(decoding: pdf[start.upperBound...], as: UTF8.self)
        guard let at = tail.split(whereSeparator: { $0.isWhitespace }).first.flatMap({ Int($0) }), at < start.lowerBound,
              pdf[at...].starts(with: Array("xref\n".utf8)) else { return nil }
        var cursor = at + 5
        guard let line = pdf[cursor...].firstIndex(of: 10) else { return nil }
        let head = String(decoding: pdf[cursor..<line], as: UTF8.self).split(separator: " ")
        guard head.count == 2, head[0] == "0", let count = Int(head[1]), count > 0 else { return nil }
        cursor = line + 1
        var offsets = [Int]()
        for _ in 0..<count {
            guard cursor + 20 <= pdf.count else { return nil }
            let entry = String(decoding: pdf[cursor..<cursor + 20], as: UTF8.self)
            guard let offset = Int(entry.prefix(10)) else { return nil }
            offsets.append(entry.dropFirst(17).hasPrefix("n") ? offset : -1)
            cursor += 20
        }
        guard pdf[cursor...].starts(with: Array("trailer".utf8)) else { return nil }
        let used = offsets.enumerated().filter { $0.offset > 0 && $0.element >= 0 }.sorted { $0.element < $1.element }
        guard let first = used.first?.element, used.last!.element < at else { return nil }
        var objects: [(Int, Range<Int>)] = []
        for (k, entry) in used.enumerated() {
            objects.append((entry.offset, entry.element..<(k + 1 < used.count ? used[k + 1].element : at)))
        }
        self.offsets = offsets
        self.objects = objects
        self.firstObject = first
        self.trailer = cursor..<start.lowerBound
    }
}

private extension Array where Element == UInt8 {
    func lastRange(of needle: [UInt8]) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        var i = count - needle.count
        while i >= 0 {
            if self[i..<i + needle.count].elementsEqual(needle) { return i..<i + needle.count }
            i -= 1
        }
        return nil
    }
}

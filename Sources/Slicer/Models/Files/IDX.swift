// IDX (MNIST-format) files, plain or gzip-compressed, and the image datasets made of them.

import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IDX files: magic `00 00 <type> <ndims>`, big-endian u32 dimensions, then row-major data.
/// Only unsigned-byte data (type 0x08), which is what MNIST-style image sets use.
public enum IDX {
    /// Declared data larger than this is refused, which also bounds what a gzip bomb can inflate to.
    public static let maximumDataBytes = 1 << 31

    /// Reads a plain or gzip-compressed IDX file (gzip is detected from its content, not its name).
    public static func read(path: String) throws -> (shape: [Int], bytes: [UInt8]) {
        func bad(_ problem: String) -> TesseraError { BinaryFile.bad(path, problem) }
        var info = stat()
        guard stat(path, &info) == 0 else { throw bad("cannot open (\(BinaryFile.errnoText()))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw bad("not a regular file") }
        // zlib reads non-gzip files through unchanged, so one code path serves both.
        guard let file = gzopen(path, "rb") else { throw bad("cannot open (\(BinaryFile.errnoText()))") }
        defer { gzclose(file) }

        let magic = try readExactly(file, 4, path: path, what: "magic number")
        guard magic[0] == 0, magic[1] == 0 else {
            throw bad(String(format: "not an IDX file (magic starts 0x%02X 0x%02X, expected 0x00 0x00)", magic[0], magic[1]))
        }
        guard magic[2] == 0x08 else {
            throw bad(String(format: "IDX element type 0x%02X is not supported (only 0x08, unsigned byte)", magic[2]))
        }
        let dimensionCount = Int(magic[3])
        guard dimensionCount >= 1 else { throw bad("IDX file declares 0 dimensions") }
        let dimensionBytes = try readExactly(file, 4 * dimensionCount, path: path, what: "dimensions")
        let shape = (0..<dimensionCount).map { Int(dimensionBytes.bigEndianUInt32(at: 4 * $0)) }
        guard let count = elementCount(shape), count <= maximumDataBytes else {
            throw bad("dimensions \(shape) exceed the \(maximumDataBytes)-byte limit")
        }
        if gzdirect(file) == 1 {
            // Plain file: the size is known, so check it before allocating anything.
            let expected = 4 + 4 * dimensionCount + count
            guard Int(info.st_size) == expected else {
                throw bad("file is \(info.st_size) bytes but dimensions \(shape) need \(expected)")
            }
        }
        let bytes = try readExactly(file, count, path: path, what: "data for dimensions \(shape)")
        var extra: UInt8 = 0
        let more = gzread(file, &extra, 1)
        guard more == 0 else {
            throw bad(more > 0 ? "has more data than dimensions \(shape) need" : "read failed (\(gzipProblem(file)))")
        }
        return (shape, bytes)
    }

    /// Reads exactly `count` bytes. The buffer doubles as real (decompressed) data arrives instead of
    /// being sized from the header up front, so a lying header cannot make us allocate much.
    private static func readExactly(_ file: gzFile, _ count: Int, path: String, what: String) throws -> [UInt8] {
        var capacity = min(count, 1 << 16)
        var buffer = malloc(max(capacity, 1))!
        defer { free(buffer) }
        var filled = 0
        while filled < count {
            if filled == capacity {
                capacity = min(2 * capacity, count)
                guard let grown = realloc(buffer, capacity) else { throw BinaryFile.bad(path, "out of memory") }
                buffer = grown
            }
            let got = gzread(file, buffer + filled, UInt32(min(capacity - filled, 1 << 30)))
            if got < 0 { throw BinaryFile.bad(path, "read failed (\(gzipProblem(file)))") }
            if got == 0 {
                throw BinaryFile.bad(path, "truncated: \(what) need \(count) bytes, found \(filled)")
            }
            filled += Int(got)
        }
        return [UInt8](unsafeUninitializedCapacity: count) { target, initialised in
            if count > 0 { memcpy(target.baseAddress!, buffer, count) }
            initialised = count
        }
    }

    private static func gzipProblem(_ file: gzFile) -> String {
        var code: Int32 = 0
        guard let message = gzerror(file, &code) else { return "unknown error" }
        guard code != Z_ERRNO else { return BinaryFile.errnoText() }
        // zlib prefixes the path, which our own message already starts with.
        let text = String(cString: message)
        guard let colon = text.range(of: ": ") else { return text }
        return String(text[colon.upperBound...])
    }
}

extension Dataset {
    /// Loads one split, or only its samples at `samples` (in that order); called by `Dataset.load`.
    static func loadIDX(directory: String, split: String, samples: [Int]? = nil) throws -> Dataset {
        let stem: String
        switch split.lowercased() {
        case "train": stem = "train"
        case "test", "t10k": stem = "t10k"
        default: throw TesseraError.badInput("\(directory): unknown split '\(split)' (expected train or test)")
        }
        let imagesPath = try locate(directory: directory, stem: stem, kind: "images", dimensions: 3)
        let labelsPath = try locate(directory: directory, stem: stem, kind: "labels", dimensions: 1)
        let images = try IDX.read(path: imagesPath)
        let labels = try IDX.read(path: labelsPath)
        guard images.shape.count == 3 else {
            throw BinaryFile.bad(imagesPath, "images have shape \(images.shape), expected 3-D [count, rows, columns]")
        }
        guard labels.shape.count == 1 else {
            throw BinaryFile.bad(labelsPath, "labels have shape \(labels.shape), expected 1-D [count]")
        }
        let count = images.shape[0], rows = images.shape[1], columns = images.shape[2]
        guard count > 0, rows > 0, columns > 0 else { throw BinaryFile.bad(imagesPath, "holds no image pixels (shape \(images.shape))") }
        guard labels.shape[0] == count else {
            throw BinaryFile.bad(labelsPath, "has \(labels.shape[0]) labels but \(imagesPath) has \(count) images")
        }
        guard let samples else {
            return Dataset(images: scaledPixels(images.bytes), labels: labels.bytes.map(Int.init),
                           count: count, rows: rows, columns: columns)
        }
        if let bad = samples.first(where: { !(0..<count).contains($0) }) {
            throw TesseraError.badInput("sample index \(bad) is out of range: the split has \(count) samples (0...\(count - 1))")
        }
        // Only the chosen images become Doubles (all 60,000 training images would take 376 MB).
        let dimension = rows * columns
        var chosen: [UInt8] = []
        chosen.reserveCapacity(samples.count * dimension)
        for i in samples { chosen.append(contentsOf: images.bytes[i * dimension..<(i + 1) * dimension]) }
        return Dataset(images: scaledPixels(chosen), labels: samples.map { Int(labels.bytes[$0]) },
                       count: samples.count, rows: rows, columns: columns)
    }

    /// value / 255 for every byte, through a 256-entry table (a plain loop: this runs over ~47M pixels).
    private static func scaledPixels(_ bytes: [UInt8]) -> [Double] {
        let scale = (0...255).map { Double($0) / 255 }
        return [Double](unsafeUninitializedCapacity: bytes.count) { buffer, initialised in
            bytes.withUnsafeBufferPointer { source in
                scale.withUnsafeBufferPointer { table in
                    for index in 0..<source.count { buffer[index] = table[Int(source[index])] }
                }
            }
            initialised = bytes.count
        }
    }

    /// The first existing of `<stem>-<kind>-idx<d>-ubyte`, the `.idx<d>-ubyte` spelling some mirrors use,
    /// each plain or `.gz`.
    private static func locate(directory: String, stem: String, kind: String, dimensions: Int) throws -> String {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let names = ["\(stem)-\(kind)-idx\(dimensions)-ubyte", "\(stem)-\(kind).idx\(dimensions)-ubyte"]
        for name in names {
            for candidate in [base + name, base + name + ".gz"] where access(candidate, F_OK) == 0 {
                return candidate
            }
        }
        throw TesseraError.badInput("\(directory): no \(names[0]) or \(names[0]).gz found")
    }
}

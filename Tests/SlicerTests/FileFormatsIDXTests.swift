// IDX files and datasets: plain and gzip, malformed headers, and the installed Fashion-MNIST.

import CZlib
import Foundation
import Testing
import Slicer

/// An IDX file of unsigned bytes with the given dimensions and data.
func idxBytes(_ shape: [UInt32], _ data: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
    [0, 0, type, UInt8(shape.count)] + shape.flatMap { dimension in (0..<4).map { UInt8(truncatingIfNeeded: dimension >> (24 - 8 * UInt32($0))) } } + data
}

/// Writes `bytes` gzip-compressed through zlib's gzwrite.
func writeGzip(_ path: String, _ bytes: [UInt8]) {
    let file = gzopen(path, "wb")!
    _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    gzclose(file)
}

@Suite(.timeLimit(.minutes(20))) struct FileFormatsIDX {
    let pixels: [UInt8] = [0, 255, 51, 102, 1, 254, 7, 8, 9, 10, 11, 12]

    @Test func readsPlainAndGzip() throws {
        let scratch = ScratchDirectory()
        let bytes = idxBytes([2, 2, 3], pixels)
        let plain = scratch.write("a-idx3-ubyte", bytes)
        #expect(try IDX.read(path: plain) == ([2, 2, 3], pixels))
        let zipped = scratch.file("a-idx3-ubyte.gz")
        writeGzip(zipped, bytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: zipped)).prefix(2) == Data([0x1F, 0x8B]))
        #expect(try IDX.read(path: zipped) == ([2, 2, 3], pixels))
    }

    @Test func loadsADatasetDirectory() throws {
        let scratch = ScratchDirectory()
        scratch.write("train-images-idx3-ubyte", idxBytes([3, 2, 2], pixels))
        writeGzip(scratch.file("train-labels-idx1-ubyte.gz"), idxBytes([3], [9, 0, 4]))
        writeGzip(scratch.file("t10k-images-idx3-ubyte.gz"), idxBytes([1, 3, 4], pixels))
        scratch.write("t10k-labels-idx1-ubyte", idxBytes([1], [2]))
        let train = try Dataset.load(directory: scratch.path, split: "train")
        #expect(train.count == 3 && train.rows == 2 && train.columns == 2 && train.dimension == 4)
        #expect(train.labels == [9, 0, 4])
        #expect(train.image(0) == [0, 1, 0.2, 0.4])
        #expect(train.image(2) == pixels[8..<12].map { Double($0) / 255 })
        let test = try Dataset.load(directory: scratch.path + "/", split: "test")
        #expect(test.count == 1 && test.rows == 3 && test.columns == 4 && test.labels == [2])
        #expect(mentions(errorMessage { _ = try Dataset.load(directory: scratch.path, split: "valid") }, "unknown split 'valid'"))
        // Loading only some samples gives the same pixels and labels, in the order asked.
        let chosen = try Dataset.load(directory: scratch.path, split: "train", samples: [2, 0, 2])
        #expect(chosen.count == 3 && chosen.rows == 2 && chosen.columns == 2)
        #expect(chosen.labels == [4, 9, 4])
        #expect((0..<3).map(chosen.image) == [train.image(2), train.image(0), train.image(2)])
        #expect(mentions(errorMessage { _ = try Dataset.load(directory: scratch.path, split: "train", samples: [0, 3]) },
                         "sample index 3 is out of range", "3 samples"))
        #expect(mentions(errorMessage { _ = try Dataset.load(directory: scratch.path, split: "train", samples: [-1]) },
                         "sample index -1"))
    }

    @Test func datasetInconsistenciesAreRejected() {
        let scratch = ScratchDirectory()
        #expect(mentions(errorMessage { _ = try Dataset.load(directory: scratch.path, split: "train") },
                         scratch.path, "no train-images-idx3-ubyte or train-images-idx3-ubyte.gz"))
        scratch.write("train-images-idx3-ubyte", idxBytes([3, 2, 2], pixels))
        scratch.write("train-labels-idx1-ubyte", idxBytes([2], [1, 2]))
        #expect(mentions(errorMessage { _ = try Dataset.load(directory: scratch.path, split: "train") },
                         "train-labels-idx1-ubyte: has 2 labels but", "has 3 images"))
        scratch.write("train-labels-idx1-ubyte", idxBytes([3, 1], [1, 2, 3]))
        #expect(mentions(errorMessage { _ = try Dataset.load(directory: scratch.path, split: "train") }, "expected 1-D [count]"))
        scratch.write("train-images-idx3-ubyte", idxBytes([12], pixels))
        #expect(mentions(errorMessage { _ = try Dataset.load(directory: scratch.path, split: "train") }, "expected 3-D [count, rows, columns]"))
    }

    static let malformed: [(name: String, bytes: [UInt8], problem: String)] = [
        ("magic", [1, 2, 8, 1, 0, 0, 0, 1, 5], "not an IDX file (magic starts 0x01 0x02"),
        ("type", idxBytes([1], [0, 0, 0, 0], type: 0x0D), "element type 0x0D is not supported"),
        ("nodims", [0, 0, 8, 0], "declares 0 dimensions"),
        ("shortdims", [0, 0, 8, 3, 0, 0, 0, 1], "truncated: dimensions need 12 bytes, found 4"),
        ("short", [0, 0], "truncated: magic number"),
        ("truncated", idxBytes([2, 3], [1, 2, 3]), "file is 15 bytes but dimensions [2, 3] need 18"),
        ("trailing", idxBytes([2], [1, 2, 3]), "file is 11 bytes but dimensions [2] need 10"),
        ("huge", idxBytes([4_000_000_000, 4_000_000_000], []), "exceed the 2147483648-byte limit"),
    ]

    @Test(arguments: malformed.indices)
    func malformedFilesAreRejected(index: Int) {
        let scratch = ScratchDirectory()
        let (name, bytes, problem) = Self.malformed[index]
        let path = scratch.write(name, bytes)
        let message = errorMessage { _ = try IDX.read(path: path) }
        #expect(mentions(message, path + ": ", problem), "\(name): \(message ?? "no error")")
    }

    @Test func malformedGzipIsRejected() throws {
        let scratch = ScratchDirectory()
        let truncatedData = scratch.file("short.gz")
        writeGzip(truncatedData, idxBytes([2, 3], [1, 2, 3]))
        #expect(mentions(errorMessage { _ = try IDX.read(path: truncatedData) }, "truncated: data for dimensions [2, 3] need 6 bytes, found 3"))
        let trailing = scratch.file("long.gz")
        writeGzip(trailing, idxBytes([2], [1, 2, 3]))
        #expect(mentions(errorMessage { _ = try IDX.read(path: trailing) }, "has more data than dimensions [2] need"))
        // A gzip stream cut in half: zlib reports the damage instead of returning short data silently.
        let whole = scratch.file("whole.gz")
        writeGzip(whole, idxBytes([64, 64], (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7919 >> 3) }))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
        let cut = scratch.write("cut.gz", Array(bytes.prefix(bytes.count / 2)))
        let message = errorMessage { _ = try IDX.read(path: cut) }
        #expect(mentions(message, "cut.gz: truncated") || mentions(message, "cut.gz: read failed"), "\(message ?? "no error")")
        // Garbage after a valid gzip header: zlib's complaint, without the path twice.
        let garbled = scratch.write("garbled.gz", Array(bytes.prefix(10)) + [UInt8](repeating: 0, count: 64))
        let garbledMessage = errorMessage { _ = try IDX.read(path: garbled) }
        #expect(mentions(garbledMessage, "garbled.gz: read failed ("), "\(garbledMessage ?? "no error")")
        #expect(garbledMessage?.components(separatedBy: "garbled.gz").count == 2)
    }

    static let fashion = "/usr/share/datasets/fashion-mnist"

    /// Runs wherever the README's setup ran (it installs dataset-fashion-mnist); fails, not skips, elsewhere.
    @Test(arguments: [("train", 60_000), ("test", 10_000)])
    func loadsFashionMNIST(split: String, count: Int) throws {
        try #require(FileManager.default.fileExists(atPath: Self.fashion + "/t10k-labels-idx1-ubyte.gz"),
                     "Fashion-MNIST is missing: install the dataset-fashion-mnist package (the README's setup command)")
        let data = try Dataset.load(directory: Self.fashion, split: split)
        #expect(data.count == count && data.labels.count == count && data.images.count == count * 784)
        #expect(data.rows == 28 && data.columns == 28)
        // Fashion-MNIST is balanced: every one of the ten classes has a tenth of the samples.
        var perClass = [Int](repeating: 0, count: 10)
        for label in data.labels where (0..<10).contains(label) { perClass[label] += 1 }
        #expect(perClass == [Int](repeating: count / 10, count: 10))
        // Pixels are byte/255: in [0, 1], with both ends present (a plain loop; min() is slow in debug builds).
        let (low, high) = data.images.withUnsafeBufferPointer { pixels in
            var low = Double.infinity, high = -Double.infinity
            for index in 0..<pixels.count { low = Swift.min(low, pixels[index]); high = Swift.max(high, pixels[index]) }
            return (low, high)
        }
        #expect(low == 0 && high == 1)
        #expect(data.image(0).count == 784)
    }
}

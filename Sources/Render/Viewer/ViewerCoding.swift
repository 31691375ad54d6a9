import CZlib
import Foundation
import Polytope
import Slicer

/// The page's grid for coordinates: a power of two h with the domain's larger side at most 2^18 steps,
/// about a hundredth of a device pixel of the widest canvas. A coordinate x is stored as the integer
/// round(x / h) − origin (ties to even); x / h is exact, h being a power of two.
struct ViewerGrid: Equatable {
    static let steps = 262_144.0
    /// h = 2^exponent.
    var exponent: Int
    var originX: Int
    var originY: Int

    init(around points: [Point2]) {
        let xs = points.map(\.x), ys = points.map(\.y)
        let minX = xs.min() ?? 0, maxX = xs.max() ?? 0, minY = ys.min() ?? 0, maxY = ys.max() ?? 0
        let extent = max(maxX - minX, maxY - minY)
        let exponent = extent > 0 && extent.isFinite ? Int(Foundation.ceil(Foundation.log2(extent / Self.steps))) : 0
        self.exponent = exponent
        originX = Int(Foundation.floor(Foundation.scalbn(minX, -exponent)))
        originY = Int(Foundation.floor(Foundation.scalbn(minY, -exponent)))
    }

    func quantise(_ p: Point2) -> (x: Int, y: Int) {
        (Int(Foundation.scalbn(p.x, -exponent).rounded(.toNearestOrEven)) - originX,
         Int(Foundation.scalbn(p.y, -exponent).rounded(.toNearestOrEven)) - originY)
    }
}

/// A byte stream of unsigned LEB128 varints (7 bits a byte, low first) and raw bytes.
struct VarintWriter {
    var bytes: [UInt8] = []

    mutating func put(_ value: Int) {
        precondition(value >= 0, "varints are unsigned")
        var v = UInt64(value)
        while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    /// A signed value, zigzag-mapped (0, −1, 1, −2 … → 0, 1, 2, 3 …).
    mutating func putSigned(_ value: Int) { put(value >= 0 ? 2 * value : -2 * value - 1) }

    /// Float32 values to 16 significant bits (their three high bytes kept), as three byte planes,
    /// high byte first: like bytes lie together, which is what zlib compresses.
    mutating func putFloatPlanes(_ values: [Float]) {
        let words = values.map { value -> UInt32 in
            let bits = value.bitPattern
            // Round to nearest on the dropped byte, unless that would carry into infinity or NaN.
            let rounded = bits &+ 0x80
            return (rounded & 0x7f80_0000) == 0x7f80_0000 ? bits & 0xffff_ff00 : rounded & 0xffff_ff00
        }
        for shift in [24, 16, 8] as [UInt32] { bytes += words.map { UInt8(truncatingIfNeeded: $0 >> shift) } }
    }
}

enum Deflate {
    /// `bytes` in zlib format (RFC 1950, what the browser's DecompressionStream("deflate") reads), level 9.
    static func compress(_ bytes: [UInt8]) -> Data {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = bytes.withUnsafeBufferPointer { source in
            compress2(&out, &length, source.baseAddress, uLong(bytes.count), 9)
        }
        precondition(status == Z_OK, "zlib failed to compress (\(status))")
        return Data(out.prefix(Int(length)))
    }
}

extension Deflate {
    /// The bytes of a zlib stream (for tests of what the page inflates).
    static func inflate(_ data: Data, expectedSize: Int) -> [UInt8]? {
        var length = uLong(expectedSize)
        var out = [UInt8](repeating: 0, count: max(expectedSize, 1))
        let status = data.withUnsafeBytes { source in
            uncompress(&out, &length, source.bindMemory(to: UInt8.self).baseAddress, uLong(data.count))
        }
        return status == Z_OK ? Array(out.prefix(Int(length))) : nil
    }
}

import Polytope

/// Pixels of an in-memory picture (Cairo ARGB32, premultiplied, native-endian words), with the
/// plane-to-pixel map of the partition drawn in it so tests can probe plane points.
public struct RasterImage: Sendable {
    public let width: Int
    public let height: Int
    /// Words per row.
    public let stride: Int
    public let argb: [UInt32]
    /// Where the partition was drawn; set by `renderPartitionPixels`.
    public var layout: PartitionLayout?

    init(width: Int, height: Int, stride: Int, argb: [UInt32], layout: PartitionLayout? = nil) {
        self.width = width; self.height = height; self.stride = stride; self.argb = argb; self.layout = layout
    }

    /// The straight-alpha colour of a pixel; transparent black outside the image.
    public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height else { return (0, 0, 0, 0) }
        let word = argb[y * stride + x]
        let a = UInt8(word >> 24)
        guard a > 0 else { return (0, 0, 0, 0) }
        // Undo premultiplication so colours compare with what was asked for.
        func channel(_ shift: UInt32) -> UInt8 {
            let v = Int((word >> shift) & 0xff)
            return UInt8(min(255, (v * 255 + Int(a) / 2) / Int(a)))
        }
        return (channel(16), channel(8), channel(0), a)
    }

    /// The pixel (column, row) containing a point of the slice plane, from the partition's layout.
    public func map(point: Point2) -> (x: Int, y: Int) {
        guard let layout else { return (-1, -1) }
        let p = layout.map(point)
        return (Int(p.x.rounded(.down)), Int(p.y.rounded(.down)))
    }
}

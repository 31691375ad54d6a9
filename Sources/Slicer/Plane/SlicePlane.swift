import Models
import Polytope

/// The plane through three anchors, x(s, t) = x1 + s·(x2 − x1) + t·(x3 − x1).
///
/// (s, t) are affine coordinates of the anchor triangle: exact whenever the anchors are, with no
/// division and no square root. Pictures and areas use the orthonormal frame e1 = d1/|d1|,
/// e2 = d2/|d2|, where d1 = x2 − x1 and d2 is x3 − x1 minus its part along d1 (input-space units,
/// origin at anchor 1); `toFrame` maps (s, t) there.
public struct SlicePlane: Sendable {
    public let anchors: [[Double]]
    /// x2 − x1 and x3 − x1 rounded to Double (the exact differences are recomputed when needed).
    public let d1: [Double]
    public let u: [Double]
    /// |d1|, the e1-component of u, and the e2-component of u (the anchor triangle's height).
    public let length1: Double
    public let uAlong: Double
    public let height: Double

    public init(anchors: [[Double]]) throws {
        guard anchors.count == 3 else { throw TesseraError.badInput("need exactly three anchors, got \(anchors.count)") }
        let dimension = anchors[0].count
        guard dimension > 0, anchors.allSatisfy({ $0.count == dimension }) else {
            throw TesseraError.badInput("anchors must have the same non-zero dimension")
        }
        for (k, anchor) in anchors.enumerated() where anchor.contains(where: { !$0.isFinite }) {
            throw TesseraError.badInput("anchor \(k + 1) has a NaN or infinite coordinate")
        }
        self.anchors = anchors
        let x1 = anchors[0]
        // Rounded differences for the engine's float maps (whose bounds cover the rounding).
        d1 = zip(anchors[1], x1).map { $0 - $1 }
        u = zip(anchors[2], x1).map { $0 - $1 }
        let frame = PlaneFrame(anchors: anchors)
        if frame.collinear {
            throw TesseraError.badInput("the anchors are collinear or repeated: they do not span a plane")
        }
        length1 = frame.length1
        uAlong = frame.uAlong
        height = frame.height
        // Only the picture frame is in floating point; distances float64 cannot hold have no picture.
        guard length1.isFinite, height.isFinite, uAlong.isFinite, length1 > 0, height > 0 else {
            throw TesseraError.badInput("the anchors' distances (|x2 − x1| = \(length1), triangle height \(height)) are beyond float64's range")
        }
    }

    public var dimension: Int { d1.count }

    /// (s, t) to frame coordinates (input-space units).
    public func toFrame(_ s: Double, _ t: Double) -> Point2 { Point2(s * length1 + t * uAlong, t * height) }
    /// Frame coordinates to (s, t), in floating point.
    public func fromFrame(_ p: Point2) -> (s: Double, t: Double) {
        let t = p.y / height
        return ((p.x - t * uAlong) / length1, t)
    }

    /// The anchors in frame coordinates.
    public var frameAnchors: [Point2] { [Point2(0, 0), Point2(length1, 0), Point2(uAlong, height)] }

    /// Frame-area units per unit of (s, t) area.
    public var areaScale: Double { length1 * height }

    /// The input-space point at (s, t), in floating point.
    public func point(_ s: Double, _ t: Double) -> [Double] {
        (0..<dimension).map { anchors[0][$0] + s * d1[$0] + t * u[$0] }
    }
}

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
        d1 = zip(anchors[1], x1).map { $0 - $1 }
        u = zip(anchors[2], x1).map { $0 - $1 }
        if SlicePlane.exactlyCollinear(anchors) {
            throw TesseraError.badInput("the anchors are collinear or repeated: they do not span a plane")
        }
        let dd = d1.reduce(0) { $0 + $1 * $1 }
        let ud = zip(u, d1).reduce(0) { $0 + $1.0 * $1.1 }
        length1 = dd.squareRoot()
        uAlong = ud / length1
        let ratio = ud / dd
        let d2 = zip(u, d1).map { $0 - ratio * $1 }
        height = d2.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length1.isFinite, height.isFinite, uAlong.isFinite, length1 > 0, height > 0,
              height > 1e-12 * (u.reduce(0) { $0 + $1 * $1 }.squareRoot()) else {
            throw TesseraError.badInput("the anchors are so nearly collinear (or so large or small) that the plane is degenerate in floating point")
        }
    }

    /// Exact test: x2 − x1 and x3 − x1 are linearly dependent.
    static func exactlyCollinear(_ anchors: [[Double]]) -> Bool {
        let x1 = anchors[0].map(Dyadic.init), x2 = anchors[1].map(Dyadic.init), x3 = anchors[2].map(Dyadic.init)
        let a = zip(x2, x1).map { $0 - $1 }, b = zip(x3, x1).map { $0 - $1 }
        guard let pivot = a.firstIndex(where: { !$0.isZero }) else { return true }
        for j in a.indices where !(b[j] * a[pivot] - b[pivot] * a[j]).isZero { return false }
        return true
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

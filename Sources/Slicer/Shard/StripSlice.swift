import BigInt
import Foundation
import Models
import Polytope

/// One share of a sharded slice: the slice of one strip of the domain (`SliceStrip`), with where its
/// vertices on the seams lie exactly, as `merge` needs it to stitch the strips together.
// @unchecked: a value with no shared mutable state (its exact numbers are values), handed between threads whole.
public struct StripSlice: @unchecked Sendable {
    public var result: SliceResult
    /// Vertex index (partition vertices, then the decision boundary's) → (seam k, 1-based; its exact t).
    public var seamPoints: [Int: (seam: Int, t: Rational)]

    /// The strip `strip` of a slice whose domain has these corners in (s, t).
    public init(_ result: SliceResult, strip: SliceStrip, corners: [(s: Double, t: Double)]) {
        self.result = result
        let seams = (1..<max(strip.count, 1)).map { SliceStrip.seam($0, of: strip.count, corners: corners) }
        var points: [Int: (seam: Int, t: Rational)] = [:]
        for (v, point) in result.stripVertices {
            let s = point.s
            for k in [strip.index - 1, strip.index] where k >= 1 && k < strip.count && seams[k - 1] == s {
                points[v] = (k, point.t)
            }
        }
        seamPoints = points
    }

    init(result: SliceResult, seamPoints: [Int: (seam: Int, t: Rational)]) {
        self.result = result; self.seamPoints = seamPoints
    }
}

extension Rational {
    /// Parses `description`'s form: "p" or "p/q".
    init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let p = BigInt(String(parts[0])) else { return nil }
        guard parts.count == 2 else { self.init(p); return }
        guard let q = BigInt(String(parts[1])), !q.isZero else { return nil }
        self.init(p, q)
    }
}

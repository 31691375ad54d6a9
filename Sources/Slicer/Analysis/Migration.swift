import Engine
import Polytope

/// Where the neurons' edges lie: the paper's migration of regions towards the decision boundary,
/// made a number. Lengths are in input-space units of the slice plane.
///
/// A share of edge length grows with the size of the neighbourhood itself (a longer decision
/// boundary has a wider band around it), so each share comes with a density ratio: the share of
/// edge length divided by the share of the domain's area within `delta`. A ratio of 1 means the
/// neighbourhood holds edges at the domain's average density; 3 means three times as dense.
public struct MigrationStats: Sendable, Equatable {
    /// Total length of neuron-made edges (the domain boundary excluded).
    public var edgeLength: Double
    /// Share of that length within `delta` of an anchor.
    public var nearAnchors: Double
    /// Share of that length within `delta` of the decision boundary.
    public var nearBoundary: Double
    /// Share of the domain's area within `delta` of an anchor.
    public var areaNearAnchors: Double
    /// Share of the domain's area within `delta` of the decision boundary (0 when there is none).
    public var areaNearBoundary: Double

    /// Edge density within `delta` of the anchors over the domain's average edge density.
    public var anchorDensityRatio: Double { Self.ratio(nearAnchors, areaNearAnchors) }
    /// Edge density within `delta` of the decision boundary over the domain's average (NaN without a boundary).
    public var boundaryDensityRatio: Double { Self.ratio(nearBoundary, areaNearBoundary) }

    static func ratio(_ lengthShare: Double, _ areaShare: Double) -> Double {
        areaShare > 0 ? lengthShare / areaShare : .nan
    }
}

/// Measures the neuron-edge length, and the domain's area, near the anchors and near the decision boundary.
public func migration(_ result: SliceResult, delta: Double) -> MigrationStats {
    var total = 0.0, anchorLength = 0.0, boundaryLength = 0.0
    let boundary = result.boundarySegments
    for edge in result.edges where edge.layer > 0 {
        let a = result.vertices[edge.from], b = result.vertices[edge.to]
        let length = (b - a).length
        guard length > 0 else { continue }
        total += length
        anchorLength += length * coveredFraction(result.anchors.map { disk(around: $0, radius: delta, a, b) })
        boundaryLength += length * coveredFraction(capsules(boundary, radius: delta, a, b))
    }
    let area = abs(signedArea(result.domainPolygon))
    let nearAnchors = areaWithin(result.domainPolygon) { a, b in result.anchors.map { disk(around: $0, radius: delta, a, b) } }
    let nearBoundary = boundary.isEmpty ? 0 : areaWithin(result.domainPolygon) { a, b in capsules(boundary, radius: delta, a, b) }
    return MigrationStats(edgeLength: total, nearAnchors: total > 0 ? anchorLength / total : 0,
                          nearBoundary: total > 0 ? boundaryLength / total : 0,
                          areaNearAnchors: area > 0 ? nearAnchors / area : 0,
                          areaNearBoundary: area > 0 ? nearBoundary / area : 0)
}

/// The parameter intervals of a + t(b − a) within `radius` of each segment near ab.
func capsules(_ segments: [(Point2, Point2)], radius: Double, _ a: Point2, _ b: Point2) -> [(Double, Double)?] {
    let lo = Point2(min(a.x, b.x) - radius, min(a.y, b.y) - radius), hi = Point2(max(a.x, b.x) + radius, max(a.y, b.y) + radius)
    var intervals: [(Double, Double)?] = []
    for (p, q) in segments where max(p.x, q.x) >= lo.x && min(p.x, q.x) <= hi.x && max(p.y, q.y) >= lo.y && min(p.y, q.y) <= hi.y {
        intervals.append(capsule(p, q, radius: radius, a, b))
    }
    return intervals
}

/// The area of the part of a convex polygon whose points satisfy a condition given, along any chord
/// ab, as parameter intervals of a + t(b − a): ∫ |chord(y)| · covered(y) dy by the midpoint rule over
/// 4,096 horizontal chords. A statistic, not a geometric decision: the covered length along a chord is
/// continuous in y, so the rule's error shrinks with the square of the chord spacing.
func areaWithin(_ polygon: [Point2], covered: (Point2, Point2) -> [(Double, Double)?]) -> Double {
    guard polygon.count >= 3, let low = polygon.map(\.y).min(), let high = polygon.map(\.y).max(), high > low else { return 0 }
    let chords = 4096
    let step = (high - low) / Double(chords)
    var area = 0.0
    for k in 0..<chords {
        let y = low + (Double(k) + 0.5) * step
        // The chord of a convex polygon at height y runs between the two crossings of its edges.
        var left = Double.infinity, right = -Double.infinity
        for i in polygon.indices {
            let p = polygon[i], q = polygon[(i + 1) % polygon.count]
            guard (p.y <= y) != (q.y <= y) else { continue }
            let x = p.x + (y - p.y) / (q.y - p.y) * (q.x - p.x)
            left = min(left, x); right = max(right, x)
        }
        guard right > left else { continue }
        let a = Point2(left, y), b = Point2(right, y)
        area += (right - left) * coveredFraction(covered(a, b)) * step
    }
    return area
}

/// The parameters t ∈ [0, 1] of a + t(b − a) within `radius` of `center`, or nil.
func disk(around center: Point2, radius: Double, _ a: Point2, _ b: Point2) -> (Double, Double)? {
    let d = b - a, f = a - center
    let qa = d.x * d.x + d.y * d.y, qb = 2 * (f.x * d.x + f.y * d.y), qc = f.x * f.x + f.y * f.y - radius * radius
    let disc = qb * qb - 4 * qa * qc
    guard qa > 0, disc >= 0 else { return nil }
    let root = disc.squareRoot()
    let t0 = max(0, (-qb - root) / (2 * qa)), t1 = min(1, (-qb + root) / (2 * qa))
    return t0 < t1 ? (t0, t1) : nil
}

/// The parameters of a + t(b − a) within `radius` of the segment pq (a convex capsule, so one interval).
func capsule(_ p: Point2, _ q: Point2, radius: Double, _ a: Point2, _ b: Point2) -> (Double, Double)? {
    var parts: [(Double, Double)] = []
    if let e = disk(around: p, radius: radius, a, b) { parts.append(e) }
    if let e = disk(around: q, radius: radius, a, b) { parts.append(e) }
    // The rectangle swept by pq: clip the segment against its four sides.
    let axis = q - p, len = axis.length
    if len > 0 {
        let u = Point2(axis.x / len, axis.y / len), n = Point2(-u.y, u.x)
        var t0 = 0.0, t1 = 1.0
        let d = b - a
        // Constraints: 0 ≤ (x − p)·u ≤ len and −r ≤ (x − p)·n ≤ r.
        for (dir, low, high) in [(u, 0.0, len), (n, -radius, radius)] {
            let start = (a.x - p.x) * dir.x + (a.y - p.y) * dir.y
            let rate = d.x * dir.x + d.y * dir.y
            if rate == 0 {
                if start < low || start > high { t0 = 1; t1 = 0 }
            } else {
                let ta = (low - start) / rate, tb = (high - start) / rate
                t0 = max(t0, min(ta, tb)); t1 = min(t1, max(ta, tb))
            }
        }
        if t0 < t1 { parts.append((t0, t1)) }
    }
    guard !parts.isEmpty else { return nil }
    return (parts.map(\.0).min()!, parts.map(\.1).max()!)
}

/// The length fraction of [0, 1] covered by a union of intervals.
func coveredFraction(_ intervals: [(Double, Double)?]) -> Double {
    let sorted = intervals.compactMap { $0 }.sorted { $0.0 < $1.0 }
    var covered = 0.0, end = 0.0
    for (lo, hi) in sorted {
        let start = max(lo, end)
        if hi > start { covered += hi - start; end = hi }
    }
    return covered
}

/// Regions whose polygon meets the disk of `radius` around a point.
public func regionsNear(_ point: Point2, radius: Double, in result: SliceResult) -> Int {
    result.regions.filter { region in
        let polygon = region.vertexIndices.map { result.vertices[$0] }
        var inside = true
        for i in polygon.indices {
            let a = polygon[i], b = polygon[(i + 1) % polygon.count]
            if (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x) < 0 { inside = false }
            if disk(around: point, radius: radius, a, b) != nil { return true }
        }
        return inside
    }.count
}

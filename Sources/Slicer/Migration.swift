import Polytope

/// Where the neurons' edges lie: the paper's migration of regions towards the decision boundary,
/// made a number. Lengths are in input-space units of the slice plane.
public struct MigrationStats: Sendable, Equatable {
    /// Total length of neuron-made edges (the domain boundary excluded).
    public var edgeLength: Double
    /// Share of that length within `delta` of an anchor.
    public var nearAnchors: Double
    /// Share of that length within `delta` of the decision boundary.
    public var nearBoundary: Double
}

/// Measures the neuron-edge length near the anchors and near the decision boundary.
public func migration(_ result: SliceResult, delta: Double) -> MigrationStats {
    var total = 0.0, anchorLength = 0.0, boundaryLength = 0.0
    let boundary = result.boundarySegments
    for edge in result.edges where edge.layer > 0 {
        let a = result.vertices[edge.from], b = result.vertices[edge.to]
        let length = (b - a).length
        guard length > 0 else { continue }
        total += length
        anchorLength += length * coveredFraction(result.anchors.map { disk(around: $0, radius: delta, a, b) })
        let lo = Point2(min(a.x, b.x) - delta, min(a.y, b.y) - delta), hi = Point2(max(a.x, b.x) + delta, max(a.y, b.y) + delta)
        var intervals: [(Double, Double)] = []
        for (p, q) in boundary where max(p.x, q.x) >= lo.x && min(p.x, q.x) <= hi.x && max(p.y, q.y) >= lo.y && min(p.y, q.y) <= hi.y {
            if let interval = capsule(p, q, radius: delta, a, b) { intervals.append(interval) }
        }
        boundaryLength += length * coveredFraction(intervals)
    }
    return MigrationStats(edgeLength: total, nearAnchors: total > 0 ? anchorLength / total : 0,
                          nearBoundary: total > 0 ? boundaryLength / total : 0)
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

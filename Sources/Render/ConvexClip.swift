/// Double-precision helpers for synthetic pictures only (never for the exact engine's decisions).

/// The half-plane gx * x + gy * y + c >= 0.
struct HalfPlane {
    var gx: Double, gy: Double, c: Double
    func value(_ p: Point2) -> Double { gx * p.x + gy * p.y + c }
}

/// The part of a convex polygon inside a half-plane (Sutherland–Hodgman for one clip edge).
func clip(_ polygon: [Point2], to h: HalfPlane) -> [Point2] {
    var out: [Point2] = []
    for i in polygon.indices {
        let a = polygon[i], b = polygon[(i + 1) % polygon.count]
        let (va, vb) = (h.value(a), h.value(b))
        if va >= 0 { out.append(a) }
        if (va >= 0) != (vb >= 0) { out.append(a + (va / (va - vb)) * (b - a)) }
    }
    return out
}

/// The segment of the line gx * x + gy * y + c = 0 inside a counter-clockwise convex polygon and
/// inside every extra half-plane, or nil when that segment is empty or a point.
func clipLine(_ line: HalfPlane, polygon: [Point2], within extra: [HalfPlane]) -> (Point2, Point2)? {
    let norm2 = line.gx * line.gx + line.gy * line.gy
    guard norm2 > 0, polygon.count >= 3 else { return nil }
    let origin = Point2(-line.c * line.gx / norm2, -line.c * line.gy / norm2)
    let dir = Point2(-line.gy, line.gx)
    var (lo, hi) = (-Double.infinity, Double.infinity)
    // Each polygon edge bounds the inside to its left.
    var planes = extra
    for i in polygon.indices {
        let a = polygon[i], b = polygon[(i + 1) % polygon.count]
        planes.append(HalfPlane(gx: -(b.y - a.y), gy: b.x - a.x, c: (b.y - a.y) * a.x - (b.x - a.x) * a.y))
    }
    for h in planes {
        let rate = h.gx * dir.x + h.gy * dir.y
        let start = h.value(origin)
        if abs(rate) < 1e-15 {
            if start < 0 { return nil }
            continue
        }
        let t = -start / rate
        if rate > 0 { lo = max(lo, t) } else { hi = min(hi, t) }
    }
    guard hi - lo > 1e-12 else { return nil }
    return (origin + lo * dir, origin + hi * dir)
}

/// The average of a polygon's corners (inside it when convex).
func vertexMean(_ polygon: [Point2]) -> Point2 {
    let n = Double(max(polygon.count, 1))
    return Point2(polygon.reduce(0) { $0 + $1.x } / n, polygon.reduce(0) { $0 + $1.y } / n)
}

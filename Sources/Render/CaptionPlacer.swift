import Foundation

/// Places the arrows and captions of far anchors outside a neighbourhood's domain (a convex polygon in
/// device units), in the ring between the domain and the picture's edge.
struct CaptionPlacer {
    /// The domain's corners in device units.
    let domain: [(x: Double, y: Double)]
    /// Where captions may go.
    let area: Rect
    let unit: Double

    init(domain: [(x: Double, y: Double)], area: Rect, unit: Double) {
        self.domain = domain; self.area = area; self.unit = unit
    }

    /// The domain's centre (the mean of its corners; the centre anchor of a disk or diamond).
    var centre: (x: Double, y: Double) {
        let n = Double(max(domain.count, 1))
        return (domain.map(\.x).reduce(0, +) / n, domain.map(\.y).reduce(0, +) / n)
    }

    /// The unit vector from the domain's centre towards `p`.
    func direction(towards p: (x: Double, y: Double)) -> (Double, Double) {
        let (dx, dy) = (p.x - centre.x, p.y - centre.y)
        let n = (dx * dx + dy * dy).squareRoot()
        return n > 0 ? (dx / n, dy / n) : (1, 0)
    }

    /// The tip of an arrow `length` long that starts just outside the domain on the ray from its centre
    /// towards `p`; nil when the domain is degenerate or the tip would leave `bounds` (no ring to draw in).
    func arrowTip(towards p: (x: Double, y: Double), length: Double, within bounds: Rect) -> (x: Double, y: Double)? {
        guard domain.count >= 3 else { return nil }
        let c = centre, d = direction(towards: p)
        var exit = Double.infinity
        for (i, a) in domain.enumerated() {
            let b = domain[(i + 1) % domain.count]
            // The edge's outward normal (either orientation of the corners).
            var n = (b.y - a.y, a.x - b.x)
            if n.0 * (c.x - a.x) + n.1 * (c.y - a.y) > 0 { n = (-n.0, -n.1) }
            let along = n.0 * d.0 + n.1 * d.1
            if along > 0 { exit = min(exit, (n.0 * (a.x - c.x) + n.1 * (a.y - c.y)) / along) }
        }
        guard exit.isFinite else { return nil }
        let t = exit + 0.4 * unit + length
        let tip = (x: c.x + t * d.0, y: c.y + t * d.1)
        guard tip.x >= bounds.x, tip.x <= bounds.maxX, tip.y >= bounds.y, tip.y <= bounds.maxY else { return nil }
        return tip
    }

    /// The box of `size` nearest to `tip` that lies in the caption area, clear of the domain and of the
    /// `avoiding` boxes; nil when none fits.
    func place(_ size: (width: Double, height: Double), near tip: (x: Double, y: Double), avoiding: [Rect]) -> Rect? {
        let margin = 0.9 * unit, gap = 0.3 * unit, step = 0.25 * unit
        let xs = stride(from: area.x + margin, through: area.maxX - margin - size.width, by: step)
        let ys = stride(from: area.y + margin, through: area.maxY - margin - size.height, by: step)
        var best: (cost: Double, box: Rect)?
        for y in ys {
            for x in xs {
                let box = Rect(x: x, y: y, width: size.width, height: size.height)
                // Nearest to the tip first, then centred on it.
                let cost = distance(tip, box) + 0.1 * hypot(box.midX - tip.x, box.midY - tip.y)
                if let best, best.cost <= cost { continue }
                let grown = box.inset(-gap)
                guard !avoiding.contains(where: { overlaps($0, grown) }), !touchesDomain(grown) else { continue }
                best = (cost, box)
            }
        }
        return best?.box
    }

    /// Whether a box meets the domain (an edge crosses it, or it lies inside).
    func touchesDomain(_ r: Rect) -> Bool {
        guard domain.count >= 3 else { return false }
        for (i, a) in domain.enumerated() where crosses(a, domain[(i + 1) % domain.count], r) { return true }
        return contains((r.midX, r.midY))
    }

    func contains(_ p: (x: Double, y: Double)) -> Bool {
        var sign = 0.0
        for (i, a) in domain.enumerated() {
            let b = domain[(i + 1) % domain.count]
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
            if cross != 0 {
                if sign == 0 { sign = cross } else if (cross > 0) != (sign > 0) { return false }
            }
        }
        return true
    }

    /// Whether the segment a–b meets the box (Liang–Barsky clipping).
    func crosses(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), _ r: Rect) -> Bool {
        var lo = 0.0, hi = 1.0
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        for (p, q) in [(-dx, a.x - r.x), (dx, r.maxX - a.x), (-dy, a.y - r.y), (dy, r.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 { lo = max(lo, t) } else { hi = min(hi, t) }
                if lo > hi { return false }
            }
        }
        return true
    }

    func overlaps(_ a: Rect, _ b: Rect) -> Bool {
        a.x < b.maxX && b.x < a.maxX && a.y < b.maxY && b.y < a.maxY
    }

    func distance(_ p: (x: Double, y: Double), _ r: Rect) -> Double {
        hypot(max(r.x - p.x, 0, p.x - r.maxX), max(r.y - p.y, 0, p.y - r.maxY))
    }
}

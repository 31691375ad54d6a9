import Foundation
import Polytope
import Render
import Slicer

/// Pixel-probing helpers shared by the render tests.
enum Probe {
    /// Colours match when every channel is within `tolerance` (Cairo rounds to 8 bits its own way).
    static func matches(_ p: (r: UInt8, g: UInt8, b: UInt8, a: UInt8), _ c: Color, tolerance: Int = 2) -> Bool {
        let want = c.bytes
        return abs(Int(p.r) - Int(want.r)) <= tolerance && abs(Int(p.g) - Int(want.g)) <= tolerance
            && abs(Int(p.b) - Int(want.b)) <= tolerance && p.a == 255
    }

    /// Area centroid of a simple polygon.
    static func centroid(_ poly: [Point2]) -> Point2 {
        var (cx, cy, twice) = (0.0, 0.0, 0.0)
        for i in poly.indices {
            let a = poly[i], b = poly[(i + 1) % poly.count]
            let cross = a.x * b.y - b.x * a.y
            twice += cross; cx += (a.x + b.x) * cross; cy += (a.y + b.y) * cross
        }
        return Point2(cx / (3 * twice), cy / (3 * twice))
    }

    /// Distance from p to the segment ab.
    static func distance(_ p: Point2, _ a: Point2, _ b: Point2) -> Double {
        let ab = b - a, ap = p - a
        let t = max(0, min(1, (ap.x * ab.x + ap.y * ab.y) / max(ab.x * ab.x + ab.y * ab.y, 1e-300)))
        return (p - (a + t * ab)).length
    }

    /// A pixel well inside a polygon, clear of its edges, the decision boundary and the anchors' marks
    /// (distances in pixels), or nil when the polygon is too small for a clean probe.
    static func interior(of poly: [Point2], in image: RasterImage, result: SliceResult, clearance: Double = 5) -> (x: Int, y: Int)? {
        guard let layout = image.layout, poly.count >= 3 else { return nil }
        let c = centroid(poly)
        let s = layout.scale
        for i in poly.indices where distance(c, poly[i], poly[(i + 1) % poly.count]) * s < clearance { return nil }
        for (a, b) in result.boundarySegments where distance(c, a, b) * s < clearance { return nil }
        for a in result.anchors where (c - a).length * s < 6 * layout.unit { return nil }
        return image.map(point: c)
    }

    /// Vertices of a region as points.
    static func polygon(_ region: SliceRegion, _ result: SliceResult) -> [Point2] {
        region.vertexIndices.map { result.vertices[$0] }
    }

    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-render-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

import Foundation
import Models
import Polytope

/// The convex polygon of the plane that is partitioned.
public enum DomainSpec: Equatable, Sendable, CustomStringConvertible {
    case square(scale: Double)
    case triangle(scale: Double)
    case disk(radius: Double, anchor: Int)
    case diamond(radius: Double, anchor: Int)

    /// Parses `square[:S]`, `triangle[:S]`, `disk:R[@k]`, `diamond:R[@k]`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let kind = parts.first?.lowercased() ?? ""
        func number(_ s: String, _ what: String) throws -> Double {
            guard let v = Double(s), v.isFinite, v > 0 else {
                throw TesseraError.badInput("domain '\(text)': \(what) must be a positive finite number")
            }
            return v
        }
        switch kind {
        case "square", "triangle":
            let scale = parts.count > 1 ? try number(parts[1], "the scale") : 1.5
            self = kind == "square" ? .square(scale: scale) : .triangle(scale: scale)
        case "disk", "diamond":
            guard parts.count > 1 else { throw TesseraError.badInput("domain '\(text)' needs a radius, e.g. \(kind):0.05") }
            let sub = parts[1].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let radius = try number(sub[0], "the radius")
            var anchor = 1
            if sub.count > 1 {
                guard let k = Int(sub[1]), (1...3).contains(k) else {
                    throw TesseraError.badInput("domain '\(text)': the anchor after @ must be 1, 2 or 3")
                }
                anchor = k
            }
            self = kind == "disk" ? .disk(radius: radius, anchor: anchor) : .diamond(radius: radius, anchor: anchor)
        default:
            throw TesseraError.badInput("unknown domain '\(text)' (expected square[:S], triangle[:S], disk:R[@k] or diamond:R[@k])")
        }
    }

    public var kind: String {
        switch self {
        case .square: return "square"
        case .triangle: return "triangle"
        case .disk: return "disk"
        case .diamond: return "diamond"
        }
    }

    public var description: String {
        switch self {
        case .square(let s): return "square:\(s)"
        case .triangle(let s): return "triangle:\(s)"
        case .disk(let r, let k): return "disk:\(r)@\(k)"
        case .diamond(let r, let k): return "diamond:\(r)@\(k)"
        }
    }

    /// Corners in frame coordinates, counter-clockwise, computed in floating point.
    public func frameCorners(plane: SlicePlane) -> [Point2] {
        let anchors = plane.frameAnchors
        switch self {
        case .square(let scale):
            let xs = anchors.map(\.x), ys = anchors.map(\.y)
            let cx = (xs.min()! + xs.max()!) / 2, cy = (ys.min()! + ys.max()!) / 2
            let m = anchors.map { max(abs($0.x - cx), abs($0.y - cy)) }.max()!
            let h = scale * m
            return [Point2(cx - h, cy - h), Point2(cx + h, cy - h), Point2(cx + h, cy + h), Point2(cx - h, cy + h)]
        case .triangle(let scale):
            let g = Point2(anchors.map(\.x).reduce(0, +) / 3, anchors.map(\.y).reduce(0, +) / 3)
            return anchors.map { g + scale * ($0 - g) }
        case .disk(let radius, let k):
            let c = anchors[k - 1]
            return (0..<64).map { i in
                let angle = 2 * Double.pi * Double(i) / 64
                return Point2(c.x + radius * cos(angle), c.y + radius * sin(angle))
            }
        case .diamond(let radius, let k):
            let c = anchors[k - 1]
            return [Point2(c.x + radius, c.y), Point2(c.x, c.y + radius), Point2(c.x - radius, c.y), Point2(c.x, c.y - radius)]
        }
    }

    /// Corners in (s, t), each a Double taken as an exact binary fraction. Throws when rounding left
    /// a polygon that is not strictly convex (a domain too small for its position).
    public func corners(plane: SlicePlane) throws -> [(s: Double, t: Double)] {
        let corners = frameCorners(plane: plane).map { plane.fromFrame($0) }
        guard corners.allSatisfy({ $0.s.isFinite && $0.t.isFinite }) else {
            throw TesseraError.badInput("domain \(self) has non-finite corners")
        }
        let exact = corners.map { ExactPoint(x: Dyadic($0.s), y: Dyadic($0.t)) }
        for i in exact.indices {
            let line = ExactLine(through: exact[i], exact[(i + 1) % exact.count])
            if line.side(of: exact[(i + 2) % exact.count]) <= 0 {
                throw TesseraError.badInput("domain \(self) is too small to represent at this position in floating point")
            }
        }
        return corners
    }
}

import Foundation
import Models
import Polytope

/// A point of the slice plane in exact rational coordinates: x = x1 + s·d1 + t·d2, with
/// d1 = x2 − x1 and d2 the part of x3 − x1 orthogonal to d1 (so (s·|d1|, t·|d2|) are the picture's
/// input-space coordinates).
public struct ExactPlanePoint: Sendable, Equatable {
    public var s: Rational
    public var t: Rational
    public init(s: Rational, t: Rational) { self.s = s; self.t = t }
}

/// Every vertex of a finished slice as an exact intersection, recomputed from the network alone.
///
/// Each vertex lies on two edges of different lines: a domain side, or the zero set of a hidden unit
/// on a region next to it, whose exact affine function in the anchor triangle's coordinates follows
/// from the region's activation pattern (dyadic arithmetic, no rounding). Their intersection is the
/// vertex. The cost grows with depth and width (big-integer products): meant for moderate slices.
public enum ExactVertices {
    public static func compute(_ result: SliceResult, network: Network, anchors: [[Double]], domain: DomainSpec,
                               parallelism: Parallelism = .machine) throws -> [ExactPlanePoint] {
        let plane = try SlicePlane(anchors: anchors)
        let corners = try domain.corners(plane: plane)
        let cornerCount = corners.count
        guard result.vertices.count >= cornerCount,
              (0..<cornerCount).allSatisfy({ result.vertices[$0] == result.domainPolygon[$0] }) else {
            throw TesseraError.badInput("the slice does not start with its domain corners: it was not made with this domain")
        }
        let exactCorners = corners.map { ExactPoint(x: Dyadic($0.s), y: Dyadic($0.t)) }
        let domainLines = (0..<cornerCount).map { ExactLine(through: exactCorners[$0], exactCorners[($0 + 1) % cornerCount]) }
        let sides = try domainSides(result, cornerCount: cornerCount)
        let lines = LineTable(result: result, network: network, plane: plane, parallelism: parallelism)

        // Two refs of different lines per vertex: a domain side (−1 − side) or a (region, layer, unit).
        var refs = [[LineTable.Ref]](repeating: [], count: result.vertices.count)
        var edgeOf: [UInt64: SliceEdge] = [:]
        for edge in result.edges { edgeOf[key(edge.from, edge.to)] = edge }
        for (r, region) in result.regions.enumerated() {
            let cycle = region.vertexIndices
            for i in cycle.indices {
                let a = cycle[i], b = cycle[(i + 1) % cycle.count]
                guard let edge = edgeOf[key(a, b)] else { throw TesseraError.badInput("region \(r) has a side that is no edge") }
                let ref: LineTable.Ref
                if edge.layer == 0 {
                    guard let side = sides[key(a, b)] else { throw TesseraError.badInput("region \(r) has a boundary side off the domain's boundary") }
                    ref = LineTable.Ref(region: -1, layer: 0, unit: side)
                } else {
                    ref = LineTable.Ref(region: r, layer: edge.layer, unit: edge.neuron)
                }
                for v in [a, b] where refs[v].count < 4 && !refs[v].contains(where: { $0.sameLine(as: ref) }) {
                    refs[v].append(ref)
                }
            }
        }
        try lines.prepare(refs.enumerated().filter { $0.offset >= cornerCount }.flatMap { $0.element })
        let rho = try plane.exactRho()
        var points = [ExactPlanePoint?](repeating: nil, count: result.vertices.count)
        points.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelism.chunks(result.vertices.count, minimumChunk: 64) { range in
                for v in range {
                    let point: ExactPoint?
                    if v < cornerCount { point = exactCorners[v] } else {
                        let candidates = refs[v].map { $0.region < 0 ? domainLines[$0.unit] : lines.line($0) }
                        point = firstIntersection(candidates)
                    }
                    guard let point else { continue }
                    let sPrime = point.s, t = point.t
                    base[v] = ExactPlanePoint(s: sPrime + t * rho, t: t)
                }
            }
        }
        let complete = points.compactMap { $0 }
        guard complete.count == points.count else {
            throw TesseraError.badInput("a vertex of the slice lies on no two crossing lines: the slice does not belong to this network")
        }
        return complete
    }

    static func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(min(a, b)) << 32 | UInt64(max(a, b)) }

    static func firstIntersection(_ lines: [ExactLine]) -> ExactPoint? {
        for i in lines.indices { for j in lines.indices where j > i {
            if let p = ExactPoint(intersecting: lines[i], lines[j]) { return p }
        } }
        return nil
    }

    /// The domain side (0-based, side i runs from corner i to corner i + 1) of every boundary edge,
    /// by walking the boundary cycle from corner 0 towards corner 1.
    static func domainSides(_ result: SliceResult, cornerCount: Int) throws -> [UInt64: Int] {
        var next: [Int: [Int]] = [:]
        for edge in result.edges where edge.layer == 0 {
            next[edge.from, default: []].append(edge.to)
            next[edge.to, default: []].append(edge.from)
        }
        func walk(from start: Int, first: Int) -> [(Int, Int)] {
            var path = [(start, first)]
            var previous = start, current = first
            while current != start {
                guard let options = next[current], options.count == 2 else { return [] }
                let following = options[0] == previous ? options[1] : options[0]
                path.append((current, following))
                previous = current; current = following
                if path.count > result.edges.count { return [] }
            }
            return path
        }
        guard let starts = next[0], starts.count == 2 else { throw TesseraError.badInput("the slice's domain boundary is not a cycle") }
        var path = walk(from: 0, first: starts[0])
        // The walk must meet corner 1 before any other corner.
        if let firstCorner = path.dropFirst().first(where: { $0.0 < cornerCount })?.0, firstCorner != 1 {
            path = walk(from: 0, first: starts[1])
        }
        guard !path.isEmpty else { throw TesseraError.badInput("the slice's domain boundary is not a cycle") }
        var sides: [UInt64: Int] = [:]
        var side = 0
        for (a, b) in path {
            if a < cornerCount { side = a }
            sides[key(a, b)] = side
        }
        return sides
    }
}

extension SlicePlane {
    /// (x3 − x1)·d1 / d1·d1 exactly: the (s, t) of the orthogonal frame are s = s' + ρ·t', t = t'
    /// for the anchor triangle's coordinates (s', t').
    func exactRho() throws -> Rational {
        let x1 = anchors[0].map(Dyadic.init)
        let d = zip(anchors[1].map(Dyadic.init), x1).map { $0 - $1 }
        let u = zip(anchors[2].map(Dyadic.init), x1).map { $0 - $1 }
        var ud = Dyadic.zero, dd = Dyadic.zero
        for i in d.indices { ud += u[i] * d[i]; dd += d[i] * d[i] }
        guard !dd.isZero else { throw TesseraError.badInput("the anchors do not span a plane") }
        return Rational(ud) / Rational(dd)
    }
}

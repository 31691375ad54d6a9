import Foundation

/// A deterministic pseudo-random generator (SplitMix64) for synthetic slices.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 { state &+= 0x9e37_79b9_7f4a_7c15; return Palette.mix(state &- 0x9e37_79b9_7f4a_7c15) }
    /// Uniform in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    mutating func normal() -> Double { (-2 * log(max(unit(), 1e-300))).squareRoot() * cos(2 * .pi * unit()) }
}

/// The cells of an arrangement of lines inside the square [-1, 1]², built by splitting convex cells.
/// Each vertex is the crossing of two lines and is stored once, so neighbouring cells share indices.
struct LineArrangement {
    /// Lines as half-planes; the first four are the square's sides (inside is positive).
    var lines: [HalfPlane]
    var vertices: [Point2] = []
    /// Counter-clockwise vertex indices of each cell, and the line under each edge (from corner i to i+1).
    var cells: [(corners: [Int], edgeLines: [Int])] = []
    private var vertexOf: [Int: Int] = [:]

    init() {
        lines = [HalfPlane(gx: 0, gy: 1, c: 1), HalfPlane(gx: -1, gy: 0, c: 1),
                 HalfPlane(gx: 0, gy: -1, c: 1), HalfPlane(gx: 1, gy: 0, c: 1)]
        vertices = [Point2(-1, -1), Point2(1, -1), Point2(1, 1), Point2(-1, 1)]
        // Corner i is where side i-1 meets side i.
        for i in 0..<4 { vertexOf[key(i, (i + 3) % 4)] = i }
        cells = [([0, 1, 2, 3], [0, 1, 2, 3])]
    }

    private func key(_ a: Int, _ b: Int) -> Int { min(a, b) << 32 | max(a, b) }

    private mutating func crossing(_ a: Int, _ b: Int) -> Int {
        if let v = vertexOf[key(a, b)] { return v }
        let (p, q) = (lines[a], lines[b])
        let det = p.gx * q.gy - p.gy * q.gx
        let point = Point2((-p.c * q.gy + q.c * p.gy) / det, (-p.gx * q.c + q.gx * p.c) / det)
        vertices.append(point)
        vertexOf[key(a, b)] = vertices.count - 1
        return vertices.count - 1
    }

    /// Adds a line and splits every cell it crosses.
    mutating func add(_ line: HalfPlane) {
        lines.append(line)
        let k = lines.count - 1
        var next: [(corners: [Int], edgeLines: [Int])] = []
        next.reserveCapacity(cells.count + 64)
        for cell in cells {
            let values = cell.corners.map { line.value(vertices[$0]) }
            if values.allSatisfy({ $0 >= 0 }) || values.allSatisfy({ $0 < 0 }) { next.append(cell); continue }
            var sides: [(corners: [Int], edgeLines: [Int])] = [([], []), ([], [])]
            let n = cell.corners.count
            for i in 0..<n {
                let (inA, inB) = (values[i] >= 0, values[(i + 1) % n] >= 0)
                let e = cell.edgeLines[i]
                sides[inA ? 0 : 1].corners.append(cell.corners[i])
                sides[inA ? 0 : 1].edgeLines.append(e)
                guard inA != inB else { continue }
                let x = crossing(e, k)
                // Leaving a side, the next edge runs along the new line; entering, along the old edge.
                sides[inA ? 0 : 1].corners.append(x); sides[inA ? 0 : 1].edgeLines.append(k)
                sides[inB ? 0 : 1].corners.append(x); sides[inB ? 0 : 1].edgeLines.append(e)
            }
            for side in sides where side.corners.count >= 3 { next.append(side) }
        }
        cells = next
    }
}

import Models
import Polytope

extension SliceResult {
    /// The same partition in an order that does not depend on how it was computed (one process or
    /// stitched strips): regions by pattern, each ring from the edge whose (layer, unit) labels, read
    /// around the ring, come first (then its lowest-leftmost vertex: float coordinates of one vertex
    /// can differ in their last bits between the two), class cells from their lowest-leftmost vertex,
    /// vertices in order of first use, edges and boundary segments sorted. Areas are taken on the
    /// canonical rings, so the same regions give the same bytes, whatever `parallelism`.
    public func canonicalized(parallelism: Parallelism = .serial) -> SliceResult {
        var result = self
        let order = patternOrder()
        let labels = EdgeLabels(edges, vertexCount: vertices.count)
        // Each region's ring and area are its own: they are found on all cores, then numbered in order.
        var regionsOut = [SliceRegion](repeating: SliceRegion(vertexIndices: [], pattern: ActivationPattern(count: 0), predictedClass: 0,
                                                              classCells: [], slope: 0, area: 0), count: regions.count)
        regionsOut.withUnsafeMutableBufferPointer { out in
            parallelism.chunks(order.count, minimumChunk: 4096) { range in
                var sequence: [Int64] = []
                for position in range {
                    var region = regions[order[position]]
                    let ring = canonicalRing(region.vertexIndices, labels: labels, sequence: &sequence)
                    region.vertexIndices = ring
                    region.area = abs(Self.ringArea(ring, vertices))
                    if !region.classCells.isEmpty {
                        region.classCells = region.classCells.sorted { $0.label < $1.label }.map {
                            ClassCell(polygon: Self.rotated($0.polygon) { $0 }, label: $0.label)
                        }
                    }
                    out[position] = region
                }
            }
        }
        var number = [Int](repeating: -1, count: vertices.count)
        var newVertices: [Point2] = []
        newVertices.reserveCapacity(vertices.count)
        for r in regionsOut.indices {
            regionsOut[r].vertexIndices = regionsOut[r].vertexIndices.map { v in
                if number[v] < 0 { number[v] = newVertices.count; newVertices.append(vertices[v]) }
                return number[v]
            }
        }
        for v in vertices.indices where number[v] < 0 { number[v] = newVertices.count; newVertices.append(vertices[v]) }
        result.regions = regionsOut
        result.vertices = newVertices
        result.edges = Self.sortedEdges(edges.map { edge in
            let a = number[edge.from], b = number[edge.to]
            return SliceEdge(from: min(a, b), to: max(a, b), layer: edge.layer, neuron: edge.neuron)
        }, vertexCount: vertices.count)
        result.boundarySegments = canonicalBoundary()
        return result
    }

    /// What the JSON summary reads of `canonicalized()`, the same values at a fraction of the work:
    /// each region's area taken on its canonical ring and the boundary segments in canonical order.
    /// Regions, their rings, vertices and edges stay in the engine's order.
    public mutating func canonicaliseSummary(parallelism: Parallelism = .serial) {
        let labels = EdgeLabels(edges, vertexCount: vertices.count)
        var areas = [Double](repeating: 0, count: regions.count)
        areas.withUnsafeMutableBufferPointer { out in
            parallelism.chunks(out.count, minimumChunk: 4096) { range in
                var sequence: [Int64] = []
                for r in range {
                    let cycle = regions[r].vertexIndices
                    labelSequence(cycle, labels: labels, into: &sequence)
                    let start = Self.rotationStart(cycle, labels: sequence) { vertices[$0] }
                    out[r] = abs(Self.ringArea(cycle, vertices, from: start))
                }
            }
        }
        for r in regions.indices { regions[r].area = areas[r] }
        boundarySegments = canonicalBoundary()
    }

    /// A region's vertex cycle started where `rotated` says (`sequence` is the caller's scratch).
    func canonicalRing(_ cycle: [Int], labels: EdgeLabels, sequence: inout [Int64]) -> [Int] {
        labelSequence(cycle, labels: labels, into: &sequence)
        return Self.rotated(cycle, labels: sequence) { vertices[$0] }
    }

    /// The (layer, unit) labels of a cycle's edges, in order.
    func labelSequence(_ cycle: [Int], labels: EdgeLabels, into sequence: inout [Int64]) {
        sequence.removeAll(keepingCapacity: true)
        for k in cycle.indices { sequence.append(labels.label(cycle[k], cycle[k + 1 == cycle.count ? 0 : k + 1])) }
    }

    /// Boundary segments from their lower end, sorted.
    func canonicalBoundary() -> [(Point2, Point2)] {
        boundarySegments.map { Self.lower($0.0, $0.1) ? ($0.0, $0.1) : ($0.1, $0.0) }
            .sorted { Self.lower($0.0, $1.0) || ($0.0 == $1.0 && Self.lower($0.1, $1.1)) }
    }

    /// `signedArea` of the polygon with these vertex indices (the ring started at index `start`), the
    /// same sums in the same order, without building it.
    static func ringArea(_ ring: [Int], _ vertices: [Point2], from start: Int = 0) -> Double {
        let n = ring.count
        guard n >= 3 else { return 0 }
        var twice = 0.0
        var i = start
        for _ in 0..<n {
            let next = i + 1 == n ? 0 : i + 1
            let a = vertices[ring[i]], b = vertices[ring[next]]
            twice += a.x * b.y - a.y * b.x
            i = next
        }
        return twice / 2
    }

    /// Region indices by pattern (equal patterns by index), compared as one flat table of words
    /// when that table is small (long patterns, as max pools make, are compared where they are).
    func patternOrder() -> [Int] {
        let width = regions.first?.pattern.wordCount ?? 0
        guard regions.count * width <= 1 << 21, regions.allSatisfy({ $0.pattern.wordCount == width }) else {
            return regions.indices.sorted { Self.precedes(regions[$0].pattern, regions[$1].pattern) }
        }
        var table = [UInt64](repeating: 0, count: regions.count * width)
        for (r, region) in regions.enumerated() { for w in 0..<width { table[r * width + w] = region.pattern.word(w) } }
        return table.withUnsafeBufferPointer { words in
            regions.indices.sorted { a, b in
                let x = words.baseAddress! + a * width, y = words.baseAddress! + b * width
                for w in 0..<width where x[w] != y[w] { return x[w] < y[w] }
                return a < b
            }
        }
    }

    /// Edges sorted by (from, to, layer, neuron): by `from` through counting, each vertex's few by the rest.
    static func sortedEdges(_ edges: [SliceEdge], vertexCount: Int) -> [SliceEdge] {
        guard edges.allSatisfy({ $0.from >= 0 && $0.from < vertexCount }) else {
            return edges.sorted { ($0.from, $0.to, $0.layer, $0.neuron) < ($1.from, $1.to, $1.layer, $1.neuron) }
        }
        var start = [Int](repeating: 0, count: vertexCount + 1)
        for edge in edges { start[edge.from + 1] += 1 }
        for v in 0..<vertexCount { start[v + 1] += start[v] }
        var next = start
        var sorted = edges
        for edge in edges { sorted[next[edge.from]] = edge; next[edge.from] += 1 }
        for v in 0..<vertexCount where start[v + 1] - start[v] > 1 {
            sorted[start[v]..<start[v + 1]].sort { ($0.to, $0.layer, $0.neuron) < ($1.to, $1.layer, $1.neuron) }
        }
        return sorted
    }

    /// The cycle started where its label sequence is least; among equal rotations, at the lowest-leftmost point.
    static func rotated(_ ring: [Int], labels: [Int64], point: (Int) -> Point2) -> [Int] {
        let best = rotationStart(ring, labels: labels, point: point)
        return best == 0 ? ring : Array(ring[best...] + ring[..<best])
    }

    /// Where `rotated` starts the cycle.
    static func rotationStart(_ ring: [Int], labels: [Int64], point: (Int) -> Point2) -> Int {
        let n = ring.count
        guard n > 1 else { return 0 }
        func compare(_ a: Int, _ b: Int) -> Int {
            for i in 0..<n where labels[(a + i) % n] != labels[(b + i) % n] { return labels[(a + i) % n] < labels[(b + i) % n] ? -1 : 1 }
            return 0
        }
        var best = 0
        for r in 1..<n {
            let order = compare(r, best)
            if order < 0 || (order == 0 && lower(point(ring[r]), point(ring[best]))) { best = r }
        }
        return best
    }

    static func precedes(_ a: ActivationPattern, _ b: ActivationPattern) -> Bool {
        guard let w = a.firstDifferingWord(from: b, words: min(a.wordCount, b.wordCount)) else { return false }
        return a.word(w) < b.word(w)
    }

    /// Lowest, then leftmost.
    static func lower(_ p: Point2, _ q: Point2) -> Bool { p.y < q.y || (p.y == q.y && p.x < q.x) }

    /// The cycle started at its lowest-leftmost point (the first of equals).
    static func rotated<T>(_ ring: [T], point: (T) -> Point2) -> [T] {
        guard var best = ring.indices.first else { return ring }
        for i in ring.indices.dropFirst() where lower(point(ring[i]), point(ring[best])) { best = i }
        return Array(ring[best...] + ring[..<best])
    }
}

/// Each edge's (layer, unit) label packed in one number, looked up by its two ends (the last edge
/// between two vertices wins; -1 for none): every vertex's edges in one flat table.
struct EdgeLabels {
    private var start: [Int]
    private var other: [Int]
    private var label: [Int64]

    init(_ edges: [SliceEdge], vertexCount: Int) {
        start = [Int](repeating: 0, count: vertexCount + 1)
        for edge in edges { start[edge.from + 1] += 1; start[edge.to + 1] += 1 }
        for v in 0..<vertexCount { start[v + 1] += start[v] }
        var next = start
        other = [Int](repeating: 0, count: 2 * edges.count)
        label = [Int64](repeating: 0, count: 2 * edges.count)
        for edge in edges {
            let value = Int64(edge.layer) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: edge.neuron)))
            other[next[edge.from]] = edge.to; label[next[edge.from]] = value; next[edge.from] += 1
            other[next[edge.to]] = edge.from; label[next[edge.to]] = value; next[edge.to] += 1
        }
    }

    func label(_ a: Int, _ b: Int) -> Int64 {
        var found: Int64 = -1
        for k in start[a]..<start[a + 1] where other[k] == b { found = label[k] }
        return found
    }
}

import Polytope

extension SliceResult {
    /// The same partition in an order that does not depend on how it was computed (one process or
    /// stitched strips): regions by pattern, each ring from the edge whose (layer, unit) labels, read
    /// around the ring, come first (then its lowest-leftmost vertex: float coordinates of one vertex
    /// can differ in their last bits between the two), class cells from their lowest-leftmost vertex,
    /// vertices in order of first use, edges and boundary segments sorted. Areas are taken on the
    /// canonical rings, so the same regions give the same bytes.
    public func canonicalized() -> SliceResult {
        var result = self
        let order = regions.indices.sorted { Self.precedes(regions[$0].pattern, regions[$1].pattern) }
        var number = [Int](repeating: -1, count: vertices.count)
        var newVertices: [Point2] = []
        newVertices.reserveCapacity(vertices.count)
        func renumber(_ v: Int) -> Int {
            if number[v] < 0 { number[v] = newVertices.count; newVertices.append(vertices[v]) }
            return number[v]
        }
        var labels: [UInt64: Int64] = [:]
        labels.reserveCapacity(edges.count)
        for edge in edges { labels[Self.key(edge.from, edge.to)] = Int64(edge.layer) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: edge.neuron))) }
        result.regions = order.map { index in
            var region = regions[index]
            let cycle = region.vertexIndices
            let sequence = cycle.indices.map { labels[Self.key(cycle[$0], cycle[($0 + 1) % cycle.count])] ?? -1 }
            let ring = Self.rotated(cycle, labels: sequence) { vertices[$0] }
            region.vertexIndices = ring.map(renumber)
            region.area = abs(signedArea(ring.map { vertices[$0] }))
            region.classCells = region.classCells.sorted { $0.label < $1.label }.map {
                ClassCell(polygon: Self.rotated($0.polygon) { $0 }, label: $0.label)
            }
            return region
        }
        for v in vertices.indices where number[v] < 0 { _ = renumber(v) }
        result.vertices = newVertices
        result.edges = edges.map { edge in
            let a = number[edge.from], b = number[edge.to]
            return SliceEdge(from: min(a, b), to: max(a, b), layer: edge.layer, neuron: edge.neuron)
        }.sorted { ($0.from, $0.to, $0.layer, $0.neuron) < ($1.from, $1.to, $1.layer, $1.neuron) }
        result.boundarySegments = boundarySegments.map { Self.lower($0.0, $0.1) ? ($0.0, $0.1) : ($0.1, $0.0) }
            .sorted { Self.lower($0.0, $1.0) || ($0.0 == $1.0 && Self.lower($0.1, $1.1)) }
        return result
    }

    static func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(min(a, b)) << 32 | UInt64(max(a, b)) }

    /// The cycle started where its label sequence is least; among equal rotations, at the lowest-leftmost point.
    static func rotated(_ ring: [Int], labels: [Int64], point: (Int) -> Point2) -> [Int] {
        let n = ring.count
        guard n > 1 else { return ring }
        func compare(_ a: Int, _ b: Int) -> Int {
            for i in 0..<n where labels[(a + i) % n] != labels[(b + i) % n] { return labels[(a + i) % n] < labels[(b + i) % n] ? -1 : 1 }
            return 0
        }
        var best = 0
        for r in 1..<n {
            let order = compare(r, best)
            if order < 0 || (order == 0 && lower(point(ring[r]), point(ring[best]))) { best = r }
        }
        return Array(ring[best...] + ring[..<best])
    }

    static func precedes(_ a: ActivationPattern, _ b: ActivationPattern) -> Bool {
        for (x, y) in zip(a.words, b.words) where x != y { return x < y }
        return false
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

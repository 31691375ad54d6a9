import Polytope

extension SliceResult {
    /// The same partition in an order that does not depend on how it was computed (one process or
    /// stitched strips): regions by pattern, each ring (and class cell) from its lowest-leftmost
    /// vertex, vertices in order of first use, edges and boundary segments sorted. Areas are taken
    /// on the canonical rings, so the same regions give the same bytes.
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
        result.regions = order.map { index in
            var region = regions[index]
            let ring = Self.rotated(region.vertexIndices) { vertices[$0] }
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

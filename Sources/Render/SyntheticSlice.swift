import Foundation

/// A synthetic slice for tests, benchmarks and demos: the square [-1, 1]² cut by random lines
/// (the "neurons", dealt round-robin to `layers` layers) with logits that are random combinations
/// of ReLUs of those lines, so each cell is a genuine linear region of a one-hidden-layer network.
/// Double arithmetic only; lines are added until there are at least `regions` cells.
public func syntheticSlice(regions target: Int, layers: Int = 3, outputs: Int = 1, seed: UInt64 = 1) -> SliceResult {
    let start = Date()
    var rng = SplitMix64(state: seed)
    var arrangement = LineArrangement()
    let layers = max(layers, 1), outputs = max(outputs, 1)
    while arrangement.cells.count < max(target, 1), arrangement.lines.count < 4 + 4096 {
        let angle = 2 * Double.pi * rng.unit()
        let offset = 0.95 * (2 * rng.unit() - 1)
        arrangement.add(HalfPlane(gx: cos(angle), gy: sin(angle), c: -offset))
    }
    let neurons = Array(arrangement.lines.dropFirst(4))
    // Logit j = w_j · p + b_j + sum_k c_jk relu(line_k(p)).
    let scale = 2.5 / Double(max(neurons.count, 1)).squareRoot()
    let logits = (0..<outputs).map { _ in
        (w: Point2(rng.normal(), rng.normal()), b: 0.2 * rng.normal(), c: neurons.map { _ in scale * rng.normal() })
    }

    var regions: [SliceRegion] = []
    var boundary: [(Point2, Point2)] = []
    for cell in arrangement.cells {
        let polygon = cell.corners.map { arrangement.vertices[$0] }
        let centre = vertexMean(polygon)
        var pattern = ActivationPattern(count: neurons.count)
        for (k, line) in neurons.enumerated() where line.value(centre) > 0 { pattern[k] = true }
        // The affine logits on this cell.
        let affine: [HalfPlane] = logits.map { logit in
            var h = HalfPlane(gx: logit.w.x, gy: logit.w.y, c: logit.b)
            for (k, line) in neurons.enumerated() where pattern[k] {
                h.gx += logit.c[k] * line.gx; h.gy += logit.c[k] * line.gy; h.c += logit.c[k] * line.c
            }
            return h
        }
        let (cells, segments) = classCells(polygon, affine)
        boundary += segments
        let winner = outputs == 1 ? (affine[0].value(centre) > 0 ? 1 : 0)
                                  : affine.indices.max { affine[$0].value(centre) < affine[$1].value(centre) }!
        let g = affine[outputs == 1 ? 0 : winner]
        regions.append(SliceRegion(vertexIndices: cell.corners, pattern: pattern, predictedClass: winner,
                                   classCells: cells, slope: (g.gx * g.gx + g.gy * g.gy).squareRoot(),
                                   area: signedArea(polygon)))
    }
    return SliceResult(arithmetic: "synthetic", domainKind: "square",
                       domainPolygon: Array(arrangement.vertices[0..<4]), domainArea: 4,
                       anchors: [Point2(-0.55, -0.45), Point2(0.6, -0.35), Point2(-0.05, 0.62)],
                       vertices: arrangement.vertices, regions: regions,
                       edges: syntheticEdges(arrangement, layers: layers), boundarySegments: boundary,
                       layers: syntheticLayerStats(regions, neurons: neurons.count, layers: layers),
                       outputs: outputs, seconds: Date().timeIntervalSince(start))
}

/// Splits a cell where the winning class changes; empty when one class wins throughout.
private func classCells(_ polygon: [Point2], _ affine: [HalfPlane]) -> ([ClassCell], [(Point2, Point2)]) {
    func difference(_ i: Int, _ j: Int) -> HalfPlane {
        HalfPlane(gx: affine[i].gx - affine[j].gx, gy: affine[i].gy - affine[j].gy, c: affine[i].c - affine[j].c)
    }
    if affine.count == 1 {
        let up = clip(polygon, to: affine[0])
        let down = clip(polygon, to: HalfPlane(gx: -affine[0].gx, gy: -affine[0].gy, c: -affine[0].c))
        guard abs(signedArea(up)) > 1e-12, abs(signedArea(down)) > 1e-12,
              let segment = clipLine(affine[0], polygon: polygon, within: []) else { return ([], []) }
        return ([ClassCell(polygon: down, label: 0), ClassCell(polygon: up, label: 1)], [segment])
    }
    var cells: [ClassCell] = []
    for i in affine.indices {
        var piece = polygon
        for j in affine.indices where j != i && piece.count >= 3 { piece = clip(piece, to: difference(i, j)) }
        if piece.count >= 3, abs(signedArea(piece)) > 1e-12 { cells.append(ClassCell(polygon: piece, label: i)) }
    }
    guard cells.count > 1 else { return ([], []) }
    var segments: [(Point2, Point2)] = []
    for i in affine.indices {
        for j in affine.indices where j > i {
            let others = affine.indices.filter { $0 != i && $0 != j }.map { difference(i, $0) }
            if let s = clipLine(difference(i, j), polygon: polygon, within: others) { segments.append(s) }
        }
    }
    return (cells, segments)
}

/// Every cell edge once; the square's sides are layer 0, line k is neuron k / L of layer k % L + 1.
private func syntheticEdges(_ arrangement: LineArrangement, layers: Int) -> [SliceEdge] {
    var seen = Set<SliceEdge>()
    var edges: [SliceEdge] = []
    for cell in arrangement.cells {
        let n = cell.corners.count
        for i in 0..<n {
            let (a, b) = (cell.corners[i], cell.corners[(i + 1) % n])
            let line = cell.edgeLines[i]
            let edge = line < 4 ? SliceEdge(from: min(a, b), to: max(a, b), layer: 0, neuron: line)
                                : SliceEdge(from: min(a, b), to: max(a, b), layer: (line - 4) % layers + 1, neuron: (line - 4) / layers)
            if seen.insert(edge).inserted { edges.append(edge) }
        }
    }
    return edges
}

/// Per-layer neuron counts, and the cells cut by the lines of layers 1...l (distinct sign patterns).
private func syntheticLayerStats(_ regions: [SliceRegion], neurons: Int, layers: Int) -> [LayerStats] {
    (1...layers).map { l in
        let members = (0..<neurons).filter { $0 % layers + 1 <= l }
        let distinct = Set(regions.map { r in members.map { r.pattern[$0] } })
        let own = (0..<neurons).filter { $0 % layers + 1 == l }.count
        return LayerStats(index: l, neurons: own, neuronsCut: own, regions: distinct.count)
    }
}

import Polytope

/// Turns the finished subdivision into a `SliceResult`.
extension GraphSubdivision {
    /// Per activation node: its units, the units whose zero set meets the domain's interior, and the
    /// face count after it (for a max pool: its windows, and those whose winner changes in the domain).
    var layerStats: [LayerStats] {
        plan.activationNodes.indices.map { m in
            let cut = plan.maxPool(level: m).map { windowsChangingWinner(level: m, pool: $0) }
                ?? zip(positiveSomewhere[m], negativeSomewhere[m]).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
            var stats = LayerStats(index: m + 1, neurons: plan.valueCounts[plan.activationNodes[m] + 1], neuronsCut: cut, regions: regionsAfter[m])
            stats.windowPositions = plan.maxPool(level: m)?.taps
            return stats
        }
    }

    func makeResult(domain: DomainSpec, seconds: Double) -> SliceResult {
        let faceCount = topology.faces.count
        let partitionVertices = vertexRecords.count
        let frame: (Int32) -> Point2 = { self.plane.toFrame(self.vertexRecords[Int($0)].s, self.vertexRecords[Int($0)].t) }
        var labels = [Int](repeating: 0, count: faceCount)
        let (cellsOf, segments) = decisionCells(Array(0..<faceCount), labels: &labels, frame: frame)
        let vertices = (0..<partitionVertices).map { frame(Int32($0)) }
        let regions = (0..<faceCount).map { f in
            let cycle = topology.faces[f].vertices.map(Int.init)
            return SliceRegion(vertexIndices: cycle, pattern: facePattern[f], predictedClass: labels[f],
                               classCells: cellsOf[f] ?? [], slope: slope(face: f, label: labels[f]),
                               area: abs(signedArea(cycle.map { vertices[$0] })))
        }
        let sliceEdges = topology.edges.map { SliceEdge(from: Int($0.from), to: Int($0.to), layer: Int($0.layer), neuron: Int($0.neuron)) }
        let corners = domainCorners.map { plane.toFrame($0.s, $0.t) }
        var result = SliceResult(arithmetic: kernel.arithmetic.rawValue, domainKind: domain.kind, domainPolygon: corners,
                                 domainArea: abs(signedArea(corners)), anchors: plane.frameAnchors, vertices: vertices,
                                 regions: regions, edges: sliceEdges, boundarySegments: segments, layers: layerStats,
                                 outputs: outputCount, seconds: seconds)
        result.decisions = counts
        result.batchNormScale = plan.graph.hasBatchNormScale
        return result
    }

    /// Norm of the gradient of the winning logit in frame coordinates (per input-space unit).
    func slope(face f: Int, label: Int) -> Double {
        let n = outputCount, base = f * 3 * n
        let row = n == 1 ? 0 : label
        let a = logits[base + row], b = logits[base + n + row]
        let gx = a / plane.length1
        let gy = (b - plane.uAlong / plane.length1 * a) / plane.height
        return (gx * gx + gy * gy).squareRoot()
    }
}

import Polytope

/// The JSON summary of one slice: counts, per-layer statistics, the decision boundary and the framing.
public func sliceReport(_ result: SliceResult) -> [String: Any] {
    let areas = result.regions.map { $0.area }.sorted()
    // Vertex counts are small integers: sorted by counting.
    var histogram: [Int] = []
    for index in result.regions.indices {
        let count = result.regions[index].vertexIndices.count
        if count >= histogram.count { histogram += [Int](repeating: 0, count: count + 1 - histogram.count) }
        histogram[count] += 1
    }
    let vertexCounts = histogram.enumerated().flatMap { [Double](repeating: Double($0.offset), count: $0.element) }
    func summary(_ sorted: [Double]) -> [String: Any] {
        guard !sorted.isEmpty else { return [:] }
        return ["min": sorted.first!, "max": sorted.last!, "mean": sorted.reduce(0, +) / Double(sorted.count),
                "median": sorted[sorted.count / 2]]
    }
    var report: [String: Any] = [
        "regions": result.regions.count,
        "vertices": result.vertices.count,
        "edges": result.edges.count,
        "arithmetic": result.arithmetic,
        "domain": ["kind": result.domainKind, "area": result.domainArea,
                   "polygon": result.domainPolygon.map { [$0.x, $0.y] }] as [String: Any],
        "layers": result.layers.map { layer -> [String: Any] in
            var fields: [String: Any] = ["index": layer.index, "neurons": layer.neurons, "neurons_cut": layer.neuronsCut, "regions": layer.regions]
            if let positions = layer.windowPositions { fields["max_pool_window_positions"] = positions }
            return fields
        },
        "decision_boundary": ["segments": result.boundarySegments.count, "length": result.boundaryLength] as [String: Any],
        "anchors": result.anchors.map { [$0.x, $0.y] },
        "seconds": result.seconds,
        "outputs": result.outputs,
        "region_area": summary(areas),
        "vertices_per_region": summary(vertexCounts),
        "decisions": ["certified": result.decisions.certified, "symbolic": result.decisions.symbolic, "exact": result.decisions.exact],
    ]
    if result.batchNormScale { report["batchnorm_scale"] = "float64" }
    return report
}

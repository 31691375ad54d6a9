import Polytope

/// The MLP engine's lines as the sign kernel reads them.
extension Subdivision {
    /// Neuron j of layer k on region r, with the error bounds of its coefficients.
    @inline(__always)
    func certifiedLine(layer k: Int, neuron j: Int, region r: Int) -> CertifiedLine {
        let layerMaps = maps[k]
        let n = layerMaps.width
        let (a, b, c) = layerMaps.line(neuron: j, region: r)
        let bound = layerMaps.bound
        return CertifiedLine(a: a, b: b, c: c, ea: bound[j], eb: bound[n + j], ec: bound[2 * n + j],
                             ref: .neuron(layer: k, neuron: j, region: r))
    }
}

extension Subdivision {
    /// A neuron's zero set crosses an edge between two regions of its layer at one exact point, which
    /// ever region's line is cut first; its float coordinates come from the line of the region on the
    /// positive side of the edge's unit (or of the first unit that tells the two apart), so they do not
    /// depend on the order the faces are cut in (which differs between one process and the strips of
    /// a sharded slice).
    var choosesCrossingLines: Bool { true }

    func crossingLine(_ line: CertifiedLine, edge e: Int32) -> CertifiedLine {
        guard line.ref.kind == .neuron else { return line }
        let edge = topology.edges[Int(e)]
        let k = Int(line.ref.layer)
        // Domain and seam edges have one side; an edge of this layer lies within one region.
        guard edge.layer >= 1, Int(edge.layer) - 1 < k, edge.faceA >= 0, edge.faceB >= 0 else { return line }
        let regionA = Int(faceRegion[Int(edge.faceA)]), regionB = Int(faceRegion[Int(edge.faceB)])
        guard regionA != regionB else { return line }
        let prefix = patternOffsets[k]
        let patternA = facePattern[Int(edge.faceA)], patternB = facePattern[Int(edge.faceB)]
        func pick(_ aIsPositive: Bool) -> CertifiedLine {
            let chosen = aIsPositive ? regionA : regionB
            return chosen == Int(line.ref.region) ? line : certifiedLine(layer: k, neuron: Int(line.ref.index), region: chosen)
        }
        // Mostly the two differ in the edge's own unit (a unit of an earlier layer).
        let bit = patternOffsets[Int(edge.layer) - 1] + Int(edge.neuron)
        let a = patternA.word(at: bit, width: 1), b = patternB.word(at: bit, width: 1)
        if a != b { return pick(a != 0) }
        var start = 0
        while start < prefix {
            let width = min(64, prefix - start)
            let a = patternA.word(at: start, width: width), differing = a ^ patternB.word(at: start, width: width)
            if differing != 0 { return pick(a & (differing & (~differing &+ 1)) != 0) }
            start += width
        }
        return line
    }
}

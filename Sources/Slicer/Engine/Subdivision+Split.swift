import Polytope

/// Splitting faces (the topology is `PlanarTopology`'s; this adds the lines and per-face arrays).
extension Subdivision: KernelEngine {
    /// Splits face f by a line whose signs at f's vertices (`signs`) are strictly mixed. Face f keeps
    /// the positive part; the negative part becomes a new face, whose index is returned.
    func split(face f: Int32, by line: CertifiedLine, signs: [Int], layer: Int32, neuron: Int32) -> Int32 {
        let g = topology.split(face: f, signs: signs, layer: layer, neuron: neuron, crossing: { p, q, e in
            self.makeVertex(from: p, to: q, edgeLine: self.edgeLines[Int(e)], line: line)
        }, edgeAdded: { e in self.edgeLines.append(e >= 0 ? self.edgeLines[Int(e)] : line) })
        faceRegion.append(faceRegion[Int(f)])
        facePattern.append(facePattern[Int(f)])
        return g
    }
}

import Polytope

/// Sign decisions. Each one is either symbolic (the vertex was built on that zero set), settled by a
/// floating-point value whose rigorous error bound excludes zero, or recomputed exactly.
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

    /// The exact sign of a line's function at a vertex.
    @inline(__always)
    func sign(_ v: Int32, _ line: CertifiedLine) -> Int {
        let i = Int(v)
        if vertexRecords[i].lineA.sameZeroSet(as: line.ref) || vertexRecords[i].lineB.sameZeroSet(as: line.ref) {
            counts.symbolic += 1
            return 0
        }
        if arithmetic == .certified {
            let (value, bound) = line.evaluate(at: vertexRecords[i])
            // NaN or infinite values fail both tests and fall through to the exact path.
            if value > bound { counts.certified += 1; return 1 }
            if value < -bound { counts.certified += 1; return -1 }
        }
        return exactSign(vertex: v, line: line.ref)
    }
}

let gamma3 = gamma(3)

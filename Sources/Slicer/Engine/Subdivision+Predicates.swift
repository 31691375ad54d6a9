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

    /// The value of a line at a vertex and a bound on its error.
    ///
    /// With |ã − a| ≤ ea (likewise b, c) and |s̃ − s|, |t̃ − t| ≤ δ:
    /// |ã s̃ − a s| ≤ ea|s̃| + (|ã| + ea)δ, and the three-term sum adds at most γ₃(|ã s̃| + |b̃ t̃| + |c̃|)
    /// of rounding (in any evaluation order, fused or not).
    @inline(__always)
    func evaluate(_ v: Int32, _ line: CertifiedLine) -> (value: Double, bound: Double) {
        let i = Int(v)
        let record = vertexRecords[i]
        let s = record.s, t = record.t, delta = record.delta
        let value = line.a * s + line.b * t + line.c
        let coefficient = line.ea * abs(s) + line.eb * abs(t) + line.ec
        let position = (abs(line.a) + line.ea + abs(line.b) + line.eb) * delta
        let rounding = gamma3 * (abs(line.a * s) + abs(line.b * t) + abs(line.c))
        return (value, (coefficient + position + rounding) * boundSafety + boundFloor)
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
            let (value, bound) = evaluate(v, line)
            // NaN or infinite values fail both tests and fall through to the exact path.
            if value > bound { counts.certified += 1; return 1 }
            if value < -bound { counts.certified += 1; return -1 }
        }
        return exactSign(vertex: v, line: line.ref)
    }
}

let gamma3 = gamma(3)

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

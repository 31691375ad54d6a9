/// Per channel y = scale·x + shift: inference-mode batch normalisation with its scale γ/√(σ²+ε)
/// already rounded to float64 (which the engine then treats as exact).
struct ChannelAffineOperation: AffineOperation {
    let scale: [Double], shift: [Double]
    /// Units per channel (H·W, or 1 for a [C] vector).
    let unitsPerChannel: Int
    var outputCount: Int { scale.count * unitsPerChannel }

    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) {
        let w = scale[u / unitsPerChannel]
        if w != 0 { body(0, u, w) }
    }

    func bias(of u: Int) -> Double { shift[u / unitsPerChannel] }
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) { body(index) }
}

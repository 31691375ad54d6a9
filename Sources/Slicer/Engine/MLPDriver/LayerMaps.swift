/// The float affine maps of one network layer's pre-activations on every region, with their bounds.
///
/// Regions cut from one parent region share a base map (one matrix product per parent, with a slope
/// pattern fixed before the parent was cut) and differ from it by a few rank-one corrections, one
/// per neuron whose slope differs from that pattern: region r's map is base[b(r)] + Σ m ⊗ W[:, j] over its corrections (j, m), added in
/// order. Only bases and corrections are stored, which is a fraction of every region's full map.
/// A map is rebuilt in the same order wherever it is read, so every reader sees the same values.
// @unchecked: filled (bound and magnitude too) before any worker sees it; workers only read it.
final class LayerMaps: @unchecked Sendable {
    /// Neurons of this layer.
    let width: Int
    /// Number of regions the maps describe.
    let regionCount: Int
    /// Base maps, 3·width each: the s-, t- and constant-coefficient rows.
    let base: UnsafeMutableBufferPointer<Double>
    /// Further bases (maps of regions too far from their parent's base to be corrected), numbered
    /// on from `base`'s.
    let ownBase: UnsafeMutableBufferPointer<Double>
    /// Number of maps in `base`.
    let baseCount: Int
    /// Base of each region; empty when region r uses base r.
    let regionBase: [Int32]
    /// Region r's corrections are correctionStart[r]..<correctionStart[r + 1]; empty when none.
    let correctionStart: UnsafeMutableBufferPointer<Int32>
    let correctionNeuron: UnsafeMutableBufferPointer<Int32>
    /// The (s, t, constant) coefficients m of each correction.
    let correctionCoefficients: UnsafeMutableBufferPointer<Double>
    /// W transposed (column j of W at j·width), read by the corrections.
    let columns: [Double]
    /// Region-independent bound rows E (3·width): |M̃ − M| ≤ E for every region's map.
    var bound: [Double] = []
    /// Region-independent bound rows B (3·width) on |M̃|.
    var magnitude: [Double] = []

    /// Maps with room for `baseCount` bases (filled by the caller) and the given corrections.
    convenience init(width: Int, regionCount: Int, baseCount: Int, regionBase: [Int32] = [],
                     correctionStart: [Int32] = [], columns: [Double] = []) {
        self.init(width: width, regionCount: regionCount, adopting: .allocate(capacity: baseCount * 3 * width),
                  regionBase: regionBase, correctionStart: correctionStart, columns: columns)
    }

    /// Maps whose bases are `base`, which they now own, then room for `ownCount` more (filled by the caller).
    init(width: Int, regionCount: Int, adopting base: UnsafeMutableBufferPointer<Double>, ownCount: Int = 0, regionBase: [Int32] = [],
         correctionStart: [Int32] = [], columns: [Double] = []) {
        self.width = width
        self.regionCount = regionCount
        self.base = base
        baseCount = width == 0 ? 0 : base.count / (3 * width)
        ownBase = .allocate(capacity: ownCount * 3 * width)
        self.regionBase = regionBase
        self.columns = columns
        let corrections = Int(correctionStart.last ?? 0)
        self.correctionStart = .allocate(capacity: correctionStart.count)
        _ = self.correctionStart.initialize(from: correctionStart)
        correctionNeuron = .allocate(capacity: corrections)
        correctionCoefficients = .allocate(capacity: 3 * corrections)
    }

    deinit {
        base.deallocate()
        ownBase.deallocate()
        correctionStart.deallocate()
        correctionNeuron.deallocate()
        correctionCoefficients.deallocate()
    }

    var hasCorrections: Bool { correctionStart.count > 0 }

    @inline(__always)
    func baseIndex(_ r: Int) -> Int { regionBase.isEmpty ? r : Int(regionBase[r]) }

    /// Region r's base map (3·width values).
    @inline(__always)
    func basePointer(_ r: Int) -> UnsafeMutablePointer<Double> {
        let b = baseIndex(r)
        return b < baseCount ? base.baseAddress! + b * 3 * width : ownBase.baseAddress! + (b - baseCount) * 3 * width
    }

    /// Writes region r's full map (3·width values) to `target`.
    @inline(__always)
    func materialise(region r: Int, into target: UnsafeMutablePointer<Double>) {
        target.update(from: basePointer(r), count: 3 * width)
        guard hasCorrections else { return }
        columns.withUnsafeBufferPointer { columns in
            for c in Int(correctionStart[r])..<Int(correctionStart[r + 1]) {
                LayerMaps.addCorrection(to: target, width: width,
                                        column: columns.baseAddress! + Int(correctionNeuron[c]) * width,
                                        coefficients: correctionCoefficients.baseAddress! + 3 * c)
            }
        }
    }

    /// Region r's full map: its base itself when it has no corrections, else built in `scratch`.
    @inline(__always)
    func map(region r: Int, scratch: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
        if !hasCorrections || correctionStart[r] == correctionStart[r + 1] {
            return UnsafePointer(basePointer(r))
        }
        materialise(region: r, into: scratch)
        return UnsafePointer(scratch)
    }

    /// Row j of region r's map: the coefficients (a, b, c) of neuron j, as `materialise` computes them.
    @inline(__always)
    func line(neuron j: Int, region r: Int) -> (a: Double, b: Double, c: Double) {
        let start = basePointer(r)
        var a = start[j], b = start[width + j], c = start[2 * width + j]
        guard hasCorrections else { return (a, b, c) }
        for q in Int(correctionStart[r])..<Int(correctionStart[r + 1]) {
            let w = columns[Int(correctionNeuron[q]) * width + j]
            let m = correctionCoefficients.baseAddress! + 3 * q
            if m[0] != 0 { a += m[0] * w }
            if m[1] != 0 { b += m[1] * w }
            if m[2] != 0 { c += m[2] * w }
        }
        return (a, b, c)
    }

    /// target[row] += m[row] · column for the three rows (rows with m = 0 are left alone).
    @inline(__always)
    static func addCorrection(to target: UnsafeMutablePointer<Double>, width: Int,
                              column: UnsafePointer<Double>, coefficients m: UnsafePointer<Double>) {
        for row in 0..<3 {
            let scale = m[row]
            if scale == 0 { continue }
            let rowBase = target + row * width
            for i in 0..<width { rowBase[i] += scale * column[i] }
        }
    }
}

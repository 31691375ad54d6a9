/// The rounding term of the float32 pass's Winograd convolutions (`ForwardWinogradConv`).
///
/// Per output y = Aᵀ·[Σ_c Û_c ⊙ (Bᵀ·d̂_c·B)]·A + b̂ with Û_c = fl32(G·g_c·Gᵀ computed in float64): every
/// path from an input d̂ through one Û to y meets at most K + 7 roundings (K = Cin: two in the input
/// transform, whose coefficients are 0 and ±1, K in the products and sums over channels, four in the
/// output transform, one adding the bias), and |Û − U| ≤ u′·Ū with Ū = |G|·|g|·|Gᵀ|, u′ = u + 2⁻⁴⁹ (the
/// float64 transform's own error is below 2⁻⁵⁰·Ū; G's entries 0, ±½, 1 scale exactly). So, barring
/// underflow as everywhere here, |ŷ − y(d̂)| ≤ c·(T(|d̂|) + |b|), c = γ_{K+7}(1 + u′) + u′ ≥ γ₂ (the bias's
/// two roundings), where T(Z) = Σ_c |Aᵀ|·[Ū_c ⊙ (|Bᵀ|·Z_c·|B|)]·|A|. Expanded, T(Z) at output pixel (2s + i,
/// 2t + j) is Σ_{a,b} |g_ab| Σ_{m,n} τ(i, a, m)·τ(j, b, n)·Z(2s + m, 2t + n) in padded coordinates, with
/// τ(i, a, m) = Σ_k |Aᵀ_ik|·|G_ka|·|Bᵀ_km| (at most 2, where the direct sum has a single 1): a 4×4,
/// stride-2 convolution of Z per output phase (i, j), which is how it is computed here.
extension ForwardErrorBound {
    static let uWinograd = u + 0x1p-49

    /// The c above for a convolution of `inChannels` input channels.
    static func winogradCoefficient(inChannels: Int) -> Double {
        gamma(inChannels + 7) * (1 + uWinograd) + uWinograd
    }

    /// τ(i, a, m) for i in 0...1, a in 0...2, m in 0...3, from F(2×2, 3×3)'s matrices.
    static let winogradSpread: [[[Double]]] = {
        let at: [[Double]] = [[1, 1, 1, 0], [0, 1, -1, -1]]
        let g: [[Double]] = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]]
        let bt: [[Double]] = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]
        return (0..<2).map { i in (0..<3).map { a in (0..<4).map { m in
            (0..<4).reduce(0.0) { $0 + Swift.abs(at[i][$1]) * Swift.abs(g[$1][a]) * Swift.abs(bt[$1][m]) }
        } } }
    }()

    /// T(Z) + |b| for `rows` rows of magnitudes Z of the convolution's input, [rows × Cout·Ho·Wo].
    static func winogradMagnitudes(_ step: ForwardConv<Double>, _ z: [Double], rows: Int) -> [Double] {
        let conv = step.conv, window = step.window
        let cin = conv.inChannels, cout = conv.outChannels
        let tilesH = (window.outH + 1) / 2, tilesW = (window.outW + 1) / 2
        let tau = winogradSpread
        var weights = [Double](repeating: 0, count: 4 * cout * cin * 16)
        for phase in 0..<4 {
            let (i, j) = (phase / 2, phase % 2)
            for o in 0..<cout {
                for c in 0..<cin {
                    let g = (o * cin + c) * 9
                    let target = ((phase * cout + o) * cin + c) * 16
                    for a in 0..<3 {
                        for b in 0..<3 {
                            let magnitude = Swift.abs(conv.weights[g + a * 3 + b])
                            for m in 0..<4 { for n in 0..<4 { weights[target + m * 4 + n] += magnitude * tau[i][a][m] * tau[j][b][n] } }
                        }
                    }
                }
            }
        }
        let bias = (0..<4).flatMap { _ in conv.bias.map(Swift.abs) }
        let pads = [window.padTop, window.padLeft, 2 * tilesH + 2 - window.inH - window.padTop, 2 * tilesW + 2 - window.inW - window.padLeft]
        let phases = Conv2D(inChannels: cin, outChannels: 4 * cout, kernelH: 4, kernelW: 4, strideH: 2, strideW: 2,
                            pads: pads, weights: weights, bias: bias)
        let phaseWindow = WindowGeometry(inH: window.inH, inW: window.inW, kernelH: 4, kernelW: 4, strideH: 2, strideW: 2,
                                         pads: pads, dilationH: 1, dilationW: 1)!
        precondition(phaseWindow.outH == tilesH && phaseWindow.outW == tilesW)
        let phaseStep = ForwardConv<Double>(phases, window: phaseWindow)
        let tiles = tilesH * tilesW
        var perPhase = [Double](repeating: 0, count: rows * 4 * cout * tiles)
        var scratch = [Double](repeating: 0, count: max(1, phaseStep.scratchSize))
        z.withUnsafeBufferPointer { x in
            perPhase.withUnsafeMutableBufferPointer { y in
                scratch.withUnsafeMutableBufferPointer { s in phaseStep.run(x.baseAddress!, rows: rows, into: y.baseAddress!, scratch: s.baseAddress!) }
            }
        }
        let (outH, outW) = (window.outH, window.outW)
        var result = [Double](repeating: 0, count: rows * cout * outH * outW)
        for row in 0..<rows {
            for phase in 0..<4 {
                for o in 0..<cout {
                    let source = ((row * 4 + phase) * cout + o) * tiles
                    for s in 0..<tilesH {
                        let oh = 2 * s + phase / 2
                        guard oh < outH else { continue }
                        for t in 0..<tilesW {
                            let ow = 2 * t + phase % 2
                            guard ow < outW else { continue }
                            result[((row * cout + o) * outH + oh) * outW + ow] = perPhase[source + s * tilesW + t]
                        }
                    }
                }
            }
        }
        return result
    }
}

import Foundation

/// The colour schemes of partition pictures: pastel fills from pattern hashes, class hues,
/// per-layer line colours and a sequential map for slopes.
public enum Palette {
    /// Scrambles a hash so that every bit depends on every input bit (SplitMix64 finaliser).
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A fraction in 0..<1 taken from 16 bits of a hash.
    static func fraction(_ hash: UInt64, shift: UInt64) -> Double {
        Double((hash >> shift) & 0xffff) / 65536
    }

    /// A light pastel colour determined by a hash, so equal patterns get equal colours in every frame.
    public static func pastel(hash: UInt64) -> Color {
        let h = mix(hash)
        // Light and low-chroma: black edges and the red boundary stay readable on every fill.
        return .oklch(0.855 + 0.075 * fraction(h, shift: 16), 0.04 + 0.04 * fraction(h, shift: 32),
                      360 * fraction(h, shift: 0))
    }

    /// Hues (OKLCH degrees) for classes; red is avoided because the decision boundary is red.
    static let classHues: [Double] = [250, 75, 150, 310, 200, 110, 345, 225, 130, 285]

    /// The hue of a class, cycling with a golden-angle offset past the first ten.
    static func classHue(_ label: Int) -> Double {
        let base = classHues[((label % classHues.count) + classHues.count) % classHues.count]
        return base + 137.5 * Double(max(label, 0) / classHues.count)
    }

    /// The colour of a class, lightness jittered by a pattern hash so neighbouring regions stay apart.
    public static func classColor(_ label: Int, hash: UInt64) -> Color {
        let jitter = fraction(mix(hash), shift: 8) - 0.5
        return .oklch(0.815 + 0.09 * jitter, 0.085, classHue(label))
    }

    /// The legend colour of a class: its un-jittered middle tone.
    public static func classColor(_ label: Int) -> Color { .oklch(0.815, 0.085, classHue(label)) }

    /// Hues for hidden layers' lines: dark, saturated, distinct, not red.
    static let layerHues: [Double] = [255, 145, 320, 65, 200, 355, 110, 285]

    /// The line colour of a hidden layer (1-based).
    public static func layerColor(_ layer: Int) -> Color {
        let i = max(layer - 1, 0)
        let hue = i < layerHues.count ? layerHues[i] : layerHues[i % layerHues.count] + 23 * Double(i / layerHues.count)
        return .oklch(0.50, 0.15, hue)
    }

    /// Stops of the sequential slope map in OKLCH: pale cream through green and teal to indigo.
    static let slopeStops: [(l: Double, c: Double, h: Double)] = [
        (0.970, 0.040, 95), (0.880, 0.110, 125), (0.760, 0.110, 170), (0.620, 0.110, 230), (0.470, 0.140, 285),
    ]

    /// The sequential colour of t in 0...1 (clamped), interpolated in OKLab between the stops.
    public static func sequential(_ t: Double) -> Color {
        let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(slopeStops.count - 1)
        let i = min(Int(x), slopeStops.count - 2)
        let f = x - Double(i)
        let (p, q) = (slopeStops[i], slopeStops[i + 1])
        let (pa, pb) = (p.c * cos(p.h * .pi / 180), p.c * sin(p.h * .pi / 180))
        let (qa, qb) = (q.c * cos(q.h * .pi / 180), q.c * sin(q.h * .pi / 180))
        return .oklab(p.l + (q.l - p.l) * f, pa + (qa - pa) * f, pb + (qb - pb) * f)
    }
}

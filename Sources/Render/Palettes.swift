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

    /// The 16-bit colour key of a pattern hash: pattern and class fills depend on the pattern only
    /// through it, so the viewer page stores two bytes per region and looks the colours up.
    public static func patternKey(hash: UInt64) -> UInt16 { UInt16(truncatingIfNeeded: mix(hash) >> 24) }

    /// A light pastel colour determined by a hash, so equal patterns get equal colours in every frame.
    public static func pastel(hash: UInt64) -> Color { pastel(key: patternKey(hash: hash)) }

    /// The pastel of a colour key: 256 hues, 16 lightnesses, 16 chromas.
    public static func pastel(key: UInt16) -> Color {
        let hue = Double(key & 0xff) / 256, light = Double((key >> 8) & 0xf) / 16, chroma = Double(key >> 12) / 16
        // Light and low-chroma: black edges and the red boundary stay readable on every fill.
        return .oklch(0.855 + 0.075 * light, 0.04 + 0.04 * chroma, 360 * hue)
    }

    /// Light fills for classes 0–9, told apart with normal vision and under simulated protanopia,
    /// deuteranopia and tritanopia (`PaletteTests`); light enough for dark edges on them. Past ten
    /// the colours repeat. The nearest pair (mustard, ochre) goes to Fashion-MNIST's Trouser and Shirt,
    /// which no one confuses; T-shirt/top, Pullover, Coat and Shirt get colours far apart.
    static let classFills: [UInt32] = [0x8899ee, 0xccbb55, 0xaaffbb, 0xffcc77, 0x55bbcc, 0xccddee, 0xcc9933, 0x88ccff, 0xaaccbb, 0xaaaa88]

    /// The colour of a class, lightness nudged by a pattern's key so neighbouring regions stay apart.
    public static func classColor(_ label: Int, hash: UInt64) -> Color { classColor(label, key: patternKey(hash: hash)) }

    /// The colour of a class for a colour key: its fill, lighter or darker by up to 0.02 in OKLab lightness.
    public static func classColor(_ label: Int, key: UInt16) -> Color {
        let base = classColor(label).oklab
        return .oklab(base.l + 0.04 * (Double((key >> 8) & 0x7) / 7 - 0.5), base.a, base.b)
    }

    /// The legend colour of a class: its fill.
    public static func classColor(_ label: Int) -> Color {
        Color(hex: classFills[((label % classFills.count) + classFills.count) % classFills.count])
    }

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

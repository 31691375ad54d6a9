import Foundation

/// An sRGB colour with straight (non-premultiplied) alpha, every channel in 0...1.
public struct Color: Hashable, Sendable {
    public var r: Double
    public var g: Double
    public var b: Double
    public var a: Double

    public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    /// A colour from a 0xRRGGBB literal.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(Double((hex >> 16) & 0xff) / 255, Double((hex >> 8) & 0xff) / 255,
                  Double(hex & 0xff) / 255, alpha)
    }

    /// The same colour with another alpha.
    public func withAlpha(_ alpha: Double) -> Color { Color(r, g, b, alpha) }

    /// The 8-bit channels Cairo stores for this colour (rounded), for comparisons with pixels.
    public var bytes: (r: UInt8, g: UInt8, b: UInt8) {
        func byte(_ v: Double) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }
        return (byte(r), byte(g), byte(b))
    }

    public static let white = Color(1, 1, 1)
    public static let black = Color(0, 0, 0)
    /// Text and outlines: a soft black.
    public static let ink = Color(hex: 0x222222)
    /// The decision boundary.
    public static let boundaryRed = Color(hex: 0xd7191c)

    /// The paper's LC curve colours: train purple, test orange, random blue.
    public static let lcTrain = Color(hex: 0x7b3294)
    public static let lcTest = Color(hex: 0xf28e1c)
    public static let lcRandom = Color(hex: 0x2c7bb6)
}

// MARK: - OKLab / OKLCH

extension Color {
    /// A colour from OKLCH (lightness 0...1, chroma, hue in degrees), clipped into the sRGB gamut.
    public static func oklch(_ lightness: Double, _ chroma: Double, _ hueDegrees: Double) -> Color {
        let h = hueDegrees * .pi / 180
        return oklab(lightness, chroma * cos(h), chroma * sin(h))
    }

    /// A colour from OKLab coordinates, clipped into the sRGB gamut.
    public static func oklab(_ lightness: Double, _ a: Double, _ b: Double) -> Color {
        // OKLab -> LMS (cube-root domain) -> linear sRGB, per Ottosson's published matrices.
        let l = pow(lightness + 0.3963377774 * a + 0.2158037573 * b, 3)
        let m = pow(lightness - 0.1055613458 * a - 0.0638541728 * b, 3)
        let s = pow(lightness - 0.0894841775 * a - 1.2914855480 * b, 3)
        let red = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s
        let green = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s
        let blue = -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s
        return Color(gammaEncode(red), gammaEncode(green), gammaEncode(blue))
    }

    /// Linear-light channel to sRGB-encoded channel, clipped to 0...1.
    static func gammaEncode(_ linear: Double) -> Double {
        let v = min(max(linear, 0), 1)
        return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055
    }
}

extension Color {
    /// This colour's OKLab coordinates (lightness, a, b).
    public var oklab: (l: Double, a: Double, b: Double) {
        func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        let (red, green, blue) = (linear(r), linear(g), linear(b))
        let l = cbrt(0.4122214708 * red + 0.5363325363 * green + 0.0514459929 * blue)
        let m = cbrt(0.2119034982 * red + 0.6806995451 * green + 0.1073969566 * blue)
        let s = cbrt(0.0883024619 * red + 0.2817188376 * green + 0.6299787005 * blue)
        return (0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s)
    }
}

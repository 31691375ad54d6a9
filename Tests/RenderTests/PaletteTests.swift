import Foundation
import Polytope
import Render
import Slicer
import Testing

@Suite(.timeLimit(.minutes(20)))
struct PaletteTests {
    @Test func patternColoursAreStableLightAndVaried() {
        var colours = Set<Color>(), patterns = Set<ActivationPattern>()
        for seed in 0..<200 {
            var pattern = ActivationPattern(count: 90)
            // Patterns one bit apart, as neighbouring regions are.
            pattern[seed % 90] = true
            if seed >= 90 { pattern[(seed * 7) % 90 == seed % 90 ? 0 : (seed * 7) % 90] = true }
            var copy = ActivationPattern(count: 90)
            copy.words = pattern.words
            let c = Palette.pastel(hash: pattern.stableHash)
            // The same pattern in another frame gets the same colour.
            #expect(c == Palette.pastel(hash: copy.stableHash))
            #expect(0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b > 0.6)
            colours.insert(c); patterns.insert(pattern)
        }
        #expect(patterns.count > 150)
        #expect(colours.count == patterns.count)
    }

    @Test func layerAndClassColoursDiffer() {
        let layers = (1...8).map(Palette.layerColor)
        #expect(Set(layers).count == 8)
        let classes = (0..<10).map { Palette.classColor($0) }
        #expect(Set(classes).count == 10)
    }

    /// Machado, Oliveira and Fernandes (2009), severity 1, on linear sRGB.
    static let visions: [String: [[Double]]] = [
        "normal": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
        "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
        "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
        "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    ]

    /// The ten class fills stay apart (OKLab distance ≥ 0.07, about what tells two fills apart at a
    /// glance) as seen with normal vision and with each full dichromacy, and the tones a pattern's key
    /// gives them stay nearer their own class than to any other.
    @Test func classColoursSurviveColourVisionDeficiencies() {
        func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        func seen(_ c: Color, _ m: [[Double]]) -> (Double, Double, Double) {
            let rgb = [linear(c.r), linear(c.g), linear(c.b)]
            let out = m.map { row in min(max(zip(row, rgb).reduce(0) { $0 + $1.0 * $1.1 }, 0), 1) }
            func encode(_ v: Double) -> Double { v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055 }
            let lab = Color(encode(out[0]), encode(out[1]), encode(out[2])).oklab
            return (lab.l, lab.a, lab.b)
        }
        func distance(_ p: (Double, Double, Double), _ q: (Double, Double, Double)) -> Double {
            ((p.0 - q.0) * (p.0 - q.0) + (p.1 - q.1) * (p.1 - q.1) + (p.2 - q.2) * (p.2 - q.2)).squareRoot()
        }
        for (name, matrix) in Self.visions {
            let fills = (0..<10).map { seen(Palette.classColor($0), matrix) }
            for i in 0..<10 {
                for j in (i + 1)..<10 { #expect(distance(fills[i], fills[j]) >= 0.07, "classes \(i) and \(j) under \(name)") }
            }
        }
        let fills = (0..<10).map { seen(Palette.classColor($0), Self.visions["normal"]!) }
        for label in 0..<10 {
            for tone in 0..<8 {
                let toned = seen(Palette.classColor(label, key: UInt16(tone) << 8), Self.visions["normal"]!)
                let nearest = fills.indices.min { distance(fills[$0], toned) < distance(fills[$1], toned) }
                #expect(nearest == label && distance(fills[label], toned) <= 0.021, "class \(label), tone \(tone)")
            }
        }
    }

    @Test func sequentialMapGetsDarkerAlongItsLength() {
        let lum = stride(from: 0.0, through: 1.0, by: 0.1).map { t -> Double in
            let c = Palette.sequential(t); return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b
        }
        #expect(zip(lum, lum.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func titleGroupsDigits() {
        #expect(PartitionStyle.title(step: 1000, regions: 5321) == "step 1,000 · 5,321 regions")
    }
}

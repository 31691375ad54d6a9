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

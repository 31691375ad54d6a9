import Render
import Testing

/// The synthetic slices the pictures are tested on are real partitions of the square.
struct SyntheticSliceTests {
    @Test func regionsTileTheSquare() {
        let s = syntheticSlice(regions: 500, layers: 3, outputs: 2, seed: 4)
        #expect(s.regions.count >= 500)
        let total = s.regions.map(\.area).reduce(0, +)
        #expect(abs(total - 4) < 1e-9)
        #expect(s.regions.allSatisfy { $0.area > 0 })
        // Distinct cells of a line arrangement have distinct sign patterns.
        #expect(Set(s.regions.map(\.pattern)).count == s.regions.count)
        #expect(s.layers.map(\.index) == [1, 2, 3])
        #expect(s.layers.last?.regions == s.regions.count)
        #expect(s.edges.contains { $0.layer == 0 } && s.edges.contains { $0.layer == 3 })
    }

    @Test func classCellsSplitTheirRegion() {
        let s = syntheticSlice(regions: 400, layers: 2, outputs: 3, seed: 8)
        let crossed = s.regions.filter { !$0.classCells.isEmpty }
        #expect(!crossed.isEmpty)
        for r in crossed {
            let area = r.classCells.map { signedArea($0.polygon) }.reduce(0, +)
            #expect(abs(area - r.area) < 1e-9)
            #expect(Set(r.classCells.map(\.label)).count == r.classCells.count)
        }
    }
}

import Foundation
import Polytope
import Render
import Slicer
import Testing

/// The pixels of partition pictures show what the slice says.
@Suite(.timeLimit(.minutes(20)))
struct PartitionPixelTests {
    static let binary = EngineSlices.binary
    static let ternary = EngineSlices.ternary

    @Test(arguments: [PartitionStyle.Fill.pattern, .class, .slope])
    func regionInteriorsShowTheirFillColour(fill: PartitionStyle.Fill) throws {
        let result = Self.binary
        var style = PartitionStyle(fill: fill, width: 700, height: 700, title: "probe", anchorLabels: ["a", "b", "c"])
        style.slopeRange = 0...5
        let image = try renderPartitionPixels(result, style: style)
        var probed = 0
        for region in result.regions where region.classCells.isEmpty {
            guard let p = Probe.interior(of: Probe.polygon(region, result), in: image, result: result) else { continue }
            let want = style.fillColor(of: region, slopeRange: 0...5)
            #expect(Probe.matches(image.pixel(x: p.x, y: p.y), want), "region at \(p) is \(image.pixel(x: p.x, y: p.y)), want \(want.bytes)")
            probed += 1
        }
        #expect(probed >= 20)
    }

    @Test func classCellsShowTheirClassColour() throws {
        let result = Self.ternary
        let style = PartitionStyle(fill: .class, width: 800, height: 800)
        let image = try renderPartitionPixels(result, style: style)
        var probed = 0, labels = Set<Int>()
        for region in result.regions {
            for cell in region.classCells {
                guard let p = Probe.interior(of: cell.polygon, in: image, result: result, clearance: 4) else { continue }
                #expect(Probe.matches(image.pixel(x: p.x, y: p.y), style.fillColor(of: cell, in: region)))
                probed += 1; labels.insert(cell.label)
            }
        }
        #expect(probed >= 3)
        #expect(labels.count >= 2)
    }

    @Test func decisionBoundaryIsRed() throws {
        let result = Self.binary
        #expect(result.boundarySegments.count >= 5)
        let image = try renderPartitionPixels(result, style: PartitionStyle(width: 600, height: 600))
        let layout = try #require(image.layout)
        var probed = 0
        for (a, b) in result.boundarySegments where (b - a).length * layout.scale > 6 {
            let mid = 0.5 * (a + b)
            // Anchor discs sit on top of everything; skip segments under them.
            guard result.anchors.allSatisfy({ ($0 - mid).length * layout.scale > layout.unit }) else { continue }
            let p = image.map(point: mid)
            let px = image.pixel(x: p.x, y: p.y)
            #expect(Int(px.r) > Int(px.g) + 80 && Int(px.r) > Int(px.b) + 80, "boundary pixel \(px) at \(p) is not red")
            probed += 1
        }
        #expect(probed >= 3)
    }

    @Test func byLayerLegendListsEveryLayerWithItsColour() throws {
        let result = EngineSlices.fourLayers
        let style = PartitionStyle(edges: .byLayer, width: 900, height: 900)
        let entries = style.legendEntries(for: result)
        #expect(entries.map(\.label) == ["layer 1", "layer 2", "layer 3", "layer 4", "decision boundary"])
        #expect(Set(entries.map(\.color)).count == 5)
        let image = try renderPartitionPixels(result, style: style)
        let layout = try #require(image.layout)
        #expect(layout.legend.map(\.entry) == entries)
        for (entry, mark) in layout.legend {
            let px = image.pixel(x: Int(mark.midX), y: Int(mark.midY))
            #expect(Probe.matches(px, entry.color, tolerance: 3), "\(entry.label) swatch is \(px), want \(entry.color.bytes)")
            // The legend sits outside the plot so it never hides regions.
            #expect(mark.y >= layout.plotRect.maxY)
        }
    }

    /// Dark edges need no key; the red decision boundary has one whenever it is drawn.
    @Test func darkEdgesKeyOnlyTheDecisionBoundary() {
        var style = PartitionStyle(fill: .pattern, edges: .dark)
        #expect(style.legendEntries(for: Self.binary).map(\.label) == ["decision boundary"])
        #expect(style.legendEntries(for: Self.binary).first?.color == .boundaryRed)
        style.showsBoundary = false
        #expect(style.legendEntries(for: Self.binary).isEmpty)
    }

    @Test func slopeColourBarRunsAlongTheMap() throws {
        var style = PartitionStyle(fill: .slope, width: 800, height: 700)
        style.slopeRange = 0...4
        let image = try renderPartitionPixels(Self.binary, style: style)
        let bar = try #require(image.layout?.colorBar)
        let bottom = image.pixel(x: Int(bar.midX), y: Int(bar.maxY - 3))
        let top = image.pixel(x: Int(bar.midX), y: Int(bar.y + 3))
        #expect(Probe.matches(bottom, Palette.sequential(0), tolerance: 6))
        #expect(Probe.matches(top, Palette.sequential(1), tolerance: 6))
        #expect(bar.x >= image.layout!.plotRect.maxX)
    }

    @Test func domainKeepsItsAspectRatio() throws {
        let result = Self.binary
        let image = try renderPartitionPixels(result, style: PartitionStyle(width: 900, height: 500))
        let xs = result.domainPolygon.map(\.x), ys = result.domainPolygon.map(\.y)
        let (lo, hi) = (image.map(point: Point2(xs.min()!, ys.min()!)), image.map(point: Point2(xs.max()!, ys.max()!)))
        let (w, h) = (Double(hi.x - lo.x), Double(lo.y - hi.y))
        #expect(w > 150 && h > 150)
        let want = (xs.max()! - xs.min()!) / (ys.max()! - ys.min()!)
        #expect(abs(w / h - want) < 3 / h, "domain box drawn \(w) x \(h) pixels, want aspect \(want)")
        // Left of the domain's box in a wide picture the page stays white.
        #expect(Probe.matches(image.pixel(x: lo.x - 40, y: (lo.y + hi.y) / 2), .white))
    }

    @Test func densePartitionStaysLight() throws {
        let result = EngineSlices.dense
        let image = try renderPartitionPixels(result, style: PartitionStyle(width: 420, height: 420))
        let plot = try #require(image.layout?.plotRect)
        var total = 0.0, count = 0.0
        for y in stride(from: Int(plot.y) + 2, to: Int(plot.maxY) - 2, by: 3) {
            for x in stride(from: Int(plot.x) + 2, to: Int(plot.maxX) - 2, by: 3) {
                let p = image.pixel(x: x, y: y)
                total += (Double(p.r) + Double(p.g) + Double(p.b)) / 3; count += 1
            }
        }
        // Fills are light pastels (about 200+); edges may darken them, never swamp them.
        #expect(total / count > 170, "mean brightness \(total / count)")
    }
}

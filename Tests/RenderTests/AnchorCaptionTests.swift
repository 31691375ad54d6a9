import Foundation
import Pipelines
import Polytope
import Render
import Slicer
import Testing

/// Anchor markers and captions of small neighbourhoods (a disk around one anchor, the other two far
/// outside the picture) stay out of the title and point towards the far anchors.
@Suite(.timeLimit(.minutes(20)))
struct AnchorCaptionTests {
    /// The exact slice of the 16 → 24 → 24 → 24 → 1 workload network in a disk of radius 0.02 around anchor
    /// `k` (0-based here; the domain counts anchors from 1).
    static func diskSlice(around k: Int) throws -> SliceResult {
        let (network, anchors) = try standardWorkload(widths: [16, 24, 24, 24, 1], seed: 3)
        return try slice(network: network, anchors: anchors, options: SliceOptions(domain: .disk(radius: 0.02, anchor: k + 1)))
    }

    static func style(for result: SliceResult, anchors: Bool) -> PartitionStyle {
        var style = PartitionStyle(fill: .pattern, edges: .dark, width: 400, height: 400,
                                   title: "(a) step 1,000 · test acc 80.0% · 44 regions, a long panel title",
                                   anchorLabels: ["#0 · Ankle boot", "#1 · T-shirt/top", "#2 · Trouser"])
        style.framing = neighbourhoodFraming(.disk(radius: 0.02, anchor: 1), result)
        style.thumbnails = (0..<3).map { _ in Thumbnail(rows: 4, columns: 4, values: Array(repeating: 0, count: 16)) }
        style.showsAnchors = anchors
        return style
    }

    /// Every pixel the anchors change lies in the caption area (below the title), for each choice of
    /// centre; and at least one far anchor lies above its disk, where captions used to cover the title.
    @Test(arguments: [0, 1, 2])
    func anchorsNeverTouchTheTitle(centre: Int) throws {
        let result = try Self.diskSlice(around: centre)
        let with = try renderPartitionPixels(result, style: Self.style(for: result, anchors: true))
        let without = try renderPartitionPixels(result, style: Self.style(for: result, anchors: false))
        let layout = try #require(with.layout)
        let baseline = try #require(layout.titleBaseline)
        #expect(layout.captionArea.y > baseline)
        var changed = 0, inTitle: [(Int, Int)] = []
        for y in 0..<with.height {
            for x in 0..<with.width where with.pixel(x: x, y: y) != without.pixel(x: x, y: y) {
                changed += 1
                if Double(y) < layout.captionArea.y - 1 { inTitle.append((x, y)) }
            }
        }
        #expect(inTitle.isEmpty, "\(inTitle.count) anchor pixels in the title band, e.g. \(inTitle.prefix(3))")
        #expect(changed > 500)  // three captions with thumbnails were drawn
    }

    @Test func someFarAnchorIsAboveItsDisk() throws {
        let above = try (0..<3).contains { k in
            let r = try Self.diskSlice(around: k)
            return r.anchors.indices.contains { $0 != k && r.anchors[$0].y > r.anchors[k].y + 0.02 }
        }
        #expect(above)
    }

    /// A far anchor is drawn as an arrow inside the picture, on the ray from the picture's centre towards it.
    @Test func farAnchorArrowPointsTowardsIt() throws {
        let result = try Self.diskSlice(around: 0)
        var style = Self.style(for: result, anchors: true)
        style.anchorLabels = []; style.thumbnails = []
        let with = try renderPartitionPixels(result, style: style)
        let without = try renderPartitionPixels(result, style: Self.style(for: result, anchors: false))
        let layout = try #require(with.layout)
        let centre = layout.map(result.anchors[0])
        for k in 1...2 {
            let far = layout.map(result.anchors[k])
            #expect(!(layout.plotRect.x...layout.plotRect.maxX).contains(far.x) || !(layout.plotRect.y...layout.plotRect.maxY).contains(far.y))
            let (dx, dy) = (far.x - centre.x, far.y - centre.y)
            let n = (dx * dx + dy * dy).squareRoot()
            // Walk from the picture's centre towards the far anchor: the arrow's pixels lie on that ray, inside the plot.
            var hits = 0
            var t = 0.6 * layout.plotRect.width / 2
            while true {
                let x = Int(layout.plotRect.midX + t * dx / n), y = Int(layout.plotRect.midY + t * dy / n)
                guard x >= Int(layout.plotRect.x), x < Int(layout.plotRect.maxX), y >= Int(layout.plotRect.y), y < Int(layout.plotRect.maxY) else { break }
                if with.pixel(x: x, y: y) != without.pixel(x: x, y: y) { hits += 1 }
                t += 1
            }
            #expect(hits >= 5, "no arrow towards anchor \(k)")
        }
    }

    /// The far anchors' arrows, thumbnails and captions are drawn outside the disk (in the ring around it),
    /// not over regions they have nothing to do with: inside the disk only the centre anchor's dot changes.
    @Test(arguments: [0, 1, 2])
    func farCaptionsStayOutsideTheDisk(centre: Int) throws {
        let result = try Self.diskSlice(around: centre)
        var style = Self.style(for: result, anchors: true)
        style.anchorLabels = (0..<3).map { $0 == centre ? "" : "#\($0) · T-shirt/top" }
        style.thumbnails = (0..<3).map { $0 == centre ? nil : Thumbnail(rows: 4, columns: 4, values: Array(repeating: 0, count: 16)) }
        let with = try renderPartitionPixels(result, style: style)
        let without = try renderPartitionPixels(result, style: Self.style(for: result, anchors: false))
        let layout = try #require(with.layout)
        let c = layout.map(result.anchors[centre])
        let radius = 0.02 * layout.scale
        var inside: [(Int, Int)] = [], outside = 0
        for y in 0..<with.height {
            for x in 0..<with.width where with.pixel(x: x, y: y) != without.pixel(x: x, y: y) {
                let d = hypot(Double(x) + 0.5 - c.x, Double(y) + 0.5 - c.y)
                if d > 0.45 * layout.unit + 2, d < radius - 1 { inside.append((x, y)) }
                if d > radius + 1 { outside += 1 }
            }
        }
        #expect(inside.isEmpty, "\(inside.count) pixels of far anchors inside the disk, e.g. \(inside.prefix(3))")
        #expect(outside > 500)  // two arrows and two captions with thumbnails were drawn
    }
}

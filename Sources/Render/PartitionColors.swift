import Foundation
import Slicer

/// One row of a picture legend: a label and the colour drawn beside it.
public struct LegendEntry: Sendable, Equatable {
    public enum Mark: Sendable, Equatable { case line, swatch }
    public var label: String
    public var color: Color
    public var mark: Mark
    public init(label: String, color: Color, mark: Mark) { self.label = label; self.color = color; self.mark = mark }
}

extension PartitionStyle {
    /// The fill colour of a whole region (for `.class`, its predicted class at the centroid).
    public func fillColor(of region: SliceRegion, slopeRange: ClosedRange<Double>) -> Color {
        switch fill {
        case .pattern: return Palette.pastel(hash: region.pattern.stableHash)
        case .class: return Palette.classColor(region.predictedClass, hash: region.pattern.stableHash)
        case .slope:
            let span = slopeRange.upperBound - slopeRange.lowerBound
            return Palette.sequential(span > 0 ? (region.slope - slopeRange.lowerBound) / span : 0)
        }
    }

    /// The fill colour of one class cell of a region the decision boundary crosses (`.class` mode).
    public func fillColor(of cell: ClassCell, in region: SliceRegion) -> Color {
        Palette.classColor(cell.label, hash: region.pattern.stableHash)
    }

    /// The slope range the colour map spans: the style's, else 0 up to the largest slope.
    public func resolvedSlopeRange(for results: [SliceResult]) -> ClosedRange<Double> {
        if let slopeRange { return slopeRange }
        let top = results.flatMap { $0.regions.map { $0.slope } }.filter(\.isFinite).max() ?? 1
        return 0...(top > 0 ? top : 1)
    }

    /// Number of classes a slice can predict (a single logit means two classes).
    static func classCount(_ result: SliceResult) -> Int { result.outputs <= 1 ? 2 : result.outputs }

    /// Number of hidden layers named in a slice's statistics or edges.
    static func layerCount(_ result: SliceResult) -> Int {
        max(result.layers.map(\.index).max() ?? 0, result.edges.map { $0.layer }.max() ?? 0)
    }

    /// The legend of a picture: every hidden layer for `.byLayer` edges, the classes for `.class` fills.
    public func legendEntries(for result: SliceResult) -> [LegendEntry] {
        legendEntries(layers: Self.layerCount(result), classes: Self.classCount(result))
    }

    /// The legend of pictures with `layers` hidden layers and `classes` classes.
    func legendEntries(layers: Int, classes: Int) -> [LegendEntry] {
        var entries: [LegendEntry] = []
        if edges == .byLayer, layers > 0 {
            entries += (1...layers).map { LegendEntry(label: "layer \($0)", color: Palette.layerColor($0), mark: .line) }
        }
        // Beyond a dozen classes a legend stops helping; the fills still differ.
        if fill == .class, classes <= 12 {
            entries += (0..<classes).map { k in
                let name = classNames.flatMap { k < $0.count ? $0[k] : nil } ?? "class \(k)"
                return LegendEntry(label: name, color: Palette.classColor(k), mark: .swatch)
            }
        }
        // The red line is the only mark that needs saying: a key for it on every picture that draws it.
        if showsBoundary { entries.append(LegendEntry(label: "decision boundary", color: .boundaryRed, mark: .line)) }
        return entries
    }
}

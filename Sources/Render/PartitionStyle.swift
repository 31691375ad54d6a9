import Foundation
import Polytope
import Slicer

/// A view rectangle in plane coordinates (input-space units). Frames of one run share one framing.
public struct Framing: Sendable, Equatable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }

    /// The bounding box of some points, widened by `margin` times its larger side on every side.
    public init(around points: [Point2], margin: Double = 0.03) {
        let xs = points.map(\.x), ys = points.map(\.y)
        var f = Framing(minX: xs.min() ?? -1, minY: ys.min() ?? -1, maxX: xs.max() ?? 1, maxY: ys.max() ?? 1)
        // A degenerate box still gets an area so the map stays finite.
        let side = max(f.width, f.height, 1e-9)
        let m = margin * side
        f = Framing(minX: f.minX - m, minY: f.minY - m, maxX: f.maxX + m, maxY: f.maxY + m)
        self = f
    }

    /// The default framing of a slice: its domain (and anchors) with a small margin.
    public init(for result: SliceResult, margin: Double = 0.03) {
        self.init(around: result.domainPolygon + result.anchors, margin: margin)
    }

    var isUsable: Bool { [minX, minY, maxX, maxY].allSatisfy(\.isFinite) && width > 0 && height > 0 }
}

/// A small grayscale image drawn beside an anchor (e.g. the MNIST digit it is).
public struct Thumbnail: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Row-major brightness, 0 black ... 1 white.
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows; self.columns = columns; self.values = values
    }
}

/// How a partition picture looks. A value type: share one style across the frames of a run.
public struct PartitionStyle: Sendable {
    /// What decides a region's fill colour.
    public enum Fill: Sendable, Equatable {
        /// A pastel colour from the activation pattern's hash (stable frame to frame).
        case pattern
        /// A hue per predicted class, lightness jittered by the pattern hash.
        case `class`
        /// A sequential colour map over the slope norm, with a colour bar.
        case slope
    }

    /// How neuron edges are drawn.
    public enum Edges: Sendable, Equatable {
        /// Thin, dark, semi-transparent.
        case dark
        /// One colour per hidden layer, with a legend.
        case byLayer
        /// Not drawn.
        case hidden
    }

    public var fill: Fill = .pattern
    public var edges: Edges = .dark
    /// Picture size: pixels for PNG, points for SVG and PDF.
    public var width: Int = 1200
    public var height: Int = 1200
    /// The view rectangle; nil means the slice's domain with a small margin.
    public var framing: Framing?
    public var title: String?
    /// One label per anchor (e.g. the class name); missing entries draw no label.
    public var anchorLabels: [String] = []
    /// One optional thumbnail per anchor.
    public var thumbnails: [Thumbnail?] = []
    /// Slope values mapped to the ends of the colour map; nil means the slice's own range.
    public var slopeRange: ClosedRange<Double>?
    /// Names of classes for the `.class` legend; nil means "class 0", "class 1", ...
    public var classNames: [String]?
    public var showsBoundary = true
    public var showsAnchors = true
    /// Multiplies the automatic, density-dependent edge width.
    public var edgeWidthScale = 1.0
    /// A line in the picture's lower left corner saying what the domain is (a neighbourhood's radius).
    public var domainNote: String?
    /// In PDF and SVG, a partition of more regions than this has its fills, edges and boundary drawn
    /// as one embedded image (`rasterDPI`); `Int.max` keeps every picture vector.
    public var rasterAbove = 5_000
    /// Resolution of that image when the whole picture is printed `PartitionStyle.printWidth` wide.
    public var rasterDPI = 600.0

    /// A two-column journal page's text width, 7 inches, in points.
    public static let printWidth = 504.0

    /// Image pixels per point of a vector picture `width` points wide printed at most `printWidth` wide.
    func rasterScale(pictureWidth width: Double) -> Double {
        rasterDPI / 72 * min(1, Self.printWidth / max(width, 1))
    }

    public init(fill: Fill = .pattern, edges: Edges = .dark, width: Int = 1200, height: Int = 1200,
                framing: Framing? = nil, title: String? = nil, anchorLabels: [String] = []) {
        self.fill = fill; self.edges = edges; self.width = width; self.height = height
        self.framing = framing; self.title = title; self.anchorLabels = anchorLabels
    }

    /// A title such as "step 1000 · 5,321 regions".
    public static func title(step: Int, regions: Int) -> String {
        "step \(groupedDigits(step)) · \(regionCount(regions))"
    }
}

/// A region count with its noun: "1 region", "5,321 regions".
package func regionCount(_ n: Int) -> String {
    "\(groupedDigits(n)) region\(n == 1 ? "" : "s")"
}

/// An integer with thousands separators ("5,321").
package func groupedDigits(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return n < 0 ? "-" + out : out
}

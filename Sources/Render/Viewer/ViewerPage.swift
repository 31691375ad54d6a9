import Polytope
import Foundation
import Slicer

/// A curve below the partition: LC on the left axis, accuracy (0...1) on the right.
public struct ViewerCurve: Sendable {
    public enum Axis: String, Sendable { case left, right }
    public var name: String
    public var color: Color
    public var axis: Axis
    public var steps: [Double]
    public var values: [Double]
    /// Half-width of a band drawn around the curve (the LC plots' 25% of the standard deviation).
    public var band: [Double]?
    public var dashed: Bool

    public init(name: String, color: Color, axis: Axis, steps: [Double], values: [Double], band: [Double]? = nil, dashed: Bool = false) {
        self.name = name; self.color = color; self.axis = axis; self.steps = steps; self.values = values
        self.band = band; self.dashed = dashed
    }
}

/// The interactive viewer: one HTML file with every frame's data inside, no external resources.
public struct ViewerPage: Sendable {
    public var heading: String
    public var frames: [ViewerFrame]
    public var curves: [ViewerCurve]
    public var leftLabel = "local complexity"
    /// What the curves' bands are, after their legend.
    public var bandNote = ""
    public var anchorLabels: [String] = []
    public var classNames: [String]?
    /// The fill the page opens with: pattern, class or slope.
    public var fill = "pattern"
    /// The edges the page opens with: dark or layer.
    public var edgeStyle = "dark"
    /// Slope at the top of the slope colour map (default: the last frame's largest slope, as the pictures).
    public var slopeMax: Double?
    public var framesPerSecond = 4

    /// Frame the view on the domain only (set for `disk` and `diamond` domains).
    public var neighbourhoodView = false

    public init(heading: String, frames: [ViewerFrame], curves: [ViewerCurve] = []) {
        self.heading = heading; self.frames = frames; self.curves = curves
    }

    /// The frames' shared view: their domain and anchors with a small margin; the domain alone when
    /// `neighbourhoodView` (a disk or diamond around one anchor would be a dot beside the far anchors).
    func bounds() -> [Double] {
        var points: [[Double]] = []
        for frame in frames {
            points += (frame.fields["domain"] as? [[Double]] ?? [])
            if !neighbourhoodView { points += frame.fields["anchors"] as? [[Double]] ?? [] }
        }
        let framing = Framing(around: points.map { Point2($0[0], $0[1]) })
        return [framing.minX, framing.minY, framing.maxX, framing.maxY]
    }

    /// The page as UTF-8 bytes.
    public func document() throws -> Data {
        let classCount = max(2, frames.map(\.classCount).max() ?? 2)
        let layers = frames.map { (($0.fields["counts"] as? [String: Int])?["layers"] ?? 1) - 1 }.max() ?? 0
        let lut = (0..<256).flatMap { ViewerFrame.rgb(Palette.sequential(Double($0) / 255)) }.map(Int.init)
        // The fills by colour key, as the pictures draw them: 65,536 pastels; 8 tones of each class.
        let patternLUT = (0...UInt16.max).flatMap { ViewerFrame.rgb(Palette.pastel(key: $0)) }
        let classLUT = (0..<classCount).flatMap { label in
            (0..<8).flatMap { tone in ViewerFrame.rgb(Palette.classColor(label, key: UInt16(tone) << 8)) }
        }
        let data: [String: Any] = [
            "frames": frames.map(\.fields),
            "curves": curves.map { curve -> [String: Any] in
                var object: [String: Any] = ["name": curve.name, "color": Self.css(curve.color), "axis": curve.axis.rawValue,
                                             "x": curve.steps, "y": curve.values.map { $0.isFinite ? $0 : 0 }, "dashed": curve.dashed]
                if let band = curve.band { object["band"] = band.map { $0.isFinite ? $0 : 0 } }
                return object
            },
            "bounds": bounds(),
            "layerColors": (0..<max(layers, 0)).map { Self.css(Palette.layerColor($0 + 1)) },
            "boundaryColor": Self.css(.boundaryRed),
            "anchorLabels": anchorLabels,
            "classNames": classNames ?? [],
            "classColors": (0..<classCount).map { Self.css(Palette.classColor($0)) },
            "slopeLUT": lut,
            "patternLUT": Data(patternLUT).base64EncodedString(),
            "classLUT": Data(classLUT).base64EncodedString(),
            "slopeMax": max(slopeMax ?? frames.last?.maxSlope ?? 1, 1e-300),
            "leftLabel": leftLabel,
            "bandNote": bandNote,
            "edgeStyle": edgeStyle,
            "fill": fill,
            "fps": framesPerSecond,
        ]
        let json = try JSONSerialization.data(withJSONObject: data, options: [.withoutEscapingSlashes, .sortedKeys])
        // Inside <script>, "<" must not start a tag: escape it (JSON allows \u003c anywhere in a string).
        let embedded = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        // Each frame's arrays in an element of its own, decoded only when shown. The frame the page
        // opens with (the last) comes before the script, the others after it: the page is usable as
        // soon as that frame is parsed, while the browser still reads the rest. Built as bytes, with
        // no copy of the whole page as a string (a page can hold a few hundred megabytes).
        let page = ViewerTemplate.page(title: Self.escapeHTML(heading), data: embedded, script: ViewerScript.source)
        let parts = page.components(separatedBy: ViewerTemplate.framesMarker)
        precondition(parts.count == 3, "the viewer template must hold two frame markers")
        var out = Data()
        out.reserveCapacity(frames.reduce(page.utf8.count) { $0 + $1.blob.count * 4 / 3 + 100 })
        func appendFrame(_ index: Int) {
            out.append(contentsOf: Array("<script type=\"application/octet-stream\" id=\"frame-\(index)\">".utf8))
            out.append(frames[index].blob.base64EncodedData())
            out.append(contentsOf: Array("</script>\n".utf8))
        }
        out.append(contentsOf: Array(parts[0].utf8))
        if let last = frames.indices.last { appendFrame(last) }
        out.append(contentsOf: Array(parts[1].utf8))
        for index in frames.indices.dropLast() { appendFrame(index) }
        out.append(contentsOf: Array(parts[2].utf8))
        return out
    }

    /// The page as text (for tests and small runs; `document()` avoids the copy).
    public func html() throws -> String { String(decoding: try document(), as: UTF8.self) }

    public func write(to path: String) throws {
        try OutputFile.write(try document(), to: path)
    }

    static func css(_ color: Color) -> String {
        let b = color.bytes
        return String(format: "#%02x%02x%02x", b.r, b.g, b.b)
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

import Slicer

/// The picture formats Cairo writes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, svg, pdf

    /// The format named by a path's extension (case-insensitive).
    public init(path: String) throws {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."),
              let format = ImageFormat(rawValue: name[name.index(after: dot)...].lowercased()) else {
            throw TesseraError.badInput("cannot tell the image format of '\(path)' (expected .png, .svg or .pdf)")
        }
        self = format
    }
}

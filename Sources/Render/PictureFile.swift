import CCairo
import Foundation
import Slicer

/// Creates a Cairo surface of the given format, lets `draw` paint it, and writes it to `path`
/// through a temporary file in the same folder that is renamed at the end, so a failure never
/// leaves a half-written picture. Sizes are pixels for PNG and points for SVG and PDF.
func writePicture(to path: String, format: ImageFormat, width: Int, height: Int,
                  draw: (Canvas) throws -> Void) throws {
    guard width > 0, height > 0, width <= 32_767, height <= 32_767 else {
        throw TesseraError.badInput("picture size \(width)x\(height) is out of range (1...32767)")
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        throw TesseraError.io("cannot write \(path): it is a directory")
    }
    let temporary = temporaryPath(for: path)
    // Creating the temporary file up front reports an unwritable place before any drawing.
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw TesseraError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
    close(fd)
    var renamed = false
    defer { if !renamed { unlink(temporary) } }

    BundledFonts.configured
    let surface: OpaquePointer
    switch format {
    case .png: surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
    case .svg: surface = cairo_svg_surface_create(temporary, Double(width), Double(height))
    case .pdf: surface = cairo_pdf_surface_create(temporary, Double(width), Double(height))
    }
    defer { cairo_surface_destroy(surface) }
    try check(cairo_surface_status(surface), path)
    let cr = cairo_create(surface)!
    defer { cairo_destroy(cr) }
    let indexed = PDFIndexedImages()
    try draw(Canvas(cr: cr, format: format, indexedImages: format == .pdf ? indexed : nil))
    try check(cairo_status(cr), path)
    if format == .png {
        try check(cairo_surface_write_to_png(surface, temporary), path)
    } else {
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), path)
    }
    // Cairo stores images as RGB; the recorded ones go back in with their palettes. A file laid out
    // otherwise (another Cairo's object streams) stays as Cairo wrote it: correct, only larger.
    if !indexed.isEmpty, let written = FileManager.default.contents(atPath: temporary),
       let smaller = indexed.rewrite(Array(written)) {
        guard FileManager.default.createFile(atPath: temporary, contents: Data(smaller)) else {
            throw TesseraError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
    guard rename(temporary, path) == 0 else {
        throw TesseraError.io("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    renamed = true
}

/// Paints into an in-memory ARGB surface and returns its pixels.
func drawPixels(width: Int, height: Int, draw: (Canvas) throws -> Void) throws -> RasterImage {
    guard width > 0, height > 0, width <= 32_767, height <= 32_767 else {
        throw TesseraError.badInput("picture size \(width)x\(height) is out of range (1...32767)")
    }
    BundledFonts.configured
    let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
    defer { cairo_surface_destroy(surface) }
    try check(cairo_surface_status(surface), "memory image")
    let cr = cairo_create(surface)!
    defer { cairo_destroy(cr) }
    try draw(Canvas(cr: cr))
    try check(cairo_status(cr), "memory image")
    cairo_surface_flush(surface)
    let stride = Int(cairo_image_surface_get_stride(surface)) / 4
    guard let data = cairo_image_surface_get_data(surface) else {
        throw TesseraError.io("cannot read the pixels of a \(width)x\(height) image")
    }
    let words = data.withMemoryRebound(to: UInt32.self, capacity: stride * height) {
        Array(UnsafeBufferPointer(start: $0, count: stride * height))
    }
    return RasterImage(width: width, height: height, stride: stride, argb: words)
}

/// A sibling of `path` that no other writer uses.
private func temporaryPath(for path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let tag = UUID().uuidString.prefix(8)
    return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(tag).tmp").path
}

private func check(_ status: cairo_status_t, _ path: String) throws {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw TesseraError.io("cannot write \(path): \(String(cString: cairo_status_to_string(status)))")
    }
}

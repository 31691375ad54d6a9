import CCairo
import Foundation

/// A thin wrapper over a Cairo context with the few drawing verbs the pictures need.
struct Canvas {
    let cr: OpaquePointer
    /// The file format drawn to (nil: pixels in memory), so embedded images can be stored to suit it.
    var format: ImageFormat? = nil
    /// A PDF's images to store with a palette once Cairo has written the file.
    var indexedImages: PDFIndexedImages? = nil

    func setColor(_ c: Color) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a) }
    func moveTo(_ x: Double, _ y: Double) { cairo_move_to(cr, x, y) }
    func lineTo(_ x: Double, _ y: Double) { cairo_line_to(cr, x, y) }
    func closePath() { cairo_close_path(cr) }
    func newPath() { cairo_new_path(cr) }
    func fill() { cairo_fill(cr) }
    func stroke() { cairo_stroke(cr) }
    func lineWidth(_ w: Double) { cairo_set_line_width(cr, w) }
    func save() { cairo_save(cr) }
    func restore() { cairo_restore(cr) }

    func rect(_ r: Rect) { cairo_rectangle(cr, r.x, r.y, r.width, r.height) }

    func fillRect(_ r: Rect, _ c: Color) { setColor(c); rect(r); fill() }

    func strokeRect(_ r: Rect, _ c: Color, width: Double) { setColor(c); lineWidth(width); rect(r); stroke() }

    func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: Color, width: Double) {
        setColor(c); lineWidth(width); moveTo(x0, y0); lineTo(x1, y1); stroke()
    }

    /// Restricts drawing to a rectangle until the matching `restore()`.
    func clip(_ r: Rect) { save(); rect(r); cairo_clip(cr) }

    func dash(_ lengths: [Double]) { cairo_set_dash(cr, lengths, Int32(lengths.count), 0) }

    func circle(_ x: Double, _ y: Double, radius: Double) {
        cairo_new_sub_path(cr); cairo_arc(cr, x, y, radius, 0, 2 * .pi)
    }

    func antialias(_ on: Bool) { cairo_set_antialias(cr, on ? CAIRO_ANTIALIAS_DEFAULT : CAIRO_ANTIALIAS_NONE) }

    // MARK: Text (Cairo's toy API)

    func font(size: Double, bold: Bool = false) {
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    /// Advance width of a string in the current font.
    func textWidth(_ s: String) -> Double {
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, s, &e)
        return e.x_advance
    }

    /// Ascent of the current font, used to centre text vertically.
    func ascent() -> Double {
        var e = cairo_font_extents_t()
        cairo_font_extents(cr, &e)
        return e.ascent
    }

    enum Align { case left, center, right }

    /// Draws text with its baseline at y; `halo` paints a white outline first so text reads on fills.
    func text(_ s: String, x: Double, y: Double, align: Align = .left, color: Color = .ink, halo: Double = 0) {
        let w = textWidth(s)
        let x0 = align == .left ? x : align == .center ? x - w / 2 : x - w
        if halo > 0 {
            moveTo(x0, y); cairo_text_path(cr, s)
            setColor(Color.white.withAlpha(0.9)); lineWidth(halo)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND); stroke()
        }
        setColor(color); moveTo(x0, y); cairo_show_text(cr, s)
    }

    /// Draws text rotated a quarter turn counter-clockwise, centred on (x, y) along its length.
    func verticalText(_ s: String, x: Double, y: Double, color: Color = .ink) {
        save()
        cairo_translate(cr, x, y); cairo_rotate(cr, -.pi / 2)
        text(s, x: 0, y: 0, align: .center, color: color)
        restore()
    }
}

/// An axis-aligned rectangle in device units (y down).
public struct Rect: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    /// The rectangle shrunk by d on every side.
    public func inset(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

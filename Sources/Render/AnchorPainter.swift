import CCairo
import Foundation
import Slicer

/// Draws the anchors: white discs with dark outlines, each with its label and optional thumbnail
/// placed on the side facing away from the other anchors. An anchor outside the framed area (a far
/// anchor of a small neighbourhood) is drawn as an arrow pointing towards it from just outside the
/// domain, its caption beside the arrow and outside the domain too.
struct AnchorPainter {
    let result: SliceResult
    let style: PartitionStyle
    let layout: PartitionLayout

    func paint(_ c: Canvas) {
        let u = layout.unit
        let radius = 0.45 * u
        let points = result.anchors.map { layout.map($0) }
        guard !points.isEmpty else { return }
        let cx = points.map(\.x).reduce(0, +) / Double(points.count)
        let cy = points.map(\.y).reduce(0, +) / Double(points.count)
        let anyPinned = points.contains { pinned($0, margin: 1.2 * radius) != nil }
        let domain = CaptionPlacer(domain: result.domainPolygon.map { layout.map($0) }, area: layout.captionArea, unit: u)
        var taken = noteRect(c).map { [$0] } ?? []
        for (i, p) in points.enumerated() {
            let label = i < style.anchorLabels.count ? style.anchorLabels[i] : ""
            let thumb = i < style.thumbnails.count ? style.thumbnails[i] : nil
            if let (edge, d) = pinned(p, margin: 1.2 * radius) {
                let size = 1.3 * radius
                // By the domain's edge, outside it, with the caption beside the arrow in the ring around
                // the neighbourhood: nothing of a far anchor is drawn over regions it is not in.
                if let tip = domain.arrowTip(towards: p, length: 1.6 * size, within: layout.plotRect.inset(size)) {
                    let arrow = Rect(x: tip.x - 1.6 * size, y: tip.y - 1.6 * size, width: 3.2 * size, height: 3.2 * size)
                    paintArrow(c, tip: tip, direction: domain.direction(towards: p), size: size)
                    let box = captionSize(c, label: label, thumbnail: thumb)
                    if box.width > 0, let r = domain.place(box, near: tip, avoiding: taken + [arrow]) {
                        paintLeader(c, from: tip, to: r)
                        paintCaption(c, in: r, label: label, thumbnail: thumb)
                        taken.append(r)
                    }
                    taken.append(arrow)
                    continue
                }
                paintArrow(c, tip: edge, direction: d, size: size)
                // Beside the arrow, across it, on the side towards the picture's middle: the caption
                // stays along the frame, next to the arrow it names.
                let base = (x: edge.x - 1.6 * size * d.0, y: edge.y - 1.6 * size * d.1)
                let r = layout.plotRect
                let inward = (r.midX - base.x) * -d.1 + (r.midY - base.y) * d.0 >= 0
                let side = inward ? (-d.1, d.0) : (d.1, -d.0)
                paintCaption(c, at: base, direction: side, radius: 1.4 * size, label: label, thumbnail: thumb)
                continue
            }
            c.setColor(.white); c.circle(p.x, p.y, radius: radius); c.fill()
            c.setColor(.ink); c.lineWidth(max(0.1 * u, 1)); c.circle(p.x, p.y, radius: radius); c.stroke()
            // Point away from the anchors' centre so labels sit outside the triangle they span; in a
            // neighbourhood (the other anchors far away) right below the dot.
            var (dx, dy) = (p.x - cx, p.y - cy)
            let n = (dx * dx + dy * dy).squareRoot()
            if anyPinned { (dx, dy) = (0, 1) } else if n < 1e-9 { (dx, dy) = (0.7, -0.7) } else { (dx, dy) = (dx / n, dy / n) }
            paintCaption(c, at: p, direction: (dx, dy), radius: radius, label: label, thumbnail: thumb)
        }
    }

    /// A thin line from an arrow's tip to its caption when the caption could not sit right at the tip.
    func paintLeader(_ c: Canvas, from tip: (x: Double, y: Double), to box: Rect) {
        let u = layout.unit
        let end = (x: min(max(tip.x, box.x), box.maxX), y: min(max(tip.y, box.y), box.maxY))
        guard hypot(end.x - tip.x, end.y - tip.y) > 2.5 * u else { return }
        c.line(tip.x, tip.y, end.x, end.y, .ink, width: max(0.08 * u, 0.75))
    }

    /// Where the domain note (lower left of the plot) is written, so that captions keep off it.
    func noteRect(_ c: Canvas) -> Rect? {
        guard let note = style.domainNote else { return nil }
        let u = layout.unit
        c.font(size: 0.85 * u)
        return Rect(x: layout.plotRect.x + 0.2 * u, y: layout.plotRect.maxY - 1.5 * u, width: c.textWidth(note) + 0.4 * u, height: 1.3 * u)
    }

    /// For a point outside the plot: where the ray from the plot's centre towards it leaves the plot
    /// (`margin` inside its edge), and the ray's unit direction; nil for a point inside.
    func pinned(_ p: (x: Double, y: Double), margin: Double) -> (point: (x: Double, y: Double), direction: (Double, Double))? {
        let r = layout.plotRect
        guard p.x < r.x || p.x > r.maxX || p.y < r.y || p.y > r.maxY else { return nil }
        let (dx, dy) = (p.x - r.midX, p.y - r.midY)
        let n = (dx * dx + dy * dy).squareRoot()
        guard n.isFinite, n > 0 else { return nil }
        let d = (dx / n, dy / n)
        let halfW = max(r.width / 2 - margin, 0), halfH = max(r.height / 2 - margin, 0)
        let t = min(abs(d.0) > 1e-12 ? halfW / abs(d.0) : .infinity, abs(d.1) > 1e-12 ? halfH / abs(d.1) : .infinity)
        return ((r.midX + t * d.0, r.midY + t * d.1), d)
    }

    /// A white arrowhead with a dark outline, its tip at `tip`, pointing along `d`.
    func paintArrow(_ c: Canvas, tip: (x: Double, y: Double), direction d: (Double, Double), size: Double) {
        let back = (tip.x - 1.6 * size * d.0, tip.y - 1.6 * size * d.1)
        let side = (-d.1 * size, d.0 * size)
        c.moveTo(tip.x, tip.y)
        c.lineTo(back.0 + side.0, back.1 + side.1)
        c.lineTo(back.0 - side.0, back.1 - side.1)
        c.closePath()
        c.setColor(.white); cairo_fill_preserve(c.cr)
        c.setColor(.ink); c.lineWidth(max(0.1 * layout.unit, 1)); c.stroke()
    }

    /// The size of a caption: the thumbnail above the label.
    func captionSize(_ c: Canvas, label: String, thumbnail: Thumbnail?) -> (width: Double, height: Double) {
        let u = layout.unit
        c.font(size: 1.0 * u, bold: true)
        let textHeight = label.isEmpty ? 0 : 1.25 * u
        let thumb = thumbnailSize(thumbnail)
        return (max(label.isEmpty ? 0 : c.textWidth(label), thumb.w), thumb.h + textHeight + (thumb.h > 0 && textHeight > 0 ? 0.2 * u : 0))
    }

    func thumbnailSize(_ thumbnail: Thumbnail?) -> (w: Double, h: Double) {
        guard let t = thumbnail, t.rows > 0, t.columns > 0, t.values.count == t.rows * t.columns else { return (0, 0) }
        let k = 3.2 * layout.unit / Double(max(t.rows, t.columns))
        return (Double(t.columns) * k, Double(t.rows) * k)
    }

    /// Places a caption next to the marker, on the side `d` points to, kept inside the caption area.
    func paintCaption(_ c: Canvas, at p: (x: Double, y: Double), direction d: (Double, Double),
                      radius: Double, label: String, thumbnail: Thumbnail?) {
        let u = layout.unit
        let (boxW, boxH) = captionSize(c, label: label, thumbnail: thumbnail)
        guard boxW > 0 else { return }
        let reach = radius + 0.35 * u
        let ax = p.x + d.0 * reach, ay = p.y + d.1 * reach
        // The box corner nearest the marker sits at the reach point; then it is kept in bounds.
        var x = abs(d.0) < 0.35 ? ax - boxW / 2 : (d.0 > 0 ? ax : ax - boxW)
        var y = abs(d.1) < 0.35 ? ay - boxH / 2 : (d.1 > 0 ? ay : ay - boxH)
        // Kept inside the picture, below its title: a caption never covers a panel's title.
        let area = layout.captionArea
        // Most of a text unit from the picture's edge: a margin a reader sees, and captions of neighbouring panels kept apart.
        let margin = 0.9 * u
        x = min(max(x, area.x + margin), area.maxX - boxW - margin)
        y = min(max(y, area.y + margin), area.maxY - boxH - margin)
        paintCaption(c, in: Rect(x: x, y: y, width: boxW, height: boxH), label: label, thumbnail: thumbnail)
    }

    /// Draws a caption in its box: the thumbnail at the top, centred, the label below it.
    func paintCaption(_ c: Canvas, in box: Rect, label: String, thumbnail: Thumbnail?) {
        let u = layout.unit
        let thumb = thumbnailSize(thumbnail)
        if let t = thumbnail, thumb.w > 0 {
            paintThumbnail(c, t, in: Rect(x: box.x + (box.width - thumb.w) / 2, y: box.y, width: thumb.w, height: thumb.h))
        }
        if !label.isEmpty {
            c.font(size: 1.0 * u, bold: true)
            c.text(label, x: box.midX, y: box.maxY - 0.3 * u, align: .center, color: .ink, halo: 0.3 * u)
        }
    }

    func paintThumbnail(_ c: Canvas, _ t: Thumbnail, in r: Rect) {
        guard let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(t.columns), Int32(t.rows)) else { return }
        defer { cairo_surface_destroy(image) }
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(image) else { return }
        let stride = Int(cairo_image_surface_get_stride(image)) / 4
        data.withMemoryRebound(to: UInt32.self, capacity: stride * t.rows) { words in
            for row in 0..<t.rows {
                for col in 0..<t.columns {
                    let v = t.values[row * t.columns + col]
                    let g = UInt32((min(max(v.isFinite ? v : 0, 0), 1) * 255).rounded())
                    words[row * stride + col] = 0xff00_0000 | g << 16 | g << 8 | g
                }
            }
        }
        cairo_surface_mark_dirty(image)
        c.save()
        cairo_translate(c.cr, r.x, r.y)
        cairo_scale(c.cr, r.width / Double(t.columns), r.height / Double(t.rows))
        cairo_set_source_surface(c.cr, image, 0, 0)
        // Nearest-neighbour keeps the pixels of a tiny digit crisp.
        cairo_pattern_set_filter(cairo_get_source(c.cr), CAIRO_FILTER_NEAREST)
        cairo_rectangle(c.cr, 0, 0, Double(t.columns), Double(t.rows))
        cairo_fill(c.cr)
        c.restore()
        c.strokeRect(r, .ink, width: max(0.06 * layout.unit, 1))
    }
}

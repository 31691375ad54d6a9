import CCairo
import Foundation
import Polytope
import Slicer

/// Paints one partition picture (fills, edges, boundary, anchors, title, legend, colour bar)
/// inside `bounds`. Shared by PNG, SVG, PDF, in-memory pictures and composite figures.
struct PartitionPainter {
    let result: SliceResult
    let style: PartitionStyle
    let layout: PartitionLayout
    let slopeRange: ClosedRange<Double>
    /// Raster targets fill without antialiasing: neighbouring regions then tile pixels exactly,
    /// with no background seams; the antialiased edges drawn on top hide the staircase.
    let crispFills: Bool
    /// Image pixels per device unit for the partition layer of a vector picture; nil draws it as vectors.
    var rasterScale: Double? = nil

    func paint(_ c: Canvas) {
        if let scale = rasterScale, result.regions.count > style.rasterAbove {
            paintAsImage(c, scale: scale)
        } else {
            c.clip(layout.plotRect)
            paintLayer(c)
            c.restore()
        }
        if style.showsAnchors { AnchorPainter(result: result, style: style, layout: layout).paint(c) }
        if let note = style.domainNote {
            c.font(size: 0.85 * layout.unit)
            c.text(note, x: layout.plotRect.x + 0.4 * layout.unit, y: layout.plotRect.maxY - 0.45 * layout.unit, color: .ink, halo: 0.25 * layout.unit)
        }
        KeyPainter(layout: layout, slopeRange: slopeRange).paint(c, title: layout.titleBaseline == nil ? nil : style.title)
    }

    /// Fills, edges, the domain's outline and the decision boundary.
    func paintLayer(_ c: Canvas) {
        paintFills(c)
        paintEdges(c)
        paintDomainOutline(c)
        if style.showsBoundary { paintBoundary(c) }
    }

    /// The partition layer as one image embedded in the vector picture (anchors, text and keys stay
    /// vectors): a PDF of 100,000 regions then holds a few megabytes of pixels instead of every polygon.
    func paintAsImage(_ c: Canvas, scale: Double) {
        let r = layout.plotRect
        let (w, h) = (Int((r.width * scale).rounded(.up)), Int((r.height * scale).rounded(.up)))
        guard w > 0, h > 0, w <= 32_767, h <= 32_767,
              let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h)) else { return }
        defer { cairo_surface_destroy(image) }
        if let cr = cairo_create(image) {
            // Opaque on the page's white: no alpha plane in the file.
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
            cairo_scale(cr, scale, scale)
            cairo_translate(cr, -r.x, -r.y)
            let inner = Canvas(cr: cr)
            inner.clip(r)
            PartitionPainter(result: result, style: style, layout: layout, slopeRange: slopeRange, crispFills: true).paintLayer(inner)
            inner.restore()
            cairo_destroy(cr)
        }
        cairo_surface_flush(image)
        storeWithPalette(image, width: w, height: h, canvas: c)
        c.clip(r)
        cairo_translate(c.cr, r.x, r.y)
        cairo_scale(c.cr, 1 / scale, 1 / scale)
        cairo_set_source_surface(c.cr, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(c.cr), CAIRO_FILTER_GOOD)
        cairo_paint(c.cr)
        c.restore()
    }

    /// Has the file store the image with a palette: a PNG of it for SVG (Cairo embeds a surface's
    /// PNG as given), the pixels recorded for the PDF's rewrite.
    func storeWithPalette(_ image: OpaquePointer, width w: Int, height h: Int, canvas c: Canvas) {
        guard c.format == .svg || c.indexedImages != nil, let data = cairo_image_surface_get_data(image) else { return }
        let stride = Int(cairo_image_surface_get_stride(image)) / 4
        var rgb = [UInt32](repeating: 0, count: w * h)
        data.withMemoryRebound(to: UInt32.self, capacity: stride * h) { words in
            for y in 0..<h { for x in 0..<w { rgb[y * w + x] = words[y * stride + x] & 0xff_ffff } }
        }
        let indexed = IndexedImage(width: w, height: h, rgb: rgb)
        if let images = c.indexedImages {
            images.add(rgb: rgb.flatMap { [UInt8($0 >> 16), UInt8($0 >> 8 & 0xff), UInt8($0 & 0xff)] }, image: indexed)
        } else {
            let png = indexed.png
            let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: png.count)
            png.copyBytes(to: bytes, count: png.count)
            cairo_surface_set_mime_data(image, CAIRO_MIME_TYPE_PNG, bytes, UInt(png.count), { $0?.deallocate() }, bytes)
        }
    }

    func point(_ p: Point2) -> (x: Double, y: Double) { layout.map(p) }

    func tracePolygon(_ c: Canvas, _ points: [Point2]) {
        guard let first = points.first else { return }
        let p = point(first)
        c.moveTo(p.x, p.y)
        for q in points.dropFirst() { let d = point(q); c.lineTo(d.x, d.y) }
        c.closePath()
    }

    func paintFills(_ c: Canvas) {
        if crispFills { c.antialias(false) }
        let vertices = result.vertices
        for region in result.regions {
            if style.fill == .class, !region.classCells.isEmpty {
                for cell in region.classCells {
                    c.setColor(style.fillColor(of: cell, in: region))
                    tracePolygon(c, cell.polygon)
                    c.fill()
                }
                continue
            }
            c.setColor(style.fillColor(of: region, slopeRange: slopeRange))
            // Indices from an engine are trusted only as far as they are in range.
            tracePolygon(c, region.vertexIndices.compactMap { vertices.indices.contains($0) ? vertices[$0] : nil })
            c.fill()
        }
        c.antialias(true)
    }

    /// Edge width in device units: thinner as regions get smaller on screen, so dense pictures
    /// show texture rather than a black mass.
    var edgeWidth: Double {
        let areas = result.regions.map { $0.area }.filter { $0.isFinite && $0 > 0 }.sorted()
        let median = areas.isEmpty ? layout.framing.width * layout.framing.height : areas[areas.count / 2]
        let side = (median * layout.scale * layout.scale).squareRoot()
        return min(max(0.09 * side, 0.3), 0.075 * layout.unit) * style.edgeWidthScale
    }

    /// Edge opacity: lighter for dense pictures where lines crowd together.
    var edgeAlpha: Double {
        let areas = result.regions.count
        let perRegion = layout.plotRect.width * layout.plotRect.height / Double(max(areas, 1))
        return 0.5 + 0.3 * min(max((perRegion.squareRoot() - 6) / 40, 0), 1)
    }

    func paintEdges(_ c: Canvas) {
        guard style.edges != .hidden else { return }
        let vertices = result.vertices
        var byLayer: [Int: [SliceEdge]] = [:]
        for edge in result.edges where edge.layer > 0 && vertices.indices.contains(edge.from) && vertices.indices.contains(edge.to) {
            byLayer[style.edges == .byLayer ? edge.layer : 1, default: []].append(edge)
        }
        c.lineWidth(edgeWidth)
        cairo_set_line_cap(c.cr, CAIRO_LINE_CAP_ROUND)
        for layer in byLayer.keys.sorted() {
            let color = style.edges == .byLayer ? Palette.layerColor(layer).withAlpha(min(edgeAlpha + 0.15, 1))
                                                : Color.black.withAlpha(edgeAlpha)
            c.setColor(color)
            for edge in byLayer[layer]! {
                let (a, b) = (point(vertices[edge.from]), point(vertices[edge.to]))
                c.moveTo(a.x, a.y); c.lineTo(b.x, b.y)
            }
            c.stroke()
        }
    }

    func paintDomainOutline(_ c: Canvas) {
        c.setColor(Color.ink.withAlpha(0.85))
        c.lineWidth(max(0.06 * layout.unit, 0.8))
        tracePolygon(c, result.domainPolygon)
        c.stroke()
    }

    func paintBoundary(_ c: Canvas) {
        guard !result.boundarySegments.isEmpty else { return }
        c.setColor(Color.boundaryRed)
        c.lineWidth(max(2.4 * edgeWidth, 0.13 * layout.unit, 1.5))
        cairo_set_line_cap(c.cr, CAIRO_LINE_CAP_ROUND)
        for (a, b) in result.boundarySegments {
            let (p, q) = (point(a), point(b))
            c.moveTo(p.x, p.y); c.lineTo(q.x, q.y)
        }
        c.stroke()
    }
}

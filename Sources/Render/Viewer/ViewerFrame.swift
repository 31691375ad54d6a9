import Foundation
import Slicer

/// One checkpoint's partition packed for the viewer page: typed arrays as base64, so a frame of
/// 100,000 regions is a few megabytes the page decodes only when it is shown.
///
/// Coordinates are Float32 input-space units; regions index a shared vertex array.
public struct ViewerFrame: @unchecked Sendable {
    public var step: Int
    public var title: String
    public var regionCount: Int
    /// The largest slope of the frame (the slope fill of the run spans the last frame's range, as the pictures do).
    public var maxSlope: Double
    /// Key → base64 of a little-endian typed array, or a small JSON value.
    var fields: [String: Any]

    public init(_ result: SliceResult, step: Int, title: String) {
        self.step = step
        self.title = title
        regionCount = result.regions.count
        maxSlope = result.regions.map(\.slope).filter(\.isFinite).max() ?? 0
        var fields: [String: Any] = ["step": step, "title": title, "regions": result.regions.count,
                                     "vertexCount": result.vertices.count]
        fields["vx"] = Self.base64(result.vertices.flatMap { [Float($0.x), Float($0.y)] })
        var offsets: [UInt32] = [0], corners: [UInt32] = []
        corners.reserveCapacity(result.regions.count * 6)
        var patternFill: [UInt8] = [], classFill: [UInt8] = [], classes: [UInt16] = [], areas: [Float] = [], slopes: [Float] = []
        for region in result.regions {
            corners += region.vertexIndices.map { UInt32($0) }
            offsets.append(UInt32(corners.count))
            let hash = region.pattern.stableHash
            patternFill += Self.rgb(Palette.pastel(hash: hash))
            classFill += Self.rgb(Palette.classColor(region.predictedClass, hash: hash))
            classes.append(UInt16(clamping: region.predictedClass))
            areas.append(Float(region.area))
            slopes.append(Float(region.slope.isFinite ? region.slope : 0))
        }
        fields["ro"] = Self.base64(offsets)
        fields["rc"] = Self.base64(corners)
        fields["pf"] = Self.base64(patternFill)
        fields["cf"] = Self.base64(classFill)
        fields["cls"] = Self.base64(classes)
        fields["area"] = Self.base64(areas)
        fields["slope"] = Self.base64(slopes)
        // Edges grouped by layer (0 = the domain boundary), with the unit and how many pattern bits
        // differ between the two regions they separate.
        let difference = Self.patternDifferences(result)
        let layers = (result.edges.map(\.layer).max() ?? 0) + 1
        var edgeVertices: [UInt32] = [], units: [UInt16] = [], differs: [UInt8] = [], layerOffsets: [Int] = [0]
        for layer in 0..<layers {
            for edge in result.edges where edge.layer == layer {
                edgeVertices += [UInt32(edge.from), UInt32(edge.to)]
                units.append(UInt16(clamping: max(edge.neuron, 0)))
                differs.append(UInt8(clamping: difference[ViewerFrame.key(edge.from, edge.to)] ?? 0))
            }
            layerOffsets.append(units.count)
        }
        fields["e"] = Self.base64(edgeVertices)
        fields["eu"] = Self.base64(units)
        fields["ed"] = Self.base64(differs)
        fields["eo"] = layerOffsets
        fields["b"] = Self.base64(result.boundarySegments.flatMap { [Float($0.0.x), Float($0.0.y), Float($0.1.x), Float($0.1.y)] })
        // Class cells of the regions the decision boundary crosses (class fill draws them, as the pictures do).
        var cellPoints: [Float] = [], cellOffsets: [UInt32] = [0], cellFill: [UInt8] = [], cellRegion: [UInt32] = []
        for (index, region) in result.regions.enumerated() where !region.classCells.isEmpty {
            for cell in region.classCells {
                cellPoints += cell.polygon.flatMap { [Float($0.x), Float($0.y)] }
                cellOffsets.append(UInt32(cellPoints.count / 2))
                cellFill += Self.rgb(Palette.classColor(cell.label, hash: region.pattern.stableHash))
                cellRegion.append(UInt32(index))
            }
        }
        fields["cc"] = Self.base64(cellPoints)
        fields["co"] = Self.base64(cellOffsets)
        fields["ccf"] = Self.base64(cellFill)
        fields["ccr"] = Self.base64(cellRegion)
        fields["anchors"] = result.anchors.map { [$0.x, $0.y] }
        fields["domain"] = result.domainPolygon.map { [$0.x, $0.y] }
        fields["layerStats"] = result.layers.map { ["neurons": $0.neurons, "cut": $0.neuronsCut, "regions": $0.regions] }
        self.fields = fields
    }

    /// For every interior edge, the number of activation-pattern bits in which its two regions differ.
    static func patternDifferences(_ result: SliceResult) -> [UInt64: Int] {
        var firstRegion: [UInt64: Int] = [:]
        var difference: [UInt64: Int] = [:]
        for (index, region) in result.regions.enumerated() {
            let cycle = region.vertexIndices
            for i in cycle.indices {
                let key = ViewerFrame.key(cycle[i], cycle[(i + 1) % cycle.count])
                if let other = firstRegion[key] {
                    let a = region.pattern.words, b = result.regions[other].pattern.words
                    difference[key] = zip(a, b).reduce(0) { $0 + ($1.0 ^ $1.1).nonzeroBitCount }
                } else {
                    firstRegion[key] = index
                }
            }
        }
        return difference
    }

    static func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(min(a, b)) << 32 | UInt64(max(a, b)) }

    static func rgb(_ color: Color) -> [UInt8] {
        let bytes = color.bytes
        return [bytes.r, bytes.g, bytes.b]
    }

    /// Base64 of an array's little-endian bytes.
    static func base64<T>(_ values: [T]) -> String {
        values.withUnsafeBytes { Data($0).base64EncodedString() }
    }
}

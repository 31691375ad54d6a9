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
    /// Number of classes the network predicts (a single logit: two).
    public var classCount: Int
    /// Small JSON values, and `layout`: for each typed array, its byte offset and element count in `blob`.
    var fields: [String: Any]
    /// Every typed array of the frame, little-endian, each starting at a multiple of 4 bytes.
    var blob = Data()

    public init(_ result: SliceResult, step: Int, title: String) {
        self.step = step
        self.title = title
        regionCount = result.regions.count
        classCount = result.outputs <= 1 ? 2 : result.outputs
        maxSlope = result.regions.map(\.slope).filter(\.isFinite).max() ?? 0
        var fields: [String: Any] = ["step": step, "title": title, "regions": result.regions.count,
                                     "vertexCount": result.vertices.count]
        var blob = Data()
        var layout: [String: [Int]] = [:]
        func put<T>(_ key: String, _ values: [T]) {
            layout[key] = [blob.count, values.count]
            values.withUnsafeBytes { blob.append(contentsOf: $0) }
            while blob.count % 4 != 0 { blob.append(0) }
        }
        put("vx", result.vertices.flatMap { [Float($0.x), Float($0.y)] })
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
        put("ro", offsets)
        put("rc", corners)
        put("pf", patternFill)
        put("cf", classFill)
        put("cls", classes)
        put("area", areas)
        put("slope", slopes)
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
        put("e", edgeVertices)
        put("eu", units)
        put("ed", differs)
        fields["eo"] = layerOffsets
        put("b", result.boundarySegments.flatMap { [Float($0.0.x), Float($0.0.y), Float($0.1.x), Float($0.1.y)] })
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
        put("cc", cellPoints)
        put("co", cellOffsets)
        put("ccf", cellFill)
        put("ccr", cellRegion)
        fields["anchors"] = result.anchors.map { [$0.x, $0.y] }
        fields["domain"] = result.domainPolygon.map { [$0.x, $0.y] }
        fields["layerStats"] = result.layers.map { ["neurons": $0.neurons, "cut": $0.neuronsCut, "regions": $0.regions] }
        fields["layout"] = layout
        self.fields = fields
        self.blob = blob
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
}

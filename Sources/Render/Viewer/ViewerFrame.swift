import Foundation
import Polytope
import Slicer

/// One checkpoint's partition packed for the viewer page: the regions as index lists into shared
/// vertices, coordinates on the frame's `ViewerGrid`, and everything as varints and byte planes in
/// one zlib stream, which the page inflates with the browser's own DecompressionStream.
///
/// The stream, in order (`VarintWriter`; n regions, counts in `fields["counts"]`):
/// 1. each region's corner count;
/// 2. each corner: 0 for a vertex not seen before (it takes the next number), else how many
///    vertices were numbered since it (≥ 1);
/// 3. each new vertex's grid point minus the previous corner's, zigzag (the first from (0, 0));
/// 4. each region side, in region and corner order, the first time it is met: 0 if it is no edge of
///    the slice, else the edge's layer + 1 (0 = domain boundary), its unit and how many pattern bits
///    differ between its two regions;
/// 5. edges that are no region side (none in a proper subdivision): both ends as zigzag grid
///    points, layer, unit;
/// 6. each region's predicted class; its colour key (`Palette.patternKey`) as a low and a high
///    byte plane; its area and slope as `putFloatPlanes`;
/// 7. the decision boundary's segments, each end's grid point minus the previous end's;
/// 8. the class cells of regions the boundary crosses: region number minus the previous cell's,
///    label, point count, points as in 7.
public struct ViewerFrame: @unchecked Sendable {
    public var step: Int
    public var title: String
    public var regionCount: Int
    /// The largest slope of the frame (the slope fill of the run spans the last frame's range, as the pictures do).
    public var maxSlope: Double
    /// Number of classes the network predicts (a single logit: two).
    public var classCount: Int
    /// Small JSON values: counts, grid, anchors, domain, layer statistics.
    package var fields: [String: Any]
    /// The compressed stream.
    package var blob: Data

    /// A frame from its parts as stored (a shard's frame read back).
    package init(step: Int, title: String, regionCount: Int, maxSlope: Double, classCount: Int,
                 fields: [String: Any], blob: Data) {
        self.step = step; self.title = title; self.regionCount = regionCount
        self.maxSlope = maxSlope; self.classCount = classCount
        self.fields = fields; self.blob = blob
    }

    public init(_ result: SliceResult, step: Int, title: String) {
        self.step = step
        self.title = title
        regionCount = result.regions.count
        classCount = result.outputs <= 1 ? 2 : result.outputs
        maxSlope = result.regions.map(\.slope).filter(\.isFinite).max() ?? 0
        let grid = ViewerGrid(around: result.domainPolygon + result.vertices)
        var out = VarintWriter()
        out.bytes.reserveCapacity(result.regions.count * 24)

        // 1–3: regions, corners, vertices.
        for region in result.regions { out.put(region.vertexIndices.count) }
        var number = [Int](repeating: -1, count: result.vertices.count)
        var numbered = 0
        var previous = (x: 0, y: 0)
        var newPoints: [Int] = []
        newPoints.reserveCapacity(2 * result.vertices.count)
        for region in result.regions {
            for vertex in region.vertexIndices {
                let point = grid.quantise(result.vertices[vertex])
                if number[vertex] < 0 {
                    number[vertex] = numbered
                    numbered += 1
                    out.put(0)
                    newPoints += [point.x - previous.x, point.y - previous.y]
                } else {
                    out.put(numbered - number[vertex])
                }
                previous = point
            }
        }
        for value in newPoints { out.putSigned(value) }

        // 4–5: edges, through the region sides they are.
        var edgeOfSide: [UInt64: Int] = [:]
        edgeOfSide.reserveCapacity(result.edges.count)
        var loose: [Int] = []
        for (index, edge) in result.edges.enumerated() {
            let side = Self.key(edge.from, edge.to)
            if edgeOfSide[side] == nil { edgeOfSide[side] = index } else { loose.append(index) }
        }
        let difference = Self.patternDifferences(result)
        var met = Set<UInt64>()
        met.reserveCapacity(result.edges.count)
        var sides = 0
        for region in result.regions {
            let cycle = region.vertexIndices
            for i in cycle.indices {
                let side = Self.key(cycle[i], cycle[(i + 1) % cycle.count])
                guard met.insert(side).inserted else { continue }
                sides += 1
                guard let index = edgeOfSide.removeValue(forKey: side) else { out.put(0); continue }
                let edge = result.edges[index]
                out.put(edge.layer + 1)
                out.put(max(edge.neuron, 0))
                out.put(difference[side] ?? 0)
            }
        }
        loose = (loose + edgeOfSide.values).sorted()
        for index in loose {
            let edge = result.edges[index]
            let a = grid.quantise(result.vertices[edge.from]), b = grid.quantise(result.vertices[edge.to])
            for value in [a.x, a.y, b.x, b.y] { out.putSigned(value) }
            out.put(edge.layer)
            out.put(max(edge.neuron, 0))
        }

        // 6: per-region values.
        for region in result.regions { out.put(max(region.predictedClass, 0)) }
        let keys = result.regions.map { Palette.patternKey(hash: $0.pattern.stableHash) }
        out.bytes += keys.map { UInt8(truncatingIfNeeded: $0) }
        out.bytes += keys.map { UInt8(truncatingIfNeeded: $0 >> 8) }
        out.putFloatPlanes(result.regions.map { Float($0.area) })
        out.putFloatPlanes(result.regions.map { Float($0.slope.isFinite ? $0.slope : 0) })

        // 7–8: the decision boundary and the class cells it cuts.
        previous = (0, 0)
        func putPoint(_ p: Point2) {
            let q = grid.quantise(p)
            out.putSigned(q.x - previous.x); out.putSigned(q.y - previous.y)
            previous = q
        }
        for segment in result.boundarySegments { putPoint(segment.0); putPoint(segment.1) }
        var cells = 0, previousRegion = 0
        for (index, region) in result.regions.enumerated() {
            for cell in region.classCells {
                out.put(index - previousRegion); previousRegion = index
                out.put(max(cell.label, 0))
                out.put(cell.polygon.count)
                for point in cell.polygon { putPoint(point) }
                cells += 1
            }
        }

        let layers = (result.edges.map(\.layer).max() ?? 0) + 1
        fields = [
            "step": step, "title": title, "regions": result.regions.count,
            "counts": ["vertices": numbered, "sides": sides, "edges": result.edges.count, "looseEdges": loose.count,
                       "boundary": result.boundarySegments.count, "cells": cells, "layers": layers,
                       "corners": result.regions.reduce(0) { $0 + $1.vertexIndices.count }],
            "grid": [grid.exponent, grid.originX, grid.originY],
            "anchors": result.anchors.map { [$0.x, $0.y] },
            "domain": result.domainPolygon.map { [$0.x, $0.y] },
            "layerStats": result.layers.map { ["neurons": $0.neurons, "cut": $0.neuronsCut, "regions": $0.regions] },
        ]
        blob = Deflate.compress(out.bytes)
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

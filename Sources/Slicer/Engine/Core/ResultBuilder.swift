import Models
import Polytope

/// A finished engine as the result builder sees it: its arrangement, its decision boundary, and per
/// face the affine map of the logits (3·K values: ∂/∂s, ∂/∂t and the constant of each logit).
protocol FinishedArrangement: FaceCutting, DecisionBoundaryGeometry {
    var plane: SlicePlane { get }
    var parallelism: Parallelism { get }
    var layerStats: [LayerStats] { get }
    /// K, the number of logits.
    var outputCount: Int { get }
    /// Logit `row`'s slopes (∂/∂s, ∂/∂t) on finished face f.
    func logitSlopes(face f: Int, row: Int) -> (a: Double, b: Double)
}

/// The one result builder: turns a finished arrangement into a `SliceResult` (frame coordinates,
/// areas, decision boundary, counts).
extension FinishedArrangement {
    /// `known[f]` is face f's class when the engine has already certified a strict winner there, else −1;
    /// the other faces' classes and class cells come from `decisionCells`.
    func makeResult(domain: DomainSpec, seconds: Double, known: [Int32]?) -> SliceResult {
        let faceCount = topology.faces.count
        // The decision boundary adds vertices of its own (class cells'): the partition's are those before.
        let partitionVertices = vertexRecords.count
        let frame: (Int32) -> Point2 = { self.plane.toFrame(self.vertexRecords[Int($0)].s, self.vertexRecords[Int($0)].t) }
        let known = known ?? [Int32](repeating: -1, count: faceCount)
        var labels = known.map { Int($0) }
        let (cellsOf, segments, segmentVertices) = decisionCells(known.indices.filter { known[$0] < 0 }, labels: &labels, frame: frame)
        let vertices = (0..<partitionVertices).map { frame(Int32($0)) }
        let faces = topology.faces
        let regions = [SliceRegion](unsafeUninitializedCapacity: faceCount) { buffer, initialized in
            let out = buffer.baseAddress!
            vertices.withUnsafeBufferPointer { points in
                parallelism.chunks(faceCount, minimumChunk: 512) { range in
                    for f in range {
                        let cycle = faces[f].vertices
                        // Shoelace, as `signedArea` computes it, without building the polygon.
                        var twice = 0.0
                        if cycle.count >= 3 {
                            for i in cycle.indices {
                                let a = points[Int(cycle[i])], b = points[Int(cycle[(i + 1) % cycle.count])]
                                twice += a.x * b.y - a.y * b.x
                            }
                        }
                        (out + f).initialize(to: SliceRegion(
                            vertexIndices: cycle.map(Int.init), pattern: facePattern[f], predictedClass: labels[f],
                            classCells: cellsOf[f] ?? [], slope: slope(face: f, label: labels[f]), area: abs(twice / 2)))
                    }
                }
            }
            initialized = faceCount
        }
        let sliceEdges = topology.edges.map { SliceEdge(from: Int($0.from), to: Int($0.to), layer: Int($0.layer), neuron: Int($0.neuron)) }
        let corners = domainCorners.map { plane.toFrame($0.s, $0.t) }
        var result = SliceResult(arithmetic: kernel.arithmetic.rawValue, domainKind: domain.kind, domainPolygon: corners,
                                 domainArea: abs(signedArea(corners)), anchors: plane.frameAnchors, vertices: vertices,
                                 regions: regions, edges: sliceEdges, boundarySegments: segments, layers: layerStats,
                                 outputs: outputCount, seconds: seconds)
        result.decisions = counts
        if firstSeamLine < Int.max {
            // A strip's seams are stitched by exact points: those of its partition and of its decision boundary.
            result.stripVertices = stripVertices(vertexRecords.count)
            result.stripSegmentVertices = segmentVertices.map { (Int($0.0), Int($0.1)) }
        }
        return result
    }

    /// Norm of the gradient of the winning logit in frame coordinates (per input-space unit).
    func slope(face f: Int, label: Int) -> Double {
        let (a, b) = logitSlopes(face: f, row: outputCount == 1 ? 0 : label)
        // (X, Y) = (s·|d1| + t·u₁, t·h), so ∂/∂X = (1/|d1|)∂/∂s and ∂/∂Y = (∂/∂t − (u₁/|d1|)∂/∂s)/h.
        let gx = a / plane.length1
        let gy = (b - plane.uAlong / plane.length1 * a) / plane.height
        return (gx * gx + gy * gy).squareRoot()
    }
}

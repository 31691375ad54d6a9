import Polytope

/// Turns the finished subdivision into a `SliceResult` (frame coordinates, areas, boundary).
extension Subdivision {
    func makeResult(domain: DomainSpec, seconds: Double) -> SliceResult {
        let partitionVertices = vertexCount
        let faceCount = faces.count
        let frame: (Int32) -> Point2 = { self.plane.toFrame(self.vertexRecords[Int($0)].s, self.vertexRecords[Int($0)].t) }
        // Most regions hold no boundary: the float test settles them on all cores; the rest go
        // through `classCells`, whose undecided signs are recomputed exactly.
        var uniform = [Int32](repeating: -1, count: faceCount)
        let outputMaps = maps[outputLayer]
        uniform.withUnsafeMutableBufferPointer { out in
            outputMaps.bound.withUnsafeBufferPointer { bound in
                withVertexView { vertices in
                    parallelChunks(faceCount, minimumChunk: 512) { range in
                        let n = network.outputDimension
                        let values = UnsafeMutablePointer<Double>.allocate(capacity: n)
                        let errors = UnsafeMutablePointer<Double>.allocate(capacity: n)
                        defer { values.deallocate(); errors.deallocate() }
                        for f in range {
                            out[f] = Int32(floatUniformClass(face: f, map: outputMaps.base.baseAddress!, bound: bound.baseAddress!,
                                                             vertices: vertices, values: values, errors: errors) ?? -1)
                        }
                    }
                }
            }
        }
        var labels = uniform.map { Int($0) }
        let (cellsOf, segments) = decisionCells(uniform.indices.filter { uniform[$0] < 0 }, labels: &labels, frame: frame)
        let vertices = (0..<partitionVertices).map { frame(Int32($0)) }
        let regions = [SliceRegion](unsafeUninitializedCapacity: faceCount) { buffer, initialized in
            let out = buffer.baseAddress!
            vertices.withUnsafeBufferPointer { points in
                parallelChunks(faceCount, minimumChunk: 512) { range in
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
        let sliceEdges = edges.map { SliceEdge(from: Int($0.from), to: Int($0.to), layer: Int($0.layer), neuron: Int($0.neuron)) }
        let corners = domainCorners.map { plane.toFrame($0.s, $0.t) }
        var result = SliceResult(arithmetic: kernel.arithmetic.rawValue, domainKind: domain.kind, domainPolygon: corners,
                           domainArea: abs(signedArea(corners)), anchors: plane.frameAnchors, vertices: vertices,
                           regions: regions, edges: sliceEdges, boundarySegments: segments, layers: layerStats,
                           outputs: network.outputDimension, seconds: seconds)
        result.decisions = counts
        return result
    }

    /// Norm of the gradient of the winning logit in frame coordinates (per input-space unit).
    func slope(face f: Int, label: Int) -> Double {
        let n = network.outputDimension
        let row = n == 1 ? 0 : label
        let base = f * 3 * n
        let map = maps[outputLayer].base
        let a = map[base + row], b = map[base + n + row]
        // (X, Y) = (s·|d1| + t·u₁, t·h), so ∂/∂X = (1/|d1|)∂/∂s and ∂/∂Y = (∂/∂t − (u₁/|d1|)∂/∂s)/h.
        let gx = a / plane.length1
        let gy = (b - plane.uAlong / plane.length1 * a) / plane.height
        return (gx * gx + gy * gy).squareRoot()
    }
}

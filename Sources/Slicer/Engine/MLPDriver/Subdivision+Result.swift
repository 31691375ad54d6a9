import Polytope

/// The MLP engine's part of its result: the classes its float test settles (`FinishedArrangement`
/// builds the rest).
extension Subdivision: FinishedArrangement {
    var outputCount: Int { network.outputDimension }

    func logitSlopes(face f: Int, row: Int) -> (a: Double, b: Double) {
        let base = f * 3 * outputCount, map = maps[outputLayer].base
        return (map[base + row], map[base + outputCount + row])
    }

    /// The result, with the classes of regions that hold no boundary settled by the float test first.
    func makeResult(domain: DomainSpec, seconds: Double) -> SliceResult {
        let faceCount = faces.count
        // Most regions hold no boundary: the float test settles them on all cores; the rest go
        // through `classCells`, whose undecided signs are recomputed exactly.
        var uniform = [Int32](repeating: -1, count: faceCount)
        let outputMaps = maps[outputLayer]
        uniform.withUnsafeMutableBufferPointer { out in
            outputMaps.bound.withUnsafeBufferPointer { bound in
                withVertexView { vertices in
                    parallelism.chunks(faceCount, minimumChunk: 512) { range in
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
        return makeResult(domain: domain, seconds: seconds, known: uniform)
    }
}

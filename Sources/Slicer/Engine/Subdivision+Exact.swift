import Polytope

/// Exact recomputation: region maps as dyadic lines, vertices as exact intersections.
extension Subdivision {
    func exactWeights(_ k: Int) -> [Dyadic] {
        if let cached = exactWeightCache[k] { return cached }
        let weights = network.layers[k].weights.map(Dyadic.init)
        exactWeightCache[k] = weights
        return weights
    }

    func exactBias(_ k: Int) -> [Dyadic] {
        if let cached = exactBiasCache[k] { return cached }
        let bias = network.layers[k].bias.map(Dyadic.init)
        exactBiasCache[k] = bias
        return bias
    }

    /// The exact affine map (one line per neuron) of layer k's pre-activations on region r.
    func exactMap(layer k: Int, region r: Int) -> [ExactLine] {
        let key = Int64(k) << 40 | Int64(r)
        if let cached = exactMapCache[key] { return cached }
        let layer = network.layers[k]
        let weights = exactWeights(k), bias = exactBias(k)
        var inputA: [Dyadic], inputB: [Dyadic], inputC: [Dyadic]
        if k == 0 {
            let x1 = plane.anchors[0].map(Dyadic.init)
            inputA = zip(plane.anchors[1].map(Dyadic.init), x1).map { $0 - $1 }
            inputB = zip(plane.anchors[2].map(Dyadic.init), x1).map { $0 - $1 }
            inputC = x1
        } else {
            let previous = exactMap(layer: k - 1, region: Int(regionParent[k][r]))
            let pattern = regionPattern[k][r]
            let offset = patternOffsets[k - 1]
            let negative = Dyadic(network.activation.negativeSlope)
            inputA = []; inputB = []; inputC = []
            for (i, line) in previous.enumerated() {
                if pattern[offset + i] {
                    inputA.append(line.a); inputB.append(line.b); inputC.append(line.c)
                } else {
                    inputA.append(negative * line.a); inputB.append(negative * line.b); inputC.append(negative * line.c)
                }
            }
        }
        var map: [ExactLine] = []
        map.reserveCapacity(layer.outputs)
        for j in 0..<layer.outputs {
            var a = Dyadic.zero, b = Dyadic.zero, c = bias[j]
            let base = j * layer.inputs
            for i in 0..<layer.inputs {
                let w = weights[base + i]
                if w.isZero { continue }
                if !inputA[i].isZero { a += w * inputA[i] }
                if !inputB[i].isZero { b += w * inputB[i] }
                if !inputC[i].isZero { c += w * inputC[i] }
            }
            map.append(ExactLine(a: a.normalized(), b: b.normalized(), c: c.normalized()))
        }
        exactMapCache[key] = map
        return map
    }

    func exactLine(_ ref: LineRef) -> ExactLine {
        switch ref.kind {
        case .domain:
            return domainLines[Int(ref.index)]
        case .neuron:
            return exactMap(layer: Int(ref.layer), region: Int(ref.region))[Int(ref.index)]
        case .logit:
            let map = exactMap(layer: network.layers.count - 1, region: Int(ref.region))
            // One output: classes 1 and 0 are its positive and negative side.
            if network.outputDimension == 1 { return ref.index == 1 ? map[0] : -map[0] }
            return map[Int(ref.index)] - map[Int(ref.other)]
        }
    }

    func exactVertex(_ v: Int32) -> ExactPoint {
        if let cached = exactVertexCache[v] { return cached }
        let a = exactLine(vertexRecords[Int(v)].lineA), b = exactLine(vertexRecords[Int(v)].lineB)
        guard let point = ExactPoint(intersecting: a, b) else {
            preconditionFailure("vertex \(v) is defined by parallel lines")
        }
        exactVertexCache[v] = point
        return point
    }

    /// The exact sign of a line's function at a vertex.
    func exactSign(vertex v: Int32, line ref: LineRef) -> Int {
        counts.exact += 1
        return exactLine(ref).side(of: exactVertex(v))
    }
}

import Polytope

/// Names one neuron's line on one region.
struct ExactLineKey: Hashable {
    var layer: Int32
    var neuron: Int32
    var region: Int32
}

/// What the MLP driver has computed exactly so far, kept for the regions that ask again.
struct ExactCaches {
    /// Whole region maps, by layer << 40 | region.
    var maps: [Int64: [ExactLine]] = [:]
    /// Single neurons' lines (certified mode asks for few).
    var lines: [ExactLineKey: ExactLine] = [:]
    /// Each layer's weights and biases as dyadics.
    var weights: [Int: [Dyadic]] = [:]
    var biases: [Int: [Dyadic]] = [:]
}

/// For layer k ≥ 1, each region's parent region at layer k − 1 and its pattern (which fixes the
/// slopes of layer k − 1): what exact recomputation walks back through.
struct RegionHistory {
    var parent: [[Int32]] = []
    var pattern: [[ActivationPattern]] = []
}

/// Exact recomputation: region maps as dyadic lines, vertices as exact intersections.
extension Subdivision {
    func exactWeights(_ k: Int) -> [Dyadic] {
        if let cached = exact.weights[k] { return cached }
        let weights = network.layers[k].weights.map(Dyadic.init)
        exact.weights[k] = weights
        return weights
    }

    func exactBias(_ k: Int) -> [Dyadic] {
        if let cached = exact.biases[k] { return cached }
        let bias = network.layers[k].bias.map(Dyadic.init)
        exact.biases[k] = bias
        return bias
    }

    /// The exact inputs of layer k on region r, as three vectors (coefficients of s, t and 1).
    func exactInputs(layer k: Int, region r: Int) -> (a: [Dyadic], b: [Dyadic], c: [Dyadic]) {
        if k == 0 {
            let x1 = plane.anchors[0].map(Dyadic.init)
            return (zip(plane.anchors[1].map(Dyadic.init), x1).map { $0 - $1 },
                    zip(plane.anchors[2].map(Dyadic.init), x1).map { $0 - $1 }, x1)
        }
        let previous = exactMap(layer: k - 1, region: Int(history.parent[k][r]))
        let pattern = history.pattern[k][r]
        let offset = patternOffsets[k - 1]
        let negative = Dyadic(network.activation.negativeSlope)
        var inputA: [Dyadic] = [], inputB: [Dyadic] = [], inputC: [Dyadic] = []
        for (i, line) in previous.enumerated() {
            if pattern[offset + i] {
                inputA.append(line.a); inputB.append(line.b); inputC.append(line.c)
            } else {
                inputA.append(negative * line.a); inputB.append(negative * line.b); inputC.append(negative * line.c)
            }
        }
        return (inputA, inputB, inputC)
    }

    /// Neuron j of layer k as an exact line, given the layer's exact inputs.
    func exactNeuronLine(layer k: Int, neuron j: Int, inputs: (a: [Dyadic], b: [Dyadic], c: [Dyadic]),
                         weights: [Dyadic], bias: [Dyadic]) -> ExactLine {
        let count = network.layers[k].inputs
        var a = Dyadic.zero, b = Dyadic.zero, c = bias[j]
        let base = j * count
        for i in 0..<count {
            let w = weights[base + i]
            if w.isZero { continue }
            if !inputs.a[i].isZero { a += w * inputs.a[i] }
            if !inputs.b[i].isZero { b += w * inputs.b[i] }
            if !inputs.c[i].isZero { c += w * inputs.c[i] }
        }
        return ExactLine(a: a.normalized(), b: b.normalized(), c: c.normalized())
    }

    /// The exact affine map (one line per neuron) of layer k's pre-activations on region r; wide
    /// layers split their lines over the cores.
    func exactMap(layer k: Int, region r: Int) -> [ExactLine] {
        let key = Int64(k) << 40 | Int64(r)
        if let cached = exact.maps[key] { return cached }
        let layer = network.layers[k]
        let weights = exactWeights(k), bias = exactBias(k)
        let inputs = exactInputs(layer: k, region: r)
        let map = [ExactLine](unsafeUninitializedCapacity: layer.outputs) { buffer, initialized in
            let out = buffer.baseAddress!
            let minimum = layer.outputs * layer.inputs >= 16384 ? 8 : layer.outputs
            parallelism.chunks(layer.outputs, minimumChunk: minimum) { range in
                for j in range {
                    (out + j).initialize(to: exactNeuronLine(layer: k, neuron: j, inputs: inputs, weights: weights, bias: bias))
                }
            }
            initialized = layer.outputs
        }
        exact.maps[key] = map
        return map
    }

    /// One neuron's exact line: from the region's whole map when it is known, else as the kernel's
    /// `NeuronLineSource` gets it.
    func exactNeuronLine(layer k: Int, neuron j: Int, region r: Int) -> ExactLine {
        if let map = exact.maps[Int64(k) << 40 | Int64(r)] { return map[j] }
        let source: any NeuronLineSource = kernel.pick(certified: SingleNeuronLines(), exact: WholeMapLines())
        return source.line(self, layer: k, neuron: j, region: r)
    }

    /// One neuron's exact line computed alone (the layers below still need whole maps), cached.
    func singleNeuronLine(layer k: Int, neuron j: Int, region r: Int) -> ExactLine {
        let key = ExactLineKey(layer: Int32(k), neuron: Int32(j), region: Int32(r))
        if let cached = exact.lines[key] { return cached }
        let line = exactNeuronLine(layer: k, neuron: j, inputs: exactInputs(layer: k, region: r),
                                   weights: exactWeights(k), bias: exactBias(k))
        exact.lines[key] = line
        return line
    }

    func exactLine(_ ref: LineRef) -> ExactLine {
        switch ref.kind {
        case .domain:
            return domainLines[Int(ref.index)]
        case .neuron:
            return exactNeuronLine(layer: Int(ref.layer), neuron: Int(ref.index), region: Int(ref.region))
        case .logit:
            let map = exactMap(layer: network.layers.count - 1, region: Int(ref.region))
            // One output: classes 1 and 0 are its positive and negative side.
            if network.outputDimension == 1 { return ref.index == 1 ? map[0] : -map[0] }
            return map[Int(ref.index)] - map[Int(ref.other)]
        case .pool:
            preconditionFailure("an MLP has no max pool")
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
}

import BigInt
import Models
import Polytope

/// The exact reference: each region's values as exact lines, recomputed on demand from the region's
/// parent and pattern (and cached), and vertices as exact intersections. Exact mode reads its lines
/// off the exact path instead (`GraphSubdivision+ExactPath`); the whole-state recomputation stays
/// as the reference the tests compare it with.
extension GraphSubdivision {
    /// The input value exactly: x1 + s·(x2 − x1) + t·(x3 − x1).
    func exactInputMap() -> ExactValueMap {
        let x1 = plane.anchors[0].map(Dyadic.init)
        let lines = (0..<plane.dimension).map { i in
            ExactLine(a: (Dyadic(plane.anchors[1][i]) - x1[i]).normalized(), b: (Dyadic(plane.anchors[2][i]) - x1[i]).normalized(), c: x1[i])
        }
        return ExactValueMap(lines: lines, denominator: 1)
    }

    func advance(_ state: inout ExactState, through range: Range<Int>) {
        for index in range {
            guard case .affine(let operation) = plan.steps[index] else { preconditionFailure("not an affine node") }
            let node = plan.graph.nodes[index]
            state[index + 1] = operation.apply(node.inputs.map { state[$0]! })
            for v in node.inputs where plan.lastUse[v] <= index { state[v] = nil }
        }
    }

    /// The live values of region f as it entered level m (for m = levels: the finished face's).
    func exactState(level m: Int, region f: Int32) -> ExactState {
        let key = Int64(m) << 32 | Int64(f)
        if let cached = exactStates[key] { return cached }
        var state: ExactState
        if m == 0 {
            state = [0: exactInputMap()]
            advance(&state, through: 0..<levelEnd(0))
        } else {
            let parent = entryParent[m][Int(f)]
            precondition(parent >= 0, "region \(f) has no parent at level \(m)")
            state = exactState(level: m - 1, region: parent)
            let node = plan.activationNodes[m - 1]
            let inputValue = plan.graph.nodes[node].inputs[0]
            state[node + 1] = levelOutput(m - 1, state[inputValue]!, pattern: facePattern[Int(f)])
            if plan.lastUse[inputValue] <= node { state[inputValue] = nil }
            advance(&state, through: (node + 1)..<levelEnd(m))
        }
        exactStates[key] = state
        return state
    }

    /// A line exactly: in exact mode from the exact path (`GraphSubdivision+ExactPath`), in
    /// certified mode unit by unit (few are asked for).
    func exactLine(_ ref: LineRef) -> ExactLine { pathUnits.exactLine(self, ref) }

    /// The same recomputed from the region's exact state (exact mode's reference) or unit by unit.
    func referenceLine(_ ref: LineRef) -> ExactLine {
        func unit(_ v: Int, _ u: Int, level m: Int) -> ExactLine {
            pathUnits.referenceUnit(self, value: v, unit: u, level: m, region: ref.region)
        }
        switch ref.kind {
        case .domain:
            return domainLines[Int(ref.index)]
        case .neuron:
            let m = Int(ref.layer)
            return unit(plan.graph.nodes[plan.activationNodes[m]].inputs[0], Int(ref.index), level: m)
        case .pool:
            // Inputs `index` and `other` of one window (see `LineRef.pool`): z_a − z_b.
            let m = Int(ref.layer), v = plan.graph.nodes[plan.activationNodes[m]].inputs[0]
            let (a, b) = ref.poolUnits
            return unit(v, Int(a), level: m) - unit(v, Int(b), level: m)
        case .logit:
            let v = plan.graph.outputValue
            // One output: classes 1 and 0 are its positive and negative side.
            if outputCount == 1 { return ref.index == 1 ? unit(v, 0, level: plan.levels) : -unit(v, 0, level: plan.levels) }
            return unit(v, Int(ref.index), level: plan.levels) - unit(v, Int(ref.other), level: plan.levels)
        }
    }

    func exactVertex(_ v: Int32) -> ExactPoint {
        if let cached = exactVertexCache[v] { return cached }
        let record = vertexRecords[Int(v)]
        guard let point = ExactPoint(intersecting: exactLine(record.lineA), exactLine(record.lineB)) else {
            preconditionFailure("vertex \(v) is defined by parallel lines")
        }
        exactVertexCache[v] = point
        return point
    }
}

/// The sign kernel reads the graph engine's vertices and exact lines; the face cutter cuts its faces.
extension GraphSubdivision: FaceCutting {
    func tooManyRegions(layer: Int) -> TesseraError {
        TesseraError.limitExceeded("the slice exceeds --max-regions \(maxRegions) at layer \(layer); raise the limit or shrink the domain")
    }
}

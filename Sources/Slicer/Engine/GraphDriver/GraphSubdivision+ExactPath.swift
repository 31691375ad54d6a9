import BigInt
import Polytope

/// Exact mode on the depth-first path (`ExactPath`): the exact maps follow the path as the float
/// maps do in certified mode, lines are read off them while their region is on the path (and kept
/// when asked for, since later edges and vertices name them), finished faces keep their exact
/// logits, and every sign is decided by exact integer arithmetic (`GraphSubdivision+ExactSigns`).
extension GraphSubdivision {
    /// Sets up the exact maps (exact mode), all activation bits clear.
    func startExactPath() {
        let path = ExactPath(plan: plan, input: exactInputMap())
        path.boxShift = ExactBox.shift(corners: domainCorners)
        exactPath = path
    }

    /// Exact mode's `enter`: brings the exact maps to piece g's bits at level m; g is then the
    /// region the maps describe as it enters level m + 1.
    func enterExactly(level m: Int, face g: Int32) {
        guard let path = exactPath else { preconditionFailure("exact mode without its exact maps") }
        path.enter(level: m, pattern: facePattern[Int(g)])
        path.regionAtLevel[m + 1] = g
        for k in (m + 2)..<path.regionAtLevel.count { path.regionAtLevel[k] = -1 }
    }

    /// Exact mode's `finish`: keeps the face's exact logits, and their float approximations (for
    /// slopes and pictures; no decision reads them).
    func finishExactly(face f: Int32) {
        guard let path = exactPath else { preconditionFailure("exact mode without its exact maps") }
        let v = plan.graph.outputValue, k = outputCount
        let lines = (0..<k).map { path.line(value: v, unit: $0) }
        path.logits[f] = lines
        let denominator = path.formats[v].denominator
        let scale = denominator == 1 ? 1 : 1 / Double(denominator)
        for (c, line) in lines.enumerated() {
            logits[Int(f) * 3 * k + c] = line.a.doubleValue * scale
            logits[Int(f) * 3 * k + k + c] = line.b.doubleValue * scale
            logits[Int(f) * 3 * k + 2 * k + c] = line.c.doubleValue * scale
        }
    }

    /// A line exactly, in exact mode: kept, or read off the path while its region is on it; a
    /// finished face's logit differences from its kept logits; else (not expected) recomputed by
    /// the reference, and counted.
    func pathLine(_ ref: LineRef, _ path: ExactPath) -> ExactLine {
        if let kept = path.lines[ref] { return kept }
        let m = Int(ref.layer)
        let line: ExactLine
        switch ref.kind {
        case .domain:
            return domainLines[Int(ref.index)]
        case .neuron where path.regionAtLevel[m] == ref.region:
            line = path.line(value: plan.graph.nodes[plan.activationNodes[m]].inputs[0], unit: Int(ref.index))
        case .pool where path.regionAtLevel[m] == ref.region:
            let v = plan.graph.nodes[plan.activationNodes[m]].inputs[0]
            let (a, b) = ref.poolUnits
            line = path.line(value: v, unit: Int(a)) - path.line(value: v, unit: Int(b))
        case .logit where path.logits[ref.region] != nil:
            let logits = path.logits[ref.region]!
            if outputCount == 1 { return ref.index == 1 ? logits[0] : -logits[0] }
            return logits[Int(ref.index)] - logits[Int(ref.other)]
        default:
            path.fallbacks += 1
            return referenceLine(ref)
        }
        path.lines[ref] = line
        return line
    }
}

import Polytope

/// The graph engine's side of the decision boundary (`DecisionBoundaryGeometry` computes the cells
/// and segments): its finished faces and their logits.
extension GraphSubdivision: DecisionBoundaryGeometry {
    /// Classes: K logits, or two (negative, positive) for a single output.
    var classCount: Int { max(outputCount, 2) }

    func face(_ f: Int) -> Face { topology.faces[f] }
    func edge(_ e: Int32) -> Edge { topology.edges[Int(e)] }

    /// The line l_c − l_i on face r (for one output: +l for c = 1, −l for c = 0).
    func logitLine(_ c: Int, minus i: Int, region r: Int) -> CertifiedLine {
        CertifiedLine.logitDifference(c, minus: i, rows: logits, base: r * 3 * outputCount,
                                      error: bounds[plan.graph.outputValue].error, outputs: outputCount, region: r)
    }

    /// The class with the largest float logit at a vertex (for one output: its side).
    func floatArgmax(at v: Int32, region r: Int) -> Int {
        let n = outputCount, base = r * 3 * n
        let s = vertexRecords[Int(v)].s, t = vertexRecords[Int(v)].t
        if n == 1 { return logits[base] * s + logits[base + 1] * t + logits[base + 2] > 0 ? 1 : 0 }
        var best = 0, bestValue = -Double.infinity
        for c in 0..<n {
            let value = logits[base + c] * s + logits[base + n + c] * t + logits[base + 2 * n + c]
            if value > bestValue { bestValue = value; best = c }
        }
        return best
    }

    /// The class that wins strictly at vertex v of face r, or nil when classes tie there. The float
    /// argmax is tried first; when a near tie fools it, the other classes are (so the answer is exact).
    func strictWinner(at v: Int32, region r: Int) -> Int? {
        let best = floatArgmax(at: v, region: r)
        for c in [best] + (0..<classCount).filter({ $0 != best }) {
            if (0..<classCount).allSatisfy({ $0 == c || sign(v, logitLine(c, minus: $0, region: r)) > 0 }) { return c }
        }
        return nil
    }
}

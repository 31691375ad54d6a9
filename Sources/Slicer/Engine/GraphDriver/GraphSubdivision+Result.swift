import Polytope

/// The graph engine's part of its result: per-level counts, the logits' slopes (`FinishedArrangement`
/// builds the rest).
extension GraphSubdivision: FinishedArrangement {
    /// Per activation node: its units, the units whose zero set meets the domain's interior, and the
    /// face count after it (for a max pool: its windows, and those whose winner changes in the domain).
    var layerStats: [LayerStats] {
        plan.activationNodes.indices.map { m in
            let cut = plan.maxPool(level: m).map { windowsChangingWinner(level: m, pool: $0) }
                ?? zip(positiveSomewhere[m], negativeSomewhere[m]).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
            var stats = LayerStats(index: m + 1, neurons: plan.valueCounts[plan.activationNodes[m] + 1], neuronsCut: cut, regions: regionsAfter[m])
            stats.windowPositions = plan.maxPool(level: m)?.taps
            stats.positiveSomewhere = positiveSomewhere[m]; stats.negativeSomewhere = negativeSomewhere[m]
            return stats
        }
    }

    func logitSlopes(face f: Int, row: Int) -> (a: Double, b: Double) {
        let base = f * 3 * outputCount
        return (logits[base + row], logits[base + outputCount + row])
    }

    func makeResult(domain: DomainSpec, seconds: Double) -> SliceResult {
        var result = makeResult(domain: domain, seconds: seconds, known: nil)
        result.batchNormScale = plan.graph.hasBatchNormScale
        return result
    }
}

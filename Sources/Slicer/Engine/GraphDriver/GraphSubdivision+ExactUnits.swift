import BigInt
import Polytope

/// The exact reference one unit at a time, for certified mode's rare exact decisions: a unit's exact
/// line reads only the units its taps name (a convolution's window, and so on down to the input),
/// so one decision costs its receptive field, not whole maps of every layer. The lines are the ones
/// `GraphSubdivision+Exact` computes map by map (the same formula with the same denominators).
struct ExactUnitKey: Hashable {
    var level: Int32
    var region: Int32
    var value: Int32
    var unit: Int32
}

/// Per value, the static parts of the exact formula: lcm of the inputs' denominators and of the
/// operation's divisors (value v's denominator is their product), and the activation level count
/// whose patterns v depends on.
struct ExactValueLayout {
    var inputLCM: [BigInt]
    var divisorLCM: [BigInt]
    /// Number of activation nodes at or before the node producing the value.
    var needsLevels: [Int]

    init(plan: GraphPlan) {
        var inputLCM: [BigInt] = [1], divisorLCM: [BigInt] = [1], needs = [0]
        var levelsSoFar = 0
        for (index, step) in plan.steps.enumerated() {
            let inputs = plan.graph.nodes[index].inputs
            var lcm = BigInt(1)
            for v in inputs { lcm = lcm.leastCommonMultiple(with: inputLCM[v] * divisorLCM[v]) }
            var divisors = BigInt(1)
            switch step {
            case .affine(let operation):
                for u in 0..<operation.outputCount where operation.divisor(of: u) != 1 {
                    divisors = divisors.leastCommonMultiple(with: BigInt(operation.divisor(of: u)))
                }
            case .piecewise, .maxPool:
                levelsSoFar += 1
            }
            inputLCM.append(lcm); divisorLCM.append(divisors); needs.append(levelsSoFar)
        }
        self.inputLCM = inputLCM; self.divisorLCM = divisorLCM; needsLevels = needs
    }
}

extension GraphSubdivision {
    /// The ancestor of region f (as it entered level m) as it entered level `level` ≤ m.
    func ancestor(of f: Int32, level m: Int, at level: Int) -> Int32 {
        var region = f
        var current = m
        while current > level { region = entryParent[current][Int(region)]; current -= 1 }
        return region
    }

    /// Unit u of value v, exactly (over the value's denominator), on region f as it entered level m.
    func exactUnit(value v: Int, unit u: Int, level m: Int, region f: Int32) -> ExactLine {
        let level = exactLayout.needsLevels[v]
        let region = ancestor(of: f, level: m, at: level)
        let key = ExactUnitKey(level: Int32(level), region: region, value: Int32(v), unit: Int32(u))
        if let cached = exactUnits[key] { return cached }
        let line: ExactLine
        if v == 0 {
            let x1 = Dyadic(plane.anchors[0][u])
            line = ExactLine(a: (Dyadic(plane.anchors[1][u]) - x1).normalized(), b: (Dyadic(plane.anchors[2][u]) - x1).normalized(), c: x1)
        } else {
            let node = plan.graph.nodes[v - 1]
            switch plan.steps[v - 1] {
            case .piecewise(let activation):
                let x = exactUnit(value: node.inputs[0], unit: u, level: level, region: region)
                let m = plan.activationNodes.firstIndex(of: v - 1)!
                if facePattern[Int(region)][plan.patternOffsets[m] + u] {
                    line = x
                } else {
                    let alpha = Dyadic(activation.negativeSlope)
                    line = ExactLine(a: (alpha * x.a).normalized(), b: (alpha * x.b).normalized(), c: (alpha * x.c).normalized())
                }
            case .maxPool(let pool):
                let m = plan.activationNodes.firstIndex(of: v - 1)!
                let winner = pool.winner(of: u, pattern: facePattern[Int(region)], offset: plan.patternOffsets[m])
                line = exactUnit(value: node.inputs[0], unit: pool.unit(window: u, slot: winner), level: level, region: region)
            case .affine(let operation):
                let inputLCM = exactLayout.inputLCM[v]
                let slotScale = node.inputs.map { w in (inputLCM / (exactLayout.inputLCM[w] * exactLayout.divisorLCM[w])).dyadic }
                let perUnit = (exactLayout.divisorLCM[v] / BigInt(operation.divisor(of: u))).dyadic
                var a = Dyadic.zero, b = Dyadic.zero, c = Dyadic.zero
                operation.forEachTap(of: u) { slot, index, weight in
                    let x = exactUnit(value: node.inputs[slot], unit: index, level: level, region: region)
                    let w = Dyadic(weight) * slotScale[slot]
                    if !x.a.isZero { a += w * x.a }
                    if !x.b.isZero { b += w * x.b }
                    if !x.c.isZero { c += w * x.c }
                }
                let biasValue = operation.bias(of: u)
                if biasValue != 0 { c += Dyadic(biasValue) * inputLCM.dyadic }
                line = ExactLine(a: (a * perUnit).normalized(), b: (b * perUnit).normalized(), c: (c * perUnit).normalized())
            }
        }
        exactUnits[key] = line
        return line
    }
}

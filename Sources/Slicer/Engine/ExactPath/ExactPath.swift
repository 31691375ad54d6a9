import BigInt
import Polytope

/// The exact maps of every value on the depth-first path, updated in place: the exact counterpart
/// of the float maps of `GraphSubdivision+Path`.
///
/// Each value is held in its `ExactFormat` as fixed-width integers (`Limbs`), one buffer per value
/// for the whole run. Entering a piece recomputes the activation's outputs whose pattern bit
/// changed or whose input changed since, and passes the changes on: an affine output moves by
/// weight × (change of the input) for each input that changed (`ExactPath+Propagate`), which is
/// exact, so the maps on a face are the same integers whatever path led there. Nothing is copied
/// per face; working memory is one map per value.
final class ExactPath {
    let plan: GraphPlan
    let formats: [ExactFormat]
    /// Per node: its form (nil for max pools, which copy).
    let affineForms: [ExactAffineForm?]
    let activationForms: [ExactActivationForm?]
    /// Per value: 3·count·limbs limbs (rows s, t, constant), two's complement.
    let storage: [Limbs.Pointer]
    /// The pattern bits the activation outputs were computed with.
    var pattern: ActivationPattern
    /// Per level: input units changed since the level's output was brought up to date.
    var pending: [[Int]]
    var pendingMark: [[Bool]]
    /// Per value: a stamp per unit, to list each touched output once.
    let stamps: [UnsafeMutablePointer<UInt32>]
    var stamp: UInt32 = 0
    /// regionAtLevel[m]: the face whose values the maps hold as it entered level m (−1: none).
    var regionAtLevel: [Int32]
    /// Scratch of `propagate`: outputs touched at the node in hand, and their rows before.
    var touchedUnits: [Int] = []
    var touchedOld: [UInt64] = []
    /// Exact lines asked for while their region was on the path (edges need them later).
    var lines: [LineRef: ExactLine] = [:]
    /// Each finished face's logits as exact lines.
    var logits: [Int32: [ExactLine]] = [:]
    /// Lines that were neither on the path nor kept, recomputed by the reference (none expected).
    var fallbacks = 0
    /// Coordinates of the domain's vertices times 2^boxShift fit in 62 bits (nil: no boxes).
    var boxShift: Int?
    /// Per level: the units fixed on the whole domain (`GraphSubdivision+ExactFixed`), once known.
    var fixed: [FixedUnits?]
    /// Per value, as far as worked out: which units' lines can differ between faces.
    var varies: [[Bool]] = []

    init(plan: GraphPlan, input: ExactValueMap) {
        self.plan = plan
        var formats = [ExactPath.inputFormat(input)]
        var affine: [ExactAffineForm?] = [], activation: [ExactActivationForm?] = []
        for (index, step) in plan.steps.enumerated() {
            let inputs = plan.graph.nodes[index].inputs
            switch step {
            case .affine(let operation):
                let form = ExactAffineForm(operation, inputs: inputs.map { formats[$0] }, inputCounts: inputs.map { plan.valueCounts[$0] })
                affine.append(form); activation.append(nil); formats.append(form.output)
            case .piecewise(let operation):
                let form = ExactActivationForm(operation, input: formats[inputs[0]])
                affine.append(nil); activation.append(form); formats.append(form.output)
            case .maxPool:
                affine.append(nil); activation.append(nil); formats.append(formats[inputs[0]])
            }
        }
        self.formats = formats
        affineForms = affine
        activationForms = activation
        storage = zip(plan.valueCounts, formats).map { count, format in
            let size = 3 * count * format.limbs
            let buffer = Limbs.Pointer.allocate(capacity: max(size, 1))
            buffer.initialize(repeating: 0, count: max(size, 1))
            return buffer
        }
        pattern = ActivationPattern(count: plan.patternBits)
        pending = plan.activationNodes.map { _ in [] }
        pendingMark = plan.activationNodes.map { [Bool](repeating: false, count: plan.valueCounts[plan.graph.nodes[$0].inputs[0]]) }
        stamps = plan.valueCounts.map { count in
            let marks = UnsafeMutablePointer<UInt32>.allocate(capacity: max(count, 1))
            marks.initialize(repeating: 0, count: max(count, 1))
            return marks
        }
        regionAtLevel = [Int32](repeating: -1, count: plan.levels + 1)
        regionAtLevel[0] = 0
        fixed = [FixedUnits?](repeating: nil, count: plan.levels)
        computeAll(input)
    }

    deinit {
        for buffer in storage { buffer.deallocate() }
        for marks in stamps { marks.deallocate() }
    }

    /// The input's format: the lowest exponent of its coefficients, over denominator 1.
    static func inputFormat(_ input: ExactValueMap) -> ExactFormat {
        let parts = input.lines.flatMap { [$0.a, $0.b, $0.c] }.filter { !$0.isZero }
        let exponent = parts.map(\.exponent).min() ?? 0
        let bits = parts.map { $0.mantissa.magnitude.bitWidth + $0.exponent - exponent }.max() ?? 0
        return ExactFormat(exponent: exponent, denominator: input.denominator, bits: bits)
    }

    /// Units of value v.
    func count(_ v: Int) -> Int { plan.valueCounts[v] }

    /// Row r of unit u of value v.
    @inline(__always) func row(_ v: Int, _ r: Int, _ u: Int) -> Limbs.Pointer {
        storage[v] + (r * plan.valueCounts[v] + u) * formats[v].limbs
    }

    /// Every value with all activation bits clear: the input, then each affine node as its bias
    /// plus every input unit passed on as a change from zero.
    func computeAll(_ input: ExactValueMap) {
        let format = formats[0], limbs = format.limbs
        for (u, line) in input.lines.enumerated() {
            for (r, part) in [line.a, line.b, line.c].enumerated() where !part.isZero {
                Limbs.store(part.mantissa << (part.exponent - format.exponent), into: row(0, r, u), limbs)
            }
        }
        for (index, step) in plan.steps.enumerated() {
            let node = plan.graph.nodes[index]
            switch step {
            case .affine:
                let form = affineForms[index]!, limbs = form.output.limbs, n = count(index + 1)
                form.bias.withUnsafeBufferPointer { bias in
                    for u in 0..<n { for i in 0..<limbs { row(index + 1, 2, u)[i] = bias[u * limbs + i] } }
                }
                for (slot, v) in node.inputs.enumerated() {
                    var changes = ExactChanges(limbs: formats[v].limbs + 1)
                    for u in 0..<count(v) { changes.append(unit: u, from: self, value: v, old: nil) }
                    apply(changes, slot: slot, node: index, record: false)
                }
            case .piecewise:
                let m = plan.activationNodes.firstIndex(of: index)!
                for u in 0..<count(index + 1) { writeActivation(level: m, unit: u) }
            case .maxPool:
                // No winner bits yet: zero until the first piece is entered (which recomputes it whole).
                break
            }
        }
    }
}

/// Changed units of one value and by how much: per unit, three rows of `limbs` limbs (the change
/// needs one limb more than the value, as a difference of two of them).
struct ExactChanges {
    var limbs: Int
    var units: [Int] = []
    var deltas: [UInt64] = []

    init(limbs: Int) { self.limbs = limbs }

    var isEmpty: Bool { units.isEmpty }

    /// Appends unit u of value v as (new − old), old given as 3 rows of the value's limbs (nil: zero).
    /// Returns false (appending nothing) when it did not change.
    @discardableResult
    mutating func append(unit u: Int, from path: ExactPath, value v: Int, old: UnsafePointer<UInt64>?) -> Bool {
        let valueLimbs = path.formats[v].limbs, size = limbs
        let start = deltas.count
        deltas.append(contentsOf: repeatElement(0, count: 3 * size))
        var moved = false
        deltas.withUnsafeMutableBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: size) { before in
                for r in 0..<3 {
                    let delta = buffer.baseAddress! + start + r * size
                    Limbs.copyExtended(path.row(v, r, u), valueLimbs, into: delta, size)
                    if let old {
                        Limbs.copyExtended(old + r * valueLimbs, valueLimbs, into: before.baseAddress!, size)
                        Limbs.subtract(delta, before.baseAddress!, size)
                    }
                    if !Limbs.isZero(delta, size) { moved = true }
                }
            }
        }
        if moved { units.append(u) } else { deltas.removeLast(3 * size) }
        return moved
    }
}

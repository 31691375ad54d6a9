import Models
import Polytope

/// The exact subdivision of a convex domain of a slice plane by a graph model (every operation of
/// `GraphPlan`, max pooling included: see `GraphSubdivision+MaxPool`).
///
/// Depth-first over the activation nodes: a face entering activation level m is split by every unit
/// of that activation whose zero line crosses it, and each piece, its pattern now fixed, goes on to
/// level m + 1. The float maps of the current path live in one mutable map per value (`maps`, see
/// `GraphSubdivision+Path`): entering a piece changes the activation's outputs only where its bits
/// differ from the ones the maps hold, and only the outputs of the following affine nodes that read
/// them are recomputed, each by its operation's one fixed formula (so a value's float maps are the
/// same whatever path led to them, and the face-independent error bounds hold). Working memory is
/// the path's maps, whatever the number of regions; finished regions keep their pattern, their
/// logits map and their topology.
///
/// What the driver holds beyond `ArrangementDriver`'s parts is in `+State`; the operations' float
/// maps, bounds and exact maps are in `Operations/`, every sign is the sign kernel's (`SignKernel`).
/// The extensions: `+Path` (the path's maps and their incremental updates), `+Split` (a face cut by
/// an activation's units), `+MaxPool`, `+WindowScreen` and `+Compaction` (a face cut by a max pool's
/// windows), `+Threads` (sharing out and the merge), `+Exact` and `+ExactUnits` (the exact reference
/// for certified mode), `+ExactPath`, `+ExactFixed` and `+ExactSigns` (exact mode),
/// `+Boundary` and `+Result` (decision boundary, output).
final class GraphSubdivision: ArrangementDriver {
    typealias ExactState = [Int: ExactValueMap]

    let plan: GraphPlan
    /// How the work is and was shared out over threads.
    var sharing = ThreadSharing()

    /// What was computed exactly so far, and the exact mode's path.
    var exact: GraphExactState
    /// Per level: units positive (negative) at some vertex of some face, and the face count after it.
    var tally: LevelTally
    /// The float maps of the current path and what their incremental updates track.
    var path: PathState

    init(graph: GraphModel, plane: SlicePlane, arithmetic: Arithmetic, maxRegions: Int, parallelism: Parallelism = .serial) throws {
        let plan = try GraphPlan(graph)
        self.plan = plan
        guard graph.inputDimension == plane.dimension else {
            throw TesseraError.badInput("the network takes \(graph.inputDimension) inputs but the anchors have \(plane.dimension) coordinates")
        }
        exact = GraphExactState(layout: ExactValueLayout(plan: plan))
        let counts = plan.valueCounts
        let widths = plan.activationNodes.indices.map { plan.maxPool(level: $0) == nil ? counts[plan.activationNodes[$0] + 1] : plan.levelBits($0) }
        let words = widths.map { [UInt64](repeating: 0, count: ($0 + 63) / 64) }
        tally = LevelTally(positiveSomewhere: words, negativeSomewhere: words, regionsAfter: [Int](repeating: 0, count: widths.count))
        // Pending units are the level's input units (a max pool has more inputs than winner bits).
        path = PathState(bounds: GraphSubdivision.valueBounds(plan: plan, plane: plane),
                         currentPattern: ActivationPattern(count: plan.patternBits), pending: widths.map { _ in [] },
                         pendingMark: plan.activationNodes.map { [Bool](repeating: false, count: counts[graph.nodes[$0].inputs[0]]) })
        super.init(plane: plane, kernel: SignKernel(arithmetic), settings: EngineSettings(maxRegions: maxRegions, parallelism: parallelism))
        // entryParent per level (fresh faces −1), then the logits (3·K a face).
        records.faces.labels = (0...plan.levels).map { _ in FaceColumn(fresh: -1) }
        records.faces.reals = [FaceColumn(width: 3 * counts[graph.outputValue], fresh: 0)]
    }

    /// A copy that goes on on its own (its arrays are copied when either side writes them).
    init(copying other: GraphSubdivision) {
        precondition(other.pathUnits.sharesOut, "this path's maps are not copied")
        plan = other.plan
        exact = other.exact; tally = other.tally; path = other.path
        super.init(copying: other)
    }

    var outputCount: Int { plan.valueCounts[plan.graph.outputValue] }

    /// The input value as a map of the plane: x(s, t) = x1 + s·(x2 − x1) + t·(x3 − x1).
    func inputMap() -> FloatValueMap {
        FloatValueMap(count: plane.dimension, rows: plane.d1 + plane.u + plane.anchors[0])
    }

    /// Bounds of every value, propagated once through the operations' units. The input: x1 is exact
    /// and fl(x2 − x1) is within u of the exact difference, which 2u·|fl(x2 − x1)| covers.
    static func valueBounds(plan: GraphPlan, plane: SlicePlane) -> [ValueBound] {
        let rows = plane.d1 + plane.u + plane.anchors[0]
        let d = plane.dimension
        let input = ValueBound(count: d, error: rows.enumerated().map { inputError(of: $0.element, rounded: $0.offset < 2 * d) },
                               magnitude: rows.map { abs($0) })
        var bounds = [input]
        for (index, step) in plan.steps.enumerated() {
            let inputs = plan.graph.nodes[index].inputs.map { bounds[$0] }
            switch step {
            case .affine(let operation): bounds.append(operation.bound(inputs))
            case .piecewise(let operation): bounds.append(operation.bound(inputs[0]))
            case .maxPool(let operation): bounds.append(operation.bound(inputs[0]))
            }
        }
        return bounds
    }

    /// Sets up the domain as the single face 0.
    func setUpDomain(_ corners: [(s: Double, t: Double)]) {
        setUpDomainFace(corners, patternBits: plan.patternBits)
    }

    /// Runs the whole graph over the domain.
    func run() throws {
        pathUnits.start(self)
        computeAllMaps()
        if plan.levels == 0 { finish(face: 0) }
        else if parallelism.threads > 1, canShareOut { try descendSharingOut() }
        else { try descend(face: 0, level: 0) }
    }

    /// Screens the domain (`DomainScreen`) and sets the bits of the units positive on all of it, on
    /// the domain face (so every face inherits them) and in the path's pattern.
    func applyScreen() {
        let screen = DomainScreen(plan: plan, plane: plane, corners: domainCorners)
        self.screen = screen
        for m in 0..<plan.levels where plan.maxPool(level: m) == nil {
            setBits(face: 0, offset: plan.patternOffsets[m], units: screen.positive[m])
            for j in screen.positive[m] { currentPattern[plan.patternOffsets[m] + j] = true }
        }
    }

    /// The first node after level m's affine nodes: the activation node of level m, or the end.
    func levelEnd(_ m: Int) -> Int { m < plan.levels ? plan.activationNodes[m] : plan.graph.nodes.count }

    /// Splits face f (as it enters level m; `maps` hold its values) by the level's units, then takes
    /// each piece on. A `hint` (certified mode) names the units left to test on f.
    func descend(face f: Int32, level m: Int, hint: LevelHint? = nil) throws {
        let inputValue = plan.graph.nodes[plan.activationNodes[m]].inputs[0]
        if plan.maxPool(level: m) != nil {
            let pieces = try splitByWindows(face: f, level: m, map: maps[inputValue], bound: bounds[inputValue])
            regionsAfter[m] += pieces.count
            if m + 1 < plan.levels, let first = pieces.first { records.faces.storeWaiting(pieces, against: first) }
            for g in pieces {
                records.faces.expandPattern(face: g)
                enter(level: m, face: g)
                entryParent[m + 1][Int(g)] = f
                if m + 1 < plan.levels { try descend(face: g, level: m + 1) } else { finish(face: g) }
            }
            return
        }
        let polygon = topology.faces[Int(f)].vertices
        let (cut, crossing) = try split(face: f, level: m, map: maps[inputValue], bound: bounds[inputValue], hint: hint)
        regionsAfter[m] += cut.count
        let pieces = nearbyOrder(cut, level: m, crossing: crossing)
        // Pieces of the last level are finished one after another: they wait too briefly to store.
        if m + 1 < plan.levels { records.faces.storeWaiting(pieces, against: pieces[0]) }
        prepareParentWindows(level: m + 1, polygon: polygon)
        var next: LevelHint? = nil
        for (i, g) in pieces.enumerated() {
            records.faces.expandPattern(face: g)
            enter(level: m, face: g)
            entryParent[m + 1][Int(g)] = f
            if m + 1 < plan.levels {
                if i == 0, plan.maxPool(level: m + 1) == nil { next = sharedHint(level: m + 1, polygon: polygon, crossing: crossing) }
                try descend(face: g, level: m + 1, hint: next)
            } else {
                finish(face: g)
            }
        }
    }

    /// The pieces in an order where each differs from the one before in few crossing units (greedy
    /// nearest neighbour in Hamming distance), so that entering the next one recomputes little.
    /// Capped at a few thousand pieces (quadratic); the order changes no result, only numbering.
    func nearbyOrder(_ pieces: [Int32], level m: Int, crossing: [Int]) -> [Int32] {
        let p = pieces.count
        guard p > 2, p <= 4096 else { return pieces }
        let offset = plan.patternOffsets[m], words = (crossing.count + 63) / 64
        var bits = [UInt64](repeating: 0, count: p * words)
        for (i, g) in pieces.enumerated() {
            let pattern = facePattern[Int(g)]
            for (k, j) in crossing.enumerated() where pattern[offset + j] { bits[i * words + (k >> 6)] |= 1 << UInt64(k & 63) }
        }
        var order = [0], used = [Bool](repeating: false, count: p)
        used[0] = true
        var last = 0
        for _ in 1..<p {
            var best = -1, bestDistance = Int.max
            for i in 0..<p where !used[i] {
                var distance = 0
                for w in 0..<words { distance += (bits[i * words + w] ^ bits[last * words + w]).nonzeroBitCount }
                if distance < bestDistance { bestDistance = distance; best = i; if distance <= 1 { break } }
            }
            used[best] = true; order.append(best); last = best
        }
        return order.map { pieces[$0] }
    }

    /// Records a finished face's logits (`GraphPathUnits`) and stores its pattern as differences
    /// (`FaceColumns.finishPattern`).
    func finish(face f: Int32) {
        pathUnits.finish(self, face: f)
        records.faces.finishPattern(face: Int(f))
    }

    /// Records a finished face's logits from the float maps.
    func finishFromFloatMaps(face f: Int32) {
        let map = maps[plan.graph.outputValue]
        let k = outputCount
        for i in 0..<(3 * k) { logits[Int(f) * 3 * k + i] = map.rows[i] }
    }

}

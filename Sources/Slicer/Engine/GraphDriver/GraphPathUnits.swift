import Polytope

/// How the graph driver's depth-first path knows the units it cuts by: from float maps with error
/// bounds and the domain screen (`FloatPathUnits`, the certified kernel's), or from exact integer
/// maps of the path (`ExactPathUnits`, the exact kernel's). The sign kernel picks one when the
/// driver is made (`SignKernel.pick`); the driver calls it and never asks which it holds.
protocol GraphPathUnits: Sendable {
    /// Sets the path up once, before the descent.
    func start(_ engine: GraphSubdivision)
    /// Brings the path's maps to piece g's bits at level m.
    func enter(_ engine: GraphSubdivision, level m: Int, face g: Int32)
    /// Sets on face f the bits of level k's units that keep one sign on the whole domain.
    func setFixedBits(_ engine: GraphSubdivision, face f: Int32, level k: Int)
    /// The classes of `units` of level m's input (nil: those that may change sign) over a face's
    /// `vertices`; `map` and `bound` are the input's float map and its bounds.
    func classify(_ engine: GraphSubdivision, units: [Int]?, vertices: [Int32], level m: Int, map: FloatValueMap,
                  bound: ValueBound) -> (positive: [Int], negative: [Int], crossing: [Int], ambiguous: [Int])
    /// Records a finished face's logits.
    func finish(_ engine: GraphSubdivision, face f: Int32)
    /// A line exactly.
    func exactLine(_ engine: GraphSubdivision, _ ref: LineRef) -> ExactLine
    /// Unit u of value v on the region that face f was as it entered level m, recomputed by the reference.
    func referenceUnit(_ engine: GraphSubdivision, value v: Int, unit u: Int, level m: Int, region f: Int32) -> ExactLine
    /// Whether copies of the engine may take pieces on other threads (the path's maps are copied).
    var sharesOut: Bool { get }
}

/// The certified kernel's path: float maps brought up to date incrementally, classes from their
/// error bounds, exact lines unit by unit (few are asked for).
struct FloatPathUnits: GraphPathUnits {
    func start(_ engine: GraphSubdivision) { engine.applyScreen() }
    func enter(_ engine: GraphSubdivision, level m: Int, face g: Int32) { engine.enterFloatMaps(level: m, face: g) }
    func setFixedBits(_ engine: GraphSubdivision, face f: Int32, level k: Int) {}  // the screen's bits are inherited
    func classify(_ engine: GraphSubdivision, units: [Int]?, vertices: [Int32], level m: Int, map: FloatValueMap,
                  bound: ValueBound) -> (positive: [Int], negative: [Int], crossing: [Int], ambiguous: [Int]) {
        engine.classify(units: units ?? engine.screen?.unsettled[m], vertices: vertices, map: map, bound: bound)
    }
    func finish(_ engine: GraphSubdivision, face f: Int32) { engine.finishFromFloatMaps(face: f) }
    func exactLine(_ engine: GraphSubdivision, _ ref: LineRef) -> ExactLine { engine.referenceLine(ref) }
    func referenceUnit(_ engine: GraphSubdivision, value v: Int, unit u: Int, level m: Int, region f: Int32) -> ExactLine {
        engine.exactUnit(value: v, unit: u, level: m, region: f)
    }
    var sharesOut: Bool { true }
}

/// The exact kernel's path: exact integer maps follow the path (`GraphSubdivision+ExactPath`),
/// every class is decided on them, and most lines of a region are asked for, so the reference
/// builds regions' states whole.
struct ExactPathUnits: GraphPathUnits {
    func start(_ engine: GraphSubdivision) { engine.startExactPath() }
    func enter(_ engine: GraphSubdivision, level m: Int, face g: Int32) { engine.enterExactly(level: m, face: g) }
    func setFixedBits(_ engine: GraphSubdivision, face f: Int32, level k: Int) { engine.setExactlyFixedBits(face: f, level: k) }
    func classify(_ engine: GraphSubdivision, units: [Int]?, vertices: [Int32], level m: Int, map: FloatValueMap,
                  bound: ValueBound) -> (positive: [Int], negative: [Int], crossing: [Int], ambiguous: [Int]) {
        engine.classifyExactly(units: units, vertices: vertices, level: m)
    }
    func finish(_ engine: GraphSubdivision, face f: Int32) { engine.finishExactly(face: f) }
    func exactLine(_ engine: GraphSubdivision, _ ref: LineRef) -> ExactLine {
        guard let path = engine.exactPath else { preconditionFailure("exact mode without its exact maps") }
        return engine.pathLine(ref, path)
    }
    func referenceUnit(_ engine: GraphSubdivision, value v: Int, unit u: Int, level m: Int, region f: Int32) -> ExactLine {
        engine.exactState(level: m, region: f)[v]!.lines[u]
    }
    var sharesOut: Bool { false }
}

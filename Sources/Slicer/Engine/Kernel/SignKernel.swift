import Polytope

/// Every sign the engines decide, behind one interface with two implementations: `certified` tries
/// each predicate's float filter (its error bound from `ErrorModel.swift`) and falls back on exact
/// arithmetic only when the bound does not settle it; `exact` decides everything exactly. Engines ask
/// the kernel; only the kernel knows which implementation answers.
enum SignKernel: Sendable {
    case certified
    case exact

    init(_ arithmetic: Arithmetic) {
        switch arithmetic {
        case .certified: self = .certified
        case .exact: self = .exact
        }
    }

    /// The arithmetic this kernel implements (named in results).
    var arithmetic: Arithmetic {
        switch self {
        case .certified: return .certified
        case .exact: return .exact
        }
    }

    /// This kernel's one of two implementations of something the engines do in two ways (how a
    /// driver gets its units' classes and exact lines: `GraphPathUnits`, `NeuronLineSource`): the one
    /// place outside the predicates that tells the arithmetics apart.
    func pick<T>(certified: @autoclosure () -> T, exact: @autoclosure () -> T) -> T {
        switch self {
        case .certified: return certified()
        case .exact: return exact()
        }
    }

    /// Whether a float filter may settle a sign.
    private var filters: Bool { self == .certified }
}

/// How a unit's float values over a face settle its sign there.
enum UnitSign {
    case positive, negative, crossing, undecided
}

extension SignKernel {
    /// The exact sign of `line` at vertex v of `engine`: 0 when v was built on the line's zero set
    /// (symbolic); else the float value's sign when its bound (`CertifiedLine.evaluate`) excludes
    /// zero; else the exact sign. Each decision is counted in `engine.counts`.
    @inline(__always)
    func sign<Engine: KernelEngine>(_ line: CertifiedLine, at v: Int32, in engine: Engine) -> Int {
        let record = engine.vertexRecords[Int(v)]
        if record.lineA.sameZeroSet(as: line.ref) || record.lineB.sameZeroSet(as: line.ref)
            || LineRef.poolTie(record.lineA, record.lineB, implies: line.ref) {
            engine.counts.symbolic += 1
            return 0
        }
        if filters {
            let (value, bound) = line.evaluate(at: record)
            // NaN or infinite values fail both tests and fall through to the exact sign.
            if value > bound { engine.counts.certified += 1; return 1 }
            if value < -bound { engine.counts.certified += 1; return -1 }
        }
        engine.counts.exact += 1
        return engine.exactLine(line.ref).side(of: engine.exactVertex(v))
    }

    /// A unit whose float values at a face's vertices span [low, high], each within `bound` of the
    /// true value (`affineFormBound` at the face's maxima): positive, negative or crossing when the
    /// bound settles it, else undecided (NaN included; always, exact).
    @inline(__always)
    func classify(low: Double, high: Double, bound e: Double) -> UnitSign {
        guard filters else { return .undecided }
        if low > e { return .positive }
        if high < -e { return .negative }
        if low < -e && high > e { return .crossing }
        return .undecided
    }

    /// `classify` for eight units at once, as bit masks (bit i for lane i); the rest are undecided.
    @inline(__always)
    func classify(low: SIMD8<Double>, high: SIMD8<Double>, bound e: SIMD8<Double>)
        -> (positive: UInt64, negative: UInt64, crossing: UInt64) {
        guard filters else { return (0, 0, 0) }
        let lanes = SIMD8<UInt64>(1, 2, 4, 8, 16, 32, 64, 128), none = SIMD8<UInt64>(repeating: 0)
        return (none.replacing(with: lanes, where: low .> e).wrappedSum(),
                none.replacing(with: lanes, where: high .< -e).wrappedSum(),
                none.replacing(with: lanes, where: (low .< -e) .& (high .> e)).wrappedSum())
    }

    /// The one of several functions that certainly exceeds every other on a face, given each one's
    /// float range over the face widened by its bound, [low_i, high_i]; nil when none certainly
    /// does (NaN included; always, exact: the caller then builds the envelope exactly).
    func dominant<Values: RandomAccessCollection<Double>>(low: Values, high: Values) -> Int? where Values.Index == Int {
        guard filters, let best = low.indices.max(by: { low[$0] < low[$1] }) else { return nil }
        return high.indices.allSatisfy({ $0 == best || high[$0] < low[best] }) ? best : nil
    }

    /// True when `line`'s function is zero on the whole plane: false at once when a coefficient's
    /// float value exceeds its bound, else decided exactly.
    func vanishes<Engine: KernelEngine>(_ line: CertifiedLine, in engine: Engine) -> Bool {
        if filters && (abs(line.a) > line.ea || abs(line.b) > line.eb || abs(line.c) > line.ec) { return false }
        let exact = engine.exactLine(line.ref)
        return exact.a.isZero && exact.b.isZero && exact.c.isZero
    }

    /// A new vertex of `engine` where `line` crosses the edge on `edgeLine` (whose ends it strictly
    /// separates).
    ///
    /// Certified, its coordinates are the intersection of the two lines' float coefficients
    /// (`CertifiedLine.intersect`), so their error depends on the coefficients' bounds only and does
    /// not accumulate from vertex to vertex; exact (or when the bound cannot exclude parallel lines),
    /// the exact intersection, rounded.
    func crossingVertex<Engine: KernelEngine>(edgeLine: CertifiedLine, line: CertifiedLine, in engine: Engine) -> Int32 {
        if filters, let (s, t, delta) = CertifiedLine.intersect(edgeLine, line) {
            return engine.addVertex(s: s, t: t, delta: delta, lineA: edgeLine.ref, lineB: line.ref)
        }
        let v = engine.addVertex(s: 0, t: 0, delta: 0, lineA: edgeLine.ref, lineB: line.ref)
        let point = engine.exactVertex(v).approximate
        engine.vertexRecords[Int(v)].s = point.x
        engine.vertexRecords[Int(v)].t = point.y
        // approximate() is within about two ulps of the exact value.
        engine.vertexRecords[Int(v)].delta = certifiedBound(conversionError(of: max(abs(point.x), abs(point.y))))
        if !point.x.isFinite || !point.y.isFinite { engine.vertexRecords[Int(v)].delta = .infinity }
        return v
    }
}

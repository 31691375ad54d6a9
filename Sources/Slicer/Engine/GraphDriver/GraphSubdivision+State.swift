import Models
import Polytope

/// The graph driver's state, grouped by what it holds; each part's fields by name for the driver's code.

/// How the first level's pieces are shared out over threads (`GraphSubdivision+Threads`).
struct ThreadSharing {
    /// Tests: share the pieces out round robin instead of to whichever copy is free.
    var roundRobin = false
    /// Told (pieces done, pieces) as the first level's pieces are finished on several threads.
    var progress: (@Sendable (Int, Int) -> Void)?
    /// Copies that took pieces, and vertices both sides made on a seam.
    var workers = 1
    var seamTwins = 0
}

/// What the graph driver computed exactly so far.
struct GraphExactState {
    /// Certified mode's exact lines, unit by unit (see `GraphSubdivision+ExactUnits`).
    let layout: ExactValueLayout
    var units: [ExactUnitKey: ExactLine] = [:]
    /// Whole exact states of regions, the reference's (see `GraphSubdivision+Exact`).
    var states: [Int64: GraphSubdivision.ExactState] = [:]
    /// Exact mode's maps of the path (see `GraphSubdivision+ExactPath`).
    var path: ExactPath?
}

/// Per level: units positive (negative) at some vertex of some face, and the face count after it.
struct LevelTally {
    var positiveSomewhere: [[UInt64]]
    var negativeSomewhere: [[UInt64]]
    var regionsAfter: [Int]
}

/// The float maps of every value on the current path and what their incremental updates track
/// (`GraphSubdivision+Path`).
struct PathState {
    /// Face-independent error bounds of every value's float maps.
    let bounds: [ValueBound]
    var maps: [FloatValueMap] = []
    /// The pattern bits the activation outputs in `maps` were computed with.
    var currentPattern: ActivationPattern
    /// Per level: units of the activation's input changed since its output was brought up to date.
    var pending: [[Int]]
    var pendingMark: [[Bool]]
    /// Per value: a stamp per unit, to list each changed unit once.
    var changeStamp: [[UInt32]] = []
    var stamp: UInt32 = 0
    /// Certified mode: the units that may change sign on the domain (the rest keep one sign on every face).
    var screen: DomainScreen?
    /// Per max-pool level: its windows on the polygon the current face was cut from (`ParentWindows`).
    var parentWindows: [ParentWindows?]

    init(bounds: [ValueBound], currentPattern: ActivationPattern, pending: [[Int]], pendingMark: [[Bool]]) {
        self.bounds = bounds; self.currentPattern = currentPattern; self.pending = pending; self.pendingMark = pendingMark
        parentWindows = pending.map { _ in nil }
    }
}

extension GraphSubdivision {
    /// How the path knows its units, as the kernel's arithmetic has it.
    var pathUnits: any GraphPathUnits { kernel.pick(certified: FloatPathUnits(), exact: ExactPathUnits()) }

    /// entryParent[m][f], m ≥ 1: the face (as it entered level m − 1) that face f was cut from when it
    /// entered level m; level `levels` is the output. Names the region of every line for exact
    /// recomputation. Registered face columns 0...levels.
    var entryParent: [FaceColumn<Int32>] {
        _read { yield records.faces.labels }
        _modify { yield &records.faces.labels }
    }
    /// Per face, the logits' float map (3·K values), set when the face is finished (a registered face column).
    var logits: [Double] {
        _read { yield records.faces.reals[0].values }
        _modify { yield &records.faces.reals[0].values }
    }

    var roundRobin: Bool {
        get { sharing.roundRobin }
        set { sharing.roundRobin = newValue }
    }
    var progress: (@Sendable (Int, Int) -> Void)? {
        get { sharing.progress }
        set { sharing.progress = newValue }
    }

    var exactLayout: ExactValueLayout { exact.layout }
    var exactUnits: [ExactUnitKey: ExactLine] {
        _read { yield exact.units }
        _modify { yield &exact.units }
    }
    var exactStates: [Int64: ExactState] {
        _read { yield exact.states }
        _modify { yield &exact.states }
    }
    var exactPath: ExactPath? {
        _read { yield exact.path }
        _modify { yield &exact.path }
    }

    var positiveSomewhere: [[UInt64]] {
        _read { yield tally.positiveSomewhere }
        _modify { yield &tally.positiveSomewhere }
    }
    var negativeSomewhere: [[UInt64]] {
        _read { yield tally.negativeSomewhere }
        _modify { yield &tally.negativeSomewhere }
    }
    var regionsAfter: [Int] {
        _read { yield tally.regionsAfter }
        _modify { yield &tally.regionsAfter }
    }

    var bounds: [ValueBound] { path.bounds }
    var maps: [FloatValueMap] {
        _read { yield path.maps }
        _modify { yield &path.maps }
    }
    var currentPattern: ActivationPattern {
        _read { yield path.currentPattern }
        _modify { yield &path.currentPattern }
    }
    var pending: [[Int]] {
        _read { yield path.pending }
        _modify { yield &path.pending }
    }
    var pendingMark: [[Bool]] {
        _read { yield path.pendingMark }
        _modify { yield &path.pendingMark }
    }
    var changeStamp: [[UInt32]] {
        _read { yield path.changeStamp }
        _modify { yield &path.changeStamp }
    }
    var stamp: UInt32 {
        _read { yield path.stamp }
        _modify { yield &path.stamp }
    }
    var screen: DomainScreen? {
        _read { yield path.screen }
        _modify { yield &path.screen }
    }
}

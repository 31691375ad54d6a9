/// A vertex: coordinates (s, t) in Double with an error bound `delta` (both |s̃ − s| and
/// |t̃ − t| ≤ delta), and the two lines whose intersection defines it exactly.
struct VertexRecord {
    var s: Double
    var t: Double
    var delta: Double
    var lineA: LineRef
    var lineB: LineRef
}

/// Vertex records for reading in hot loops.
// @unchecked: a read-only view; its owner keeps the records alive and unchanged while views are read.
struct VertexView: @unchecked Sendable {
    let records: UnsafePointer<VertexRecord>
    subscript(_ v: Int32) -> VertexRecord { records[Int(v)] }
}

/// Counters of how decisions were taken (for tests and benchmarks).
public struct DecisionCounts: Sendable {
    public var certified = 0
    public var symbolic = 0
    public var exact = 0
}

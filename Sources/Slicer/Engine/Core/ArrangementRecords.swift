import Polytope

/// What an engine's arrangement holds beside its topology (`PlanarTopology`): each vertex's float
/// coordinates and defining lines, each edge's supporting line, each face's activation pattern and
/// other columns (`FaceColumns`), the domain, and the exact vertices computed so far. One value, so that both engines hold the same
/// columns and a copy for another thread takes all of them at once.
///
/// Apart from the topology because a split rewrites the topology while it adds vertices and edge
/// lines here (two stored properties of the engine, so the two accesses never overlap).
struct ArrangementRecords {
    /// Vertices, one 64-byte record each (a sign decision reads all of it at once).
    var vertexRecords: [VertexRecord] = []
    /// Each edge's supporting line, in floating point with bounds (and its exact reference);
    /// parallel to the topology's edges, apart so the edges the splits walk stay compact.
    var edgeLines: [CertifiedLine] = []
    /// Each face's pattern and the driver's other per-face columns.
    var faces = FaceColumns()
    var domainCorners: [(s: Double, t: Double)] = []
    var domainLines: [ExactLine] = []
    /// The domain face's corner count (vertices 0..<n): the domain's, or its strip's.
    var domainVertexCount = 0
    /// Domain lines from this index on are a strip's seams (`SliceStrip`).
    var firstSeamLine = Int.max
    /// Exact vertices computed so far (recomputed on demand from their two lines).
    var exactVertexCache: [Int32: ExactPoint] = [:]
}

/// Each column of the records by name, for the engines' code.
extension KernelEngine {
    var vertexRecords: [VertexRecord] {
        _read { yield records.vertexRecords }
        _modify { yield &records.vertexRecords }
    }
    var edgeLines: [CertifiedLine] {
        _read { yield records.edgeLines }
        _modify { yield &records.edgeLines }
    }
    var facePattern: [ActivationPattern] {
        _read { yield records.faces.patterns.values }
        _modify { yield &records.faces.patterns.values }
    }
    var domainCorners: [(s: Double, t: Double)] {
        _read { yield records.domainCorners }
        _modify { yield &records.domainCorners }
    }
    var domainLines: [ExactLine] {
        _read { yield records.domainLines }
        _modify { yield &records.domainLines }
    }
    var domainVertexCount: Int {
        _read { yield records.domainVertexCount }
        _modify { yield &records.domainVertexCount }
    }
    var firstSeamLine: Int {
        _read { yield records.firstSeamLine }
        _modify { yield &records.firstSeamLine }
    }
    var exactVertexCache: [Int32: ExactPoint] {
        _read { yield records.exactVertexCache }
        _modify { yield &records.exactVertexCache }
    }
}

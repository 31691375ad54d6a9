import Foundation
import Models
import Polytope

/// Several threads: the pieces the first activation cuts from the domain are shared out between
/// copies of the engine (each copy takes the next run of neighbouring pieces, in the one-thread
/// order, when it is done with one) and the copies are merged into one subdivision, numbered as one
/// thread numbers it.
///
/// A copy splits only its own pieces, but a split that reaches a piece's edge also puts its vertex
/// into the neighbouring piece's cycle. Where that neighbour belongs to another copy (a seam), both
/// copies made vertices along the edge: the merge orders them along it (`SeamOrder`), keeps one
/// vertex per point (the one the earlier piece made, as one thread would have) and gives each face
/// every vertex of its side. Faces and vertices keep the one-thread order (piece by piece); edges
/// are numbered by first appearance in the faces' cycles. The arithmetic is the one-thread
/// arithmetic: every copy decides the same signs with the same floats, because a value's maps do not
/// depend on the path that led to them.
extension GraphSubdivision {
    /// True when the work can be shared out: no exact path (its maps are not copied), two or more
    /// activation levels and a first level that is not a max pool (the pieces shared out are its
    /// cells). A later max pool's envelope merges and renumbers only faces, edges and vertices its
    /// copy made for the piece at hand, so each piece's still form one contiguous run.
    var canShareOut: Bool {
        pathUnits.sharesOut && plan.levels >= 2 && plan.maxPool(level: 0) == nil
    }

    /// Splits the domain (face 0) by the first level, then descends into its pieces on one copy per thread.
    func descendSharingOut() throws {
        let inputValue = plan.graph.nodes[plan.activationNodes[0]].inputs[0]
        let polygon = topology.faces[0].vertices
        let (cut, crossing) = try split(face: 0, level: 0, map: maps[inputValue], bound: bounds[inputValue])
        regionsAfter[0] += cut.count
        let pieces = nearbyOrder(cut, level: 0, crossing: crossing)
        prepareParentWindows(level: 1, polygon: polygon)
        enter(level: 0, face: pieces[0])
        let hint = plan.maxPool(level: 1) == nil ? sharedHint(level: 1, polygon: polygon, crossing: crossing) : nil
        let workers = parallelism.workers(for: pieces.count)
        guard workers > 1 else {
            entryParent[1][Int(pieces[0])] = 0
            return try descend(face: pieces[0], level: 1, hint: hint)
        }
        // Runs of neighbouring pieces: entering a piece next to the last one recomputes little.
        // The waiting pieces' patterns are stored as differences, small enough for every copy to hold.
        let queue = PieceQueue(count: pieces.count, run: max(1, pieces.count / (workers * 16)),
                               workers: roundRobin ? workers : nil)
        records.faces.storeWaiting(pieces, against: pieces[0])
        let copies = (0..<workers).map { _ in GraphSubdivision(copying: self) }
        let progress = self.progress
        parallelism.perform(workers) { w in
            let engine = copies[w]
            do {
                while let run = queue.next(worker: w) {
                    for i in run {
                        queue.record(try engine.descend(piece: pieces[i], index: i, worker: w, hint: hint), progress: progress)
                    }
                }
            } catch {
                queue.fail(error)
            }
        }
        if let error = queue.error { throw error }
        merge(copies, pieces: pieces, records: queue.records.sorted { $0.piece < $1.piece })
        sharing.workers = Set(queue.records.map(\.worker)).count
        if topology.faces.count > maxRegions {
            throw TesseraError.limitExceeded("the slice exceeds --max-regions \(maxRegions); raise the limit or shrink the domain")
        }
    }

    /// Numbers the edges by first appearance in the faces' cycles (as the merge of several threads does).
    func renumberEdgesByFirstAppearance() {
        let (renumbered, oldEdge) = topology.renumberedEdges()
        topology = renumbered
        edgeLines = oldEdge.map { edgeLines[Int($0)] }
    }

    /// Takes piece g of the first level (number `index` in the one-thread order) down to the last.
    func descend(piece g: Int32, index: Int, worker: Int, hint: LevelHint?) throws -> PieceRecord {
        let faces = Int32(topology.faces.count), vertices = Int32(vertexRecords.count)
        records.faces.expandPattern(face: g)
        enter(level: 0, face: g)
        entryParent[1][Int(g)] = 0
        try descend(face: g, level: 1, hint: hint)
        return PieceRecord(piece: index, worker: worker, faces: faces..<Int32(topology.faces.count),
                           vertices: vertices..<Int32(vertexRecords.count))
    }

    /// Makes this engine (as it was when the copies were made) the union of the copies' work.
    func merge(_ copies: [GraphSubdivision], pieces: [Int32], records: [PieceRecord]) {
        let forkFaces = Int32(topology.faces.count), forkVertices = Int32(vertexRecords.count)
        var owner = [Int](repeating: -1, count: Int(forkFaces))
        for record in records { owner[Int(pieces[record.piece])] = record.worker }

        // Faces in the one-thread order: the pieces keep their ids, the faces cut from them follow piece by piece.
        var newFace = copies.map { [Int32](repeating: -1, count: $0.topology.faces.count) }
        var faceSource: [(worker: Int, face: Int32)] = (0..<forkFaces).map { (owner[Int($0)], $0) }
        for w in copies.indices { for f in 0..<Int(forkFaces) { newFace[w][f] = Int32(f) } }
        for record in records {
            for f in record.faces {
                newFace[record.worker][Int(f)] = Int32(faceSource.count)
                faceSource.append((record.worker, f))
            }
        }

        // Seams: pieces of different copies along one edge of the first level.
        var seams = SeamMerge()
        for e in 0..<topology.edges.count {
            let edge = topology.edges[e]
            guard edge.faceA >= 0, edge.faceB >= 0, owner[Int(edge.faceA)] != owner[Int(edge.faceB)] else { continue }
            seams.add(edge: Int32(e), between: edge.faceA, and: edge.faceB, owner: owner, base: self, copies: copies)
        }

        sharing.seamTwins = seams.twin.count / 2
        // Vertices in the one-thread order; a vertex made again on a seam is the earlier piece's.
        var newVertex = copies.map { [Int32](repeating: -1, count: $0.vertexRecords.count) }
        var vertexSource: [(worker: Int, vertex: Int32)] = (0..<forkVertices).map { (-1, $0) }
        for w in copies.indices { for v in 0..<Int(forkVertices) { newVertex[w][v] = Int32(v) } }
        for record in records {
            for v in record.vertices {
                if let twin = seams.twin[SeamVertex(worker: record.worker, vertex: v)], newVertex[twin.worker][Int(twin.vertex)] >= 0 {
                    newVertex[record.worker][Int(v)] = newVertex[twin.worker][Int(twin.vertex)]
                } else {
                    newVertex[record.worker][Int(v)] = Int32(vertexSource.count)
                    vertexSource.append((record.worker, v))
                }
            }
        }

        // Each face's cycle, with the other side's seam vertices put in, and where each edge came from.
        var cycles: [[Int32]] = [], edgeSources: [[(worker: Int, edge: Int32)]] = []
        cycles.reserveCapacity(faceSource.count); edgeSources.reserveCapacity(faceSource.count)
        for (w, f) in faceSource {
            let face = copies[w].topology.faces[Int(f)]
            var cycle: [Int32] = [], sources: [(worker: Int, edge: Int32)] = []
            cycle.reserveCapacity(face.vertices.count); sources.reserveCapacity(face.vertices.count)
            for (k, v) in face.vertices.enumerated() {
                let e = face.edges[k]
                cycle.append(newVertex[w][Int(v)]); sources.append((w, e))
                guard let inner = seams.inner[SeamEdge(worker: w, edge: e)] else { continue }
                let along = inner.from == v ? inner.vertices : inner.vertices.reversed()
                for x in along {
                    cycle.append(newVertex[x.worker][Int(x.vertex)]); sources.append((w, e))
                }
            }
            cycles.append(cycle); edgeSources.append(sources)
        }
        for copy in copies { copy.topology.faces = [] }  // the cycles above replace them

        func region(_ ref: LineRef, _ w: Int) -> LineRef {
            var ref = ref
            if ref.region >= forkFaces { ref.region = newFace[w][Int(ref.region)] }
            return ref
        }
        var lines: [CertifiedLine] = []
        topology = PlanarTopology(cycles: cycles, label: { f, k in
            let (w, e) = edgeSources[f][k]
            let edge = copies[w].topology.edges[Int(e)]
            return (edge.layer, edge.neuron)
        }, edgeAdded: { f, k in
            let (w, e) = edgeSources[f][k]
            var line = copies[w].edgeLines[Int(e)]
            line.ref = region(line.ref, w)
            lines.append(line)
        })
        edgeLines = lines

        vertexRecords = vertexSource.map { w, v in
            guard w >= 0 else { return vertexRecords[Int(v)] }
            var record = copies[w].vertexRecords[Int(v)]
            record.lineA = region(record.lineA, w); record.lineB = region(record.lineB, w)
            return record
        }
        // Every face column; entry parents name faces, renumbered like the faces.
        self.records.faces = FaceColumns.gathered(copies.map(\.records.faces), sources: faceSource) { _, parent, w in
            parent >= forkFaces ? newFace[w][Int(parent)] : parent
        }
        let base = (counts, regionsAfter)
        for copy in copies {
            counts.certified += copy.counts.certified - base.0.certified
            counts.symbolic += copy.counts.symbolic - base.0.symbolic
            counts.exact += copy.counts.exact - base.0.exact
            for m in regionsAfter.indices { regionsAfter[m] += copy.regionsAfter[m] - base.1[m] }
            for m in positiveSomewhere.indices {
                for i in positiveSomewhere[m].indices {
                    positiveSomewhere[m][i] |= copy.positiveSomewhere[m][i]
                    negativeSomewhere[m][i] |= copy.negativeSomewhere[m][i]
                }
            }
        }
        // Exact values cached by region or vertex number: only the ones from before the copies hold.
        exactVertexCache = exactVertexCache.filter { $0.key < forkVertices }
        exactUnits = exactUnits.filter { $0.key.region < forkFaces }
        exactStates = [:]
    }
}

/// One piece's work: the faces and vertices its copy made for it (contiguous, since a copy finishes
/// one piece before it takes the next).
struct PieceRecord {
    var piece: Int
    var worker: Int
    var faces: Range<Int32>
    var vertices: Range<Int32>
}

/// The pieces in order, handed out to the copies in runs of consecutive pieces (so each copy takes
/// its pieces in increasing order); the first error stops them all.
// @unchecked: every mutable field is read and written only under `lock`.
final class PieceQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextRun = 0
    private let count: Int, run: Int
    /// Round robin (for tests): copy w takes runs w, w + workers, ... whatever the timing.
    private let workers: Int?
    private var taken: [Int]
    private(set) var error: Error?
    private(set) var records: [PieceRecord] = []

    init(count: Int, run: Int, workers: Int?) {
        self.count = count; self.run = run; self.workers = workers
        taken = [Int](repeating: 0, count: workers ?? 0)
    }

    /// The next run of pieces for copy `worker`, or nil when none are left or a copy failed.
    func next(worker: Int) -> Range<Int>? {
        lock.withLock {
            if let workers {
                let start = (taken[worker] * workers + worker) * run
                taken[worker] += 1
                guard error == nil, start < count else { return nil }
                return start..<min(count, start + run)
            }
            guard error == nil, nextRun < count else { return nil }
            let start = nextRun
            nextRun = min(count, start + run)
            return start..<nextRun
        }
    }
    func fail(_ error: Error) { lock.withLock { if self.error == nil { self.error = error } } }
    /// Keeps a finished piece's record; tells `progress` at every twentieth of the pieces.
    func record(_ record: PieceRecord, progress: (@Sendable (Int, Int) -> Void)?) {
        let done = lock.withLock { records.append(record); return records.count }
        if (done * 20) / count != ((done - 1) * 20) / count { progress?(done, count) }
    }
}

struct SeamVertex: Hashable { var worker: Int; var vertex: Int32 }
struct SeamEdge: Hashable { var worker: Int; var edge: Int32 }

/// The vertices two copies made along the seams, matched by exact position.
struct SeamMerge {
    /// A vertex one copy made on a seam where the other copy made one too.
    var twin: [SeamVertex: SeamVertex] = [:]
    /// Per piece of a seam edge in one copy: the other copy's vertices strictly inside it, in order
    /// from the edge's vertex `from`.
    var inner: [SeamEdge: (from: Int32, vertices: [SeamVertex])] = [:]

    /// Matches the two sides of first-level edge e (from the base engine), between pieces p and q.
    mutating func add(edge e: Int32, between p: Int32, and q: Int32, owner: [Int], base: GraphSubdivision, copies: [GraphSubdivision]) {
        // Each copy's vertices along e appear, in order, in the other piece's cycle, which that copy never split.
        let (a, b) = SeamMerge.ends(of: e, in: base.topology.faces[Int(p)])
        let runP = SeamMerge.run(copies[owner[Int(p)]], face: q, from: b, to: a)
        let sideP = (vertices: Array(runP.vertices.reversed()), edges: Array(runP.edges.reversed()))
        let sideQ = SeamMerge.run(copies[owner[Int(q)]], face: p, from: a, to: b)
        let workerP = owner[Int(p)], workerQ = owner[Int(q)]
        let along = SeamOrder(base: base, a: a, b: b, line: base.edgeLines[Int(e)].ref)
        let positionsP = sideP.vertices.dropFirst().dropLast().map { (copies[workerP], $0) }
        let positionsQ = sideQ.vertices.dropFirst().dropLast().map { (copies[workerQ], $0) }
        var i = 0, j = 0
        var insideP: [[SeamVertex]] = Array(repeating: [], count: sideP.edges.count)
        var insideQ: [[SeamVertex]] = Array(repeating: [], count: sideQ.edges.count)
        while i < positionsP.count || j < positionsQ.count {
            let order = i == positionsP.count ? 1 : j == positionsQ.count ? -1
                : along.compare(positionsP[i], positionsQ[j])
            if order == 0 {
                let x = SeamVertex(worker: workerP, vertex: sideP.vertices[i + 1]), y = SeamVertex(worker: workerQ, vertex: sideQ.vertices[j + 1])
                twin[x] = y; twin[y] = x
                i += 1; j += 1
            } else if order < 0 {
                // p's vertex i + 1 lies inside q's edge j.
                insideQ[j].append(SeamVertex(worker: workerP, vertex: sideP.vertices[i + 1]))
                i += 1
            } else {
                insideP[i].append(SeamVertex(worker: workerQ, vertex: sideQ.vertices[j + 1]))
                j += 1
            }
        }
        for (k, vertices) in insideP.enumerated() where !vertices.isEmpty {
            inner[SeamEdge(worker: workerP, edge: sideP.edges[k])] = (sideP.vertices[k], vertices)
        }
        for (k, vertices) in insideQ.enumerated() where !vertices.isEmpty {
            inner[SeamEdge(worker: workerQ, edge: sideQ.edges[k])] = (sideQ.vertices[k], vertices)
        }
    }

    /// Order along a seam edge from a to b of two vertices on it, each made by one copy.
    struct SeamOrder {
        /// The engine the copies were made from, and the edge's ends in it.
        let base: GraphSubdivision
        let a: Int32, b: Int32
        /// The edge's own line (every vertex on the seam was made on it).
        let line: LineRef

        /// −1, 0 or 1 as x comes before, at or after y, where x and y are the heads of the two copies'
        /// vertex runs along the edge (everything before them already placed, correctly). Decided, in
        /// this order: by the coordinate along which the edge runs furthest, when the vertices' error
        /// bounds keep them apart; as equal when both were made on one unit j's zero set; else exactly.
        /// Why equal: say x < y. The vertex y′ before y in y's run is already placed, so y′ < x, and
        /// one face F of y's copy borders the whole stretch (y′, y). y was made by splitting, at j's
        /// level, a face containing F by j's line L there, so j's value is L on F and on its edge,
        /// and L meets the edge only at y. But j is zero at x (x's copy made x on j's zero set, and
        /// the network is continuous), and x lies in (y′, y): so x = y after all.
        func compare(_ x: (GraphSubdivision, Int32), _ y: (GraphSubdivision, Int32)) -> Int {
            let start = base.vertexRecords[Int(a)], end = base.vertexRecords[Int(b)]
            let rx = x.0.vertexRecords[Int(x.1)], ry = y.0.vertexRecords[Int(y.1)]
            let ds = end.s - start.s, dt = end.t - start.t
            let useS = abs(ds) >= abs(dt)
            let direction: Double = (useS ? ds : dt) > 0 ? 1 : -1
            // The exact coordinates differ from the stored ones by at most delta each, and the float
            // difference is within u·|difference| of theirs, which 2u·|difference| covers. The
            // direction's sign is right: the ends are at least as far apart along that coordinate as
            // along the other one, far beyond their bounds for a seam edge of positive length.
            let difference = useS ? rx.s - ry.s : rx.t - ry.t
            let bound = certifiedBound(rx.delta + ry.delta + roundingError(units: 2, of: abs(difference)))
            let endBound = certifiedBound(start.delta + end.delta)
            if abs(useS ? ds : dt) > 2 * endBound, abs(difference) > bound {
                return difference * direction < 0 ? -1 : 1
            }
            let linesX = [rx.lineA, rx.lineB].filter { !$0.sameZeroSet(as: line) }
            let linesY = [ry.lineA, ry.lineB].filter { !$0.sameZeroSet(as: line) }
            if linesX.contains(where: { l in linesY.contains { l.sameZeroSet(as: $0) } }) { return 0 }
            let px = x.0.exactVertex(x.1), py = y.0.exactVertex(y.1)
            let exactStart = base.exactVertex(a), exactEnd = base.exactVertex(b)
            let es = exactEnd.s - exactStart.s, et = exactEnd.t - exactStart.t
            return ((px.s - py.s) * es + (px.t - py.t) * et).signum
        }
    }

    /// The ends of edge e as face f runs it.
    static func ends(of e: Int32, in face: Face) -> (Int32, Int32) {
        let k = face.edges.firstIndex(of: e)!
        return (face.vertices[k], face.vertices[(k + 1) % face.vertices.count])
    }

    /// The vertices of face f's cycle from a to b in `engine`, and the edges between them.
    static func run(_ engine: GraphSubdivision, face f: Int32, from a: Int32, to b: Int32) -> (vertices: [Int32], edges: [Int32]) {
        let face = engine.topology.faces[Int(f)]
        let n = face.vertices.count
        var k = face.vertices.firstIndex(of: a)!
        var vertices = [a], edges: [Int32] = []
        while face.vertices[k] != b {
            edges.append(face.edges[k])
            k = (k + 1) % n
            vertices.append(face.vertices[k])
        }
        return (vertices, edges)
    }
}

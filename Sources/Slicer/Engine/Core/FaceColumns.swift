/// One column of per-face data: `width` values a face, in face order.
struct FaceColumn<Element> {
    var values: [Element] = []
    let width: Int
    /// What a face cut from another gets: nil, a copy of its parent's values; else this value.
    let fresh: Element?

    init(width: Int = 1, fresh: Element? = nil) {
        self.width = width; self.fresh = fresh
    }

    var faceCount: Int { values.count / width }

    /// The value of face f (a column of width 1).
    subscript(face: Int) -> Element {
        get { values[face] }
        set { values[face] = newValue }
    }

    mutating func addFace(from parent: Int) {
        if let fresh { values.append(contentsOf: repeatElement(fresh, count: width)); return }
        for i in 0..<width { values.append(values[parent * width + i]) }
    }

    mutating func moveFace(_ x: Int, to y: Int) {
        for i in 0..<width { values[y * width + i] = values[x * width + i] }
    }

    mutating func truncate(toFaces count: Int) { values.removeSubrange((count * width)...) }

    /// This column's layout, holding face i = face `sources[i].face` of `columns[sources[i].worker]`,
    /// each value passed through `transform` with its worker.
    func gathered(_ columns: [FaceColumn], sources: [(worker: Int, face: Int32)],
                  transform: (Element, Int) -> Element = { value, _ in value }) -> FaceColumn {
        var column = FaceColumn(width: width, fresh: fresh)
        column.values.reserveCapacity(sources.count * width)
        for (w, f) in sources {
            for i in 0..<width { column.values.append(transform(columns[w].values[Int(f) * width + i], w)) }
        }
        return column
    }
}

/// The per-face data beside the topology: the activation patterns and the columns a driver
/// registers. The operations that change the faces — a cut adds one, compaction moves and drops
/// faces, the thread merge gathers them — exist here only, for every column at once, so the
/// columns stay aligned with the faces by construction (a copy for another thread takes the value).
///
/// Patterns are most of a large graph slice's memory (a bit per unit of every activation, per
/// region), and neighbouring faces differ in few of those bits: a face not being worked on — a piece
/// waiting for its turn, a finished face — keeps only the bits where it differs from a nearby
/// pattern kept whole (`ActivationPattern.storedAsDifferences`). A pattern reads alike either way.
struct FaceColumns {
    /// Each face's pattern: bit set when the unit is positive on the face (inherited by a cut).
    var patterns = FaceColumn<ActivationPattern>()
    /// The last finished pattern kept whole, which the finished faces after it are stored against.
    var keyframe: ActivationPattern?
    /// Registered integer columns (the MLP's face regions, the graph's entry parents per level).
    var labels: [FaceColumn<Int32>] = []
    /// Registered real columns (the graph's logits).
    var reals: [FaceColumn<Double>] = []

    var faceCount: Int { patterns.faceCount }

    /// True when every column holds exactly `faceCount` faces.
    var isAligned: Bool {
        labels.allSatisfy { $0.faceCount == faceCount } && reals.allSatisfy { $0.faceCount == faceCount }
    }

    /// The domain as the only face: `pattern`, and each registered column's fresh value (else 0).
    mutating func startDomainFace(pattern: ActivationPattern) {
        patterns.values = [pattern]
        for c in labels.indices { labels[c].values = Array(repeating: labels[c].fresh ?? 0, count: labels[c].width) }
        for c in reals.indices { reals[c].values = Array(repeating: reals[c].fresh ?? 0, count: reals[c].width) }
    }

    /// A face cut from `parent`, appended to every column.
    mutating func addFace(from parent: Int) {
        patterns.addFace(from: parent)
        for c in labels.indices { labels[c].addFace(from: parent) }
        for c in reals.indices { reals[c].addFace(from: parent) }
    }

    /// Face f will not change again: its pattern is stored as its differences from the keyframe,
    /// or, when they differ in more than `storedDifferencesLimit` bits, kept whole as the next keyframe.
    mutating func finishPattern(face f: Int) {
        let pattern = patterns.values[f]
        if let keyframe, let compact = pattern.storedAsDifferences(from: keyframe, limit: Self.storedDifferencesLimit(pattern.count)) {
            patterns.values[f] = compact
        } else {
            patterns.values[f].expand()
            keyframe = patterns.values[f]
        }
    }

    /// Pieces that wait while face `first` (cut with them) is worked on: each stored as its
    /// differences from `first`'s pattern, which they then share.
    mutating func storeWaiting(_ pieces: some Sequence<Int32>, against first: Int32) {
        patterns.values[Int(first)].expand()
        let whole = patterns.values[Int(first)]
        let limit = Self.storedDifferencesLimit(whole.count)
        for g in pieces where g != first {
            if let compact = patterns.values[Int(g)].storedAsDifferences(from: whole, limit: limit) { patterns.values[Int(g)] = compact }
        }
    }

    /// Face f is about to be worked on: its pattern holds all its words again.
    mutating func expandPattern(face f: Int32) { patterns.values[Int(f)].expand() }

    /// The most differing bits a pattern of `count` bits is stored as (4 bytes each, so at most half
    /// of its `count` / 8 bytes whole); past it the pattern is kept whole, and later ones are stored
    /// against it. At least 64, so that small patterns are stored alike.
    static func storedDifferencesLimit(_ count: Int) -> Int { max(64, count / 64) }

    /// Face x's values moved to index y ≤ x, in every column.
    mutating func moveFace(_ x: Int, to y: Int) {
        guard x != y else { return }
        patterns.moveFace(x, to: y)
        for c in labels.indices { labels[c].moveFace(x, to: y) }
        for c in reals.indices { reals[c].moveFace(x, to: y) }
    }

    /// Drops the faces from `count` on, in every column.
    mutating func truncate(toFaces count: Int) {
        patterns.truncate(toFaces: count)
        for c in labels.indices { labels[c].truncate(toFaces: count) }
        for c in reals.indices { reals[c].truncate(toFaces: count) }
    }

    /// Every column gathered from the copies' columns (face i = `sources[i]`); integer labels pass
    /// through `relabel` (column, value, worker), for labels that name faces renumbered by the merge.
    static func gathered(_ copies: [FaceColumns], sources: [(worker: Int, face: Int32)],
                         relabel: (Int, Int32, Int) -> Int32) -> FaceColumns {
        let first = copies[0]
        var merged = FaceColumns()
        merged.patterns = first.patterns.gathered(copies.map(\.patterns), sources: sources)
        merged.labels = first.labels.indices.map { c in
            first.labels[c].gathered(copies.map { $0.labels[c] }, sources: sources) { relabel(c, $0, $1) }
        }
        merged.reals = first.reals.indices.map { c in first.reals[c].gathered(copies.map { $0.reals[c] }, sources: sources) }
        return merged
    }
}

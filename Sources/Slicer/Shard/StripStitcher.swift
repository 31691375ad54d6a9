import Models
import Polytope

/// Stitches the strips of a sharded slice (`StripSlice`, in strip order) into the one subdivision a
/// single process computes: pieces of a region (the same pattern on both sides of a seam) are glued
/// back, seam vertices are matched by their exact coordinates, and a seam vertex that is left with
/// two collinear edges (where an edge or the decision boundary merely crossed the seam) is dropped,
/// its two edges joined. Uses the strips' public results only.
public enum StripStitcher {
    public static func stitch(_ strips: [StripSlice]) throws -> SliceResult {
        guard let first = strips.first?.result else { throw TesseraError.badInput("no strips to stitch") }
        var table = VertexTable()
        let ids = strips.enumerated().map { k, strip in
            strip.result.vertices.indices.map { table.id(strip.seamPoints[$0], point: strip.result.vertices[$0], strip: k) }
        }
        let chains = table.seamChains()

        // Pieces with their rings in global vertices, seam edges subdivided at every seam vertex.
        var groups: [ActivationPattern: [(strip: Int, region: Int, ring: [Int])]] = [:]
        var order: [ActivationPattern] = []
        var seamSides: [Pair: ActivationPattern] = [:]
        for (k, strip) in strips.enumerated() {
            for (r, region) in strip.result.regions.enumerated() {
                let ring = chains.expand(region.vertexIndices.map { ids[k][$0] }, table: table)
                for i in ring.indices {
                    let u = ring[i], w = ring[(i + 1) % ring.count]
                    if let a = table.seam[u], let b = table.seam[w], a.seam == b.seam { seamSides[Pair(u, w)] = region.pattern }
                }
                if groups[region.pattern] == nil { order.append(region.pattern) }
                groups[region.pattern, default: []].append((k, r, ring))
            }
        }
        var rings = order.map { glue(groups[$0]!.map(\.ring)) }

        // A seam vertex with two neighbours is where one edge crossed the seam (a domain corner aside).
        var neighbours: [Int: Set<Int>] = [:]
        for ring in rings {
            for i in ring.indices where table.seam[ring[i]] != nil {
                neighbours[ring[i], default: []].formUnion([ring[(i + ring.count - 1) % ring.count], ring[(i + 1) % ring.count]])
            }
        }
        let corners = Set(first.domainPolygon)
        let crossings = Set(neighbours.filter { $0.value.count == 2 && !corners.contains(table.points[$0.key]) }.keys)
        rings = rings.map { $0.filter { !crossings.contains($0) } }

        // Edges: the strips' own (not their seams), joined through crossings; a seam stretch with
        // different patterns on its two sides is an edge of the unit whose line runs along it.
        var edges: [Joinable] = []
        for (k, strip) in strips.enumerated() {
            for edge in strip.result.edges {
                let u = ids[k][edge.from], w = ids[k][edge.to]
                if let a = table.seam[u], let b = table.seam[w], a.seam == b.seam { continue }
                edges.append(Joinable(u, w, label: [edge.layer, edge.neuron]))
            }
        }
        let widths = first.layers.map { $0.neurons * ($0.windowPositions ?? 1) }
        var seamEdges: [(seam: Int, low: Rational, high: Rational)] = []
        for (pair, left) in seamSides where table.seam[pair.u]!.t < table.seam[pair.w]!.t {
            guard let right = seamSides[Pair(pair.w, pair.u)], right != left else { continue }
            edges.append(Joinable(pair.u, pair.w, label: separatingUnit(left, right, widths: widths, layers: first.layers)))
            seamEdges.append((table.seam[pair.u]!.seam, table.seam[pair.u]!.t, table.seam[pair.w]!.t))
        }
        edges = join(edges, through: crossings)

        // The decision boundary: segments that crossed a seam are joined the same way.
        var segments: [Joinable] = []
        var boundaryTable = table
        // Per strip, each vertex's float point → its id (class cells are float polygons).
        var idOfPoint = [[Point2: Int]](repeating: [:], count: strips.count)
        for (k, strip) in strips.enumerated() {
            for (v, point) in strip.result.vertices.enumerated() { idOfPoint[k][point] = ids[k][v] }
            for (i, pair) in strip.result.stripSegmentVertices.enumerated() {
                let (p, q) = strip.result.boundarySegments[i]
                let a = idOfPoint[k][p] ?? boundaryTable.id(strip.seamPoints[pair.0], point: p, strip: k)
                let b = idOfPoint[k][q] ?? boundaryTable.id(strip.seamPoints[pair.1], point: q, strip: k)
                idOfPoint[k][p] = a; idOfPoint[k][q] = b
                segments.append(Joinable(a, b, label: []))
            }
        }
        let realSeamVertices = Set(rings.joined())
        var boundaryCrossings: Set<Int> = []
        var segmentEnds: [Int: Int] = [:]
        for segment in segments { segmentEnds[segment.u, default: 0] += 1; segmentEnds[segment.w, default: 0] += 1 }
        // A segment ends on a seam inside a region (joined) or on an edge that runs along the seam (kept).
        for (id, count) in segmentEnds where count == 2 && !realSeamVertices.contains(id) {
            guard let key = boundaryTable.seam[id],
                  !seamEdges.contains(where: { $0.seam == key.seam && !(key.t < $0.low) && !($0.high < key.t) }) else { continue }
            boundaryCrossings.insert(id)
        }
        segments = join(segments, through: boundaryCrossings)
        let dropped = crossings.union(boundaryCrossings)

        // Regions, with their class cells glued the same way.
        var regions: [SliceRegion] = []
        for (g, pattern) in order.enumerated() {
            let pieces = groups[pattern]!
            let base = strips[pieces[0].strip].result.regions[pieces[0].region]
            var region = SliceRegion(vertexIndices: rings[g], pattern: pattern, predictedClass: base.predictedClass,
                                     classCells: [], slope: base.slope, area: 0)
            let pieceRegions = pieces.map { strips[$0.strip].result.regions[$0.region] }
            if pieceRegions.contains(where: { !$0.classCells.isEmpty }) {
                var byLabel: [Int: [[Int]]] = [:]
                for (piece, pieceRegion) in zip(pieces, pieceRegions) {
                    let k = piece.strip
                    if pieceRegion.classCells.isEmpty {
                        byLabel[pieceRegion.predictedClass, default: []].append(pieceRegion.vertexIndices.map { ids[k][$0] })
                    }
                    for cell in pieceRegion.classCells {
                        byLabel[cell.label, default: []].append(cell.polygon.map { point in
                            idOfPoint[k][point] ?? { let id = boundaryTable.id(nil, point: point, strip: k); idOfPoint[k][point] = id; return id }()
                        })
                    }
                }
                var largest = -1.0
                for label in byLabel.keys.sorted() {
                    let polygon = glue(byLabel[label]!).filter { !dropped.contains($0) }.map { boundaryTable.points[$0] }
                    region.classCells.append(ClassCell(polygon: polygon, label: label))
                    let area = abs(signedArea(polygon))
                    if area > largest { largest = area; region.predictedClass = label }
                }
                // The slope is the winning logit's: a piece that chose the same class knows it.
                if let same = pieceRegions.first(where: { $0.predictedClass == region.predictedClass }) { region.slope = same.slope }
            }
            regions.append(region)
        }

        // Vertices: every one left, renumbered.
        var number: [Int: Int] = [:]
        var vertices: [Point2] = []
        for id in table.points.indices where !crossings.contains(id) { number[id] = vertices.count; vertices.append(table.points[id]) }
        for i in regions.indices { regions[i].vertexIndices = regions[i].vertexIndices.map { number[$0]! } }
        let sliceEdges = edges.map { SliceEdge(from: number[$0.u]!, to: number[$0.w]!, layer: $0.label[0], neuron: $0.label[1]) }

        var layers = first.layers
        var offset = 0
        for (i, width) in widths.enumerated() {
            offset += width
            layers[i].regions = Set(regions.map { $0.pattern.prefix(offset) }).count
            layers[i].neuronsCut = cutUnits(of: i, in: strips.map(\.result))
        }
        var result = SliceResult(arithmetic: first.arithmetic, domainKind: first.domainKind, domainPolygon: first.domainPolygon,
                                 domainArea: first.domainArea, anchors: first.anchors, vertices: vertices, regions: regions,
                                 edges: sliceEdges, boundarySegments: segments.map { (boundaryTable.points[$0.u], boundaryTable.points[$0.w]) },
                                 layers: layers, outputs: first.outputs, seconds: strips.reduce(0) { $0 + $1.result.seconds })
        for strip in strips {
            result.decisions.certified += strip.result.decisions.certified
            result.decisions.symbolic += strip.result.decisions.symbolic
            result.decisions.exact += strip.result.decisions.exact
        }
        result.batchNormScale = first.batchNormScale
        return result.canonicalized()
    }

    /// The boundary of the union of convex polygons glued along shared edges (each shared edge runs
    /// once each way), as one cycle.
    static func glue<Vertex: Hashable>(_ rings: [[Vertex]]) -> [Vertex] {
        guard rings.count > 1 else { return rings.first ?? [] }
        var directed: Set<DirectedPair<Vertex>> = []
        for ring in rings { for i in ring.indices { directed.insert(DirectedPair(ring[i], ring[(i + 1) % ring.count])) } }
        var next: [Vertex: Vertex] = [:]
        var start: Vertex?
        for ring in rings {
            for i in ring.indices {
                let u = ring[i], w = ring[(i + 1) % ring.count]
                guard !directed.contains(DirectedPair(w, u)) else { continue }
                next[u] = w
                start = start ?? u
            }
        }
        guard let start else { return [] }
        var cycle = [start]
        var current = next[start]!
        while current != start, cycle.count <= next.count {
            cycle.append(current)
            current = next[current]!
        }
        return cycle
    }

    /// Joins the two pieces of every segment that meets one of `through` (each has exactly two).
    static func join(_ pieces: [Joinable], through: Set<Int>) -> [Joinable] {
        var pieces = pieces
        var alive = [Bool](repeating: true, count: pieces.count)
        var at: [Int: [Int]] = [:]
        for (i, piece) in pieces.enumerated() {
            if through.contains(piece.u) { at[piece.u, default: []].append(i) }
            if through.contains(piece.w) { at[piece.w, default: []].append(i) }
        }
        for x in through.sorted() {
            guard let pair = at[x], pair.count == 2 else { continue }
            let (i, j) = (pair[0], pair[1])
            let a = pieces[i].other(x), b = pieces[j].other(x)
            // Keep the first piece's direction.
            pieces[i] = pieces[i].u == x ? Joinable(b, a, label: pieces[i].label) : Joinable(a, b, label: pieces[i].label)
            alive[j] = false
            if through.contains(b) { at[b] = at[b]!.map { $0 == j ? i : $0 } }
        }
        return pieces.indices.filter { alive[$0] }.map { pieces[$0] }
    }

    /// Units positive somewhere and negative somewhere in some strip; for a max pool, windows with
    /// more than one slot winning somewhere (the engines' `neuronsCut`).
    static func cutUnits(of layer: Int, in strips: [SliceResult]) -> Int {
        func union(_ words: [[UInt64]?]) -> [UInt64] {
            words.reduce([UInt64]()) { sum, next in
                let next = next ?? []
                return (0..<max(sum.count, next.count)).map { ($0 < sum.count ? sum[$0] : 0) | ($0 < next.count ? next[$0] : 0) }
            }
        }
        let positive = union(strips.map { $0.layers[layer].positiveSomewhere })
        guard let taps = strips[0].layers[layer].windowPositions else {
            let negative = union(strips.map { $0.layers[layer].negativeSomewhere })
            return zip(positive, negative).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
        }
        let won = { (bit: Int) in bit >> 6 < positive.count && positive[bit >> 6] >> UInt64(bit & 63) & 1 == 1 }
        return (0..<strips[0].layers[layer].neurons).filter { w in (0..<taps).filter { won(w * taps + $0) }.count > 1 }.count
    }

    /// The (layer, unit) of a line along a seam between regions of these patterns: the first unit,
    /// in the engine's order, on which they differ.
    static func separatingUnit(_ a: ActivationPattern, _ b: ActivationPattern, widths: [Int], layers: [LayerStats]) -> [Int] {
        guard let bit = a.differences(from: b).first else { return [0, -1] }
        var offset = 0
        for (i, width) in widths.enumerated() {
            if bit < offset + width { return [i + 1, (bit - offset) / (layers[i].windowPositions ?? 1)] }
            offset += width
        }
        return [0, -1]
    }
}

/// A segment between two vertex ids with a label (an edge's layer and unit), joinable at its ends.
struct Joinable {
    var u: Int, w: Int
    var label: [Int]
    init(_ u: Int, _ w: Int, label: [Int]) { self.u = u; self.w = w; self.label = label }
    func other(_ x: Int) -> Int { u == x ? w : u }
}

struct Pair: Hashable {
    var u: Int, w: Int
    init(_ u: Int, _ w: Int) { self.u = u; self.w = w }
}

struct DirectedPair<Vertex: Hashable>: Hashable {
    var u: Vertex, w: Vertex
    init(_ u: Vertex, _ w: Vertex) { self.u = u; self.w = w }
}

/// The stitched vertices: one per exact seam position, one per other vertex of each strip.
struct VertexTable {
    struct SeamKey: Hashable { var seam: Int; var t: Rational }
    var points: [Point2] = []
    var seam: [Int: SeamKey] = [:]
    var byKey: [SeamKey: Int] = [:]

    mutating func id(_ seamPoint: (seam: Int, t: Rational)?, point: Point2, strip: Int) -> Int {
        if let seamPoint {
            let key = SeamKey(seam: seamPoint.seam, t: seamPoint.t)
            if let known = byKey[key] { return known }
            byKey[key] = points.count
            seam[points.count] = key
        }
        points.append(point)
        return points.count - 1
    }

    func seamChains() -> SeamChains {
        var chains: [Int: [Int]] = [:]
        for (id, key) in seam { chains[key.seam, default: []].append(id) }
        var position: [Int: Int] = [:]
        for (k, ids) in chains {
            let sorted = ids.sorted { seam[$0]!.t < seam[$1]!.t }
            chains[k] = sorted
            for (i, id) in sorted.enumerated() { position[id] = i }
        }
        return SeamChains(chains: chains, position: position)
    }
}

/// Each seam's vertices in order of t.
struct SeamChains {
    var chains: [Int: [Int]]
    var position: [Int: Int]

    /// The ring with every seam vertex that lies strictly inside one of its seam edges inserted.
    func expand(_ ring: [Int], table: VertexTable) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(ring.count)
        for i in ring.indices {
            let u = ring[i], w = ring[(i + 1) % ring.count]
            out.append(u)
            guard let a = table.seam[u], let b = table.seam[w], a.seam == b.seam else { continue }
            let chain = chains[a.seam]!, p = position[u]!, q = position[w]!
            if p + 1 < q { out.append(contentsOf: chain[(p + 1)..<q]) }
            else if q + 1 < p { out.append(contentsOf: chain[(q + 1)..<p].reversed()) }
        }
        return out
    }
}

extension ActivationPattern {
    /// The first `bits` bits, as words (for counting distinct patterns up to a layer).
    func prefix(_ bits: Int) -> [UInt64] {
        let full = bits / 64, rest = bits % 64
        var words = (0..<min(full, wordCount)).map(word)
        if rest > 0, full < wordCount { words.append(word(full) & ((1 << UInt64(rest)) - 1)) }
        return words
    }
}

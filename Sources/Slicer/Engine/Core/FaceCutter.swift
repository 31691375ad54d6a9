import Models
import Polytope

/// An engine whose faces the face cutter cuts: its arrangement (the topology, and the records whose
/// per-face columns follow every new face, `FaceColumns`).
protocol FaceCutting: KernelEngine {
    var topology: PlanarTopology { get set }
    var maxRegions: Int { get }
    /// The error for a slice past `maxRegions` at (1-based) layer `layer`.
    func tooManyRegions(layer: Int) -> TesseraError
    /// Whether the engine picks the lines its crossings are computed with (`crossingLine`).
    var choosesCrossingLines: Bool { get }
    /// The line whose intersection with edge e's line is the vertex where `line` crosses e: `line`,
    /// or one through the same exact point that does not depend on which of e's faces is cut first.
    func crossingLine(_ line: CertifiedLine, edge e: Int32) -> CertifiedLine
}

extension FaceCutting {
    var choosesCrossingLines: Bool { false }
    func crossingLine(_ line: CertifiedLine, edge e: Int32) -> CertifiedLine { line }
}

/// Buffers one cutter reuses from face to face.
struct CutScratch {
    var signs: [Int] = []
    var work: [(face: Int32, next: Int)] = []
}

/// The one face cutter: dense layers, graph activations and max-pool envelopes cut faces here.
extension FaceCutting {
    /// Sets up a convex domain with these corners as the single face 0 (vertices and edges 0..<n,
    /// edge i from corner i to corner i + 1), whose pattern has `patternBits` bits, all clear. The
    /// engine's other per-face columns are its own to start.
    func setUpDomainFace(_ corners: [(s: Double, t: Double)], patternBits: Int) {
        domainCorners = corners
        let (exact, certified) = addDomainCorners(corners)
        domainLines = exact
        edgeLines.append(contentsOf: certified)
        let n = corners.count
        domainVertexCount = n
        for i in 0..<n {
            topology.edges.append(Edge(from: Int32(i), to: Int32((i + 1) % n), faceA: 0, faceB: -1, layer: 0, neuron: -1))
        }
        topology.faces = [Face(vertices: (0..<n).map(Int32.init), edges: (0..<n).map(Int32.init))]
        records.faces.startDomainFace(pattern: ActivationPattern(count: patternBits))
    }

    /// The kernel's sign of `line` at each vertex of face f, in `signs`; whether some is positive,
    /// and whether some is negative.
    @inline(__always)
    func signs(of line: CertifiedLine, onFace f: Int32, into signs: inout [Int]) -> (positive: Bool, negative: Bool) {
        signs.removeAll(keepingCapacity: true)
        var positive = false, negative = false
        for v in topology.faces[Int(f)].vertices {
            let s = sign(v, line)
            signs.append(s)
            if s > 0 { positive = true } else if s < 0 { negative = true }
        }
        return (positive, negative)
    }

    /// Splits face f by a line whose `signs` at f's vertices are strictly mixed: f keeps the positive
    /// part, the negative part becomes the returned new face; the chord is labelled (layer, neuron).
    func split(face f: Int32, by line: CertifiedLine, signs: [Int], layer: Int32, neuron: Int32) throws -> Int32 {
        // Chosen before the split, which changes the topology they are chosen from (a convex face
        // has two crossed edges).
        var crossings: (Int32, CertifiedLine, Int32, CertifiedLine) = (-1, line, -1, line)
        if choosesCrossingLines {
            topology.faces.withUnsafeBufferPointer { faces in
                let face = faces[Int(f)], m = face.vertices.count
                for i in 0..<m where signs[i] * signs[(i + 1) % m] < 0 {
                    let e = face.edges[i]
                    if crossings.0 < 0 { crossings.0 = e; crossings.1 = crossingLine(line, edge: e) }
                    else { crossings.2 = e; crossings.3 = crossingLine(line, edge: e) }
                }
            }
        }
        let g = topology.split(face: f, signs: signs, layer: layer, neuron: neuron, crossing: { p, q, e in
            self.makeVertex(from: p, to: q, edgeLine: self.edgeLines[Int(e)],
                            line: e == crossings.0 ? crossings.1 : e == crossings.2 ? crossings.3 : line)
        }, edgeAdded: { e in self.edgeLines.append(e >= 0 ? self.edgeLines[Int(e)] : line) })
        records.faces.addFace(from: Int(f))
        if topology.faces.count > maxRegions { throw tooManyRegions(layer: Int(layer)) }
        return g
    }

    /// Cuts face f by each of `lines` in order (lines of f's region, so each serves every piece of
    /// f): a piece a line crosses is split, and every piece's pattern bit `offset + unit` says on
    /// which side of each line it lies. Chords are labelled (`layer`, unit).
    func cut(face f: Int32, by lines: [(unit: Int, line: CertifiedLine)], layer: Int, patternOffset offset: Int,
             scratch: inout CutScratch) throws {
        scratch.work.removeAll(keepingCapacity: true)
        scratch.work.append((f, 0))
        while let (g, first) = scratch.work.popLast() {
            for index in first..<lines.count {
                let (j, line) = lines[index]
                let (positive, negative) = signs(of: line, onFace: g, into: &scratch.signs)
                if positive && negative {
                    let h = try split(face: g, by: line, signs: scratch.signs, layer: Int32(layer), neuron: Int32(j))
                    facePattern[Int(g)][offset + j] = true
                    facePattern[Int(h)][offset + j] = false
                    scratch.work.append((h, index + 1))
                } else {
                    facePattern[Int(g)][offset + j] = positive
                }
            }
        }
    }
}

import Models
import Polytope

extension FaceCutting {
    /// Cuts the domain face 0, just set up, down to `strip` by its exact seam lines (domain lines
    /// from `firstSeamLine` on) and renumbers what is left as a fresh domain face: vertices and edges
    /// 0..<m. `domainCorners` stay the whole domain's (a superset, so screens over them stay sound).
    func clipDomain(to strip: SliceStrip) throws {
        firstSeamLine = domainLines.count
        for line in strip.seamLines(corners: domainCorners) {
            let index = domainLines.count
            domainLines.append(line)
            let seam = CertifiedLine(converting: line, ref: .domain(index))
            var signs: [Int] = []
            let (positive, negative) = self.signs(of: seam, onFace: 0, into: &signs)
            guard positive else { throw TesseraError.badInput("strip \(strip.index)/\(strip.count) of the domain is empty") }
            guard negative else { continue }
            _ = topology.split(face: 0, signs: signs, layer: 0, neuron: -1, crossing: { p, q, edge in
                self.makeVertex(from: p, to: q, edgeLine: self.edgeLines[Int(edge)], line: seam)
            }, edgeAdded: { edge in self.edgeLines.append(edge >= 0 ? self.edgeLines[Int(edge)] : seam) })
            topology.faces.removeLast()
        }
        let face = topology.faces[0]
        let m = face.vertices.count
        let exact = face.vertices.map { exactVertexCache[$0] }
        vertexRecords = face.vertices.map { vertexRecords[Int($0)] }
        exactVertexCache = [:]
        for (i, point) in exact.enumerated() { if let point { exactVertexCache[Int32(i)] = point } }
        edgeLines = face.edges.map { edgeLines[Int($0)] }
        topology.edges = face.edges.enumerated().map { i, old in
            var edge = topology.edges[Int(old)]
            edge.from = Int32(i); edge.to = Int32((i + 1) % m); edge.faceA = 0; edge.faceB = -1
            return edge
        }
        topology.faces = [Face(vertices: (0..<m).map(Int32.init), edges: (0..<m).map(Int32.init))]
        domainVertexCount = m
    }

    /// Exact coordinates of the vertices on a strip's boundary: its corners and every vertex made on a seam.
    func stripVertices(_ count: Int) -> [Int: ExactPoint] {
        guard firstSeamLine < Int.max else { return [:] }
        var points: [Int: ExactPoint] = [:]
        for v in 0..<count {
            let record = vertexRecords[v]
            let onSeam = [record.lineA, record.lineB].contains { $0.kind == .domain && Int($0.index) >= firstSeamLine }
            if v < domainVertexCount || onSeam { points[v] = exactVertex(Int32(v)) }
        }
        return points
    }
}

/// A face of a planar subdivision: a convex polygon as a counter-clockwise vertex cycle, with
/// `edges[i]` the edge from `vertices[i]` to `vertices[i + 1]`.
public struct Face: Sendable {
    public var vertices: [Int32]
    public var edges: [Int32]

    @inlinable
    public init(vertices: [Int32], edges: [Int32]) { self.vertices = vertices; self.edges = edges }
}

/// An edge of a planar subdivision, shared by at most two faces (−1 for none), with the label of
/// the line that made it.
public struct Edge: Sendable {
    public var from: Int32
    public var to: Int32
    public var faceA: Int32
    public var faceB: Int32
    /// 0 for the domain boundary, else the 1-based level (hidden layer) whose line made it.
    public var layer: Int32
    /// The unit of that level (−1 on the domain boundary).
    public var neuron: Int32

    @inlinable
    public init(from: Int32, to: Int32, faceA: Int32, faceB: Int32, layer: Int32, neuron: Int32) {
        self.from = from; self.to = to; self.faceA = faceA; self.faceB = faceB; self.layer = layer; self.neuron = neuron
    }

    @inlinable
    public func otherFace(_ face: Int32) -> Int32 { faceA == face ? faceB : faceA }

    @inlinable
    public mutating func replaceFace(_ old: Int32, with new: Int32) {
        if faceA == old { faceA = new } else if faceB == old { faceB = new }
    }
}

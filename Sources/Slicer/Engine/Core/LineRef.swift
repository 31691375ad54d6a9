/// Names a line of the slice so its exact coefficients can be recomputed on demand:
/// a domain edge, the zero set of a hidden neuron within one region, a logit line within one region,
/// or where two inputs of a max pool are equal within one region.
struct LineRef: Hashable, Sendable {
    enum Kind: UInt8 { case domain, neuron, logit, pool }
    var kind: Kind
    /// Network layer (0-based) for neuron lines.
    var layer: Int32
    /// Domain edge, neuron, class c, or a max pool's input unit a.
    var index: Int32
    /// For logit lines: class i of the difference l_c − l_i, or −1 for the single logit of K = 1;
    /// for pool lines: input unit b of the difference z_a − z_b.
    var other: Int32
    /// Region id at `layer` (for logits, at the output layer).
    var region: Int32

    static func domain(_ edge: Int) -> LineRef {
        LineRef(kind: .domain, layer: -1, index: Int32(edge), other: -1, region: -1)
    }
    static func neuron(layer: Int, neuron: Int, region: Int) -> LineRef {
        LineRef(kind: .neuron, layer: Int32(layer), index: Int32(neuron), other: -1, region: Int32(region))
    }
    /// z_a − z_b for units a and b of the input of level `layer` (a max pool).
    static func pool(layer: Int, _ a: Int, minus b: Int, region: Int) -> LineRef {
        LineRef(kind: .pool, layer: Int32(layer), index: Int32(a), other: Int32(b), region: Int32(region))
    }
    var poolUnits: (Int32, Int32) { (index, other) }
    static func logit(_ c: Int, minus i: Int, region: Int) -> LineRef {
        LineRef(kind: .logit, layer: -1, index: Int32(c), other: Int32(i), region: Int32(region))
    }

    /// True when both refs name the same zero set everywhere: the network is continuous, so a
    /// neuron's (or logit difference's) zero set does not depend on the region it is seen from.
    func sameZeroSet(as other: LineRef) -> Bool {
        guard kind == other.kind else { return false }
        switch kind {
        case .domain: return index == other.index
        case .neuron: return layer == other.layer && index == other.index
        case .logit:
            return (index == other.index && self.other == other.other) || (index == other.other && self.other == other.index)
        case .pool:
            return layer == other.layer
                && ((index == other.index && self.other == other.other) || (index == other.other && self.other == other.index))
        }
    }

    /// True when a vertex on pool lines p (z_a = z_b) and q (z_b = z_c) of one max pool's inputs
    /// (continuous functions of the plane, so equal wherever the vertex was built) lies on `line`
    /// because `line` is z_x − z_y with x, y among a, b, c.
    static func poolTie(_ p: LineRef, _ q: LineRef, implies line: LineRef) -> Bool {
        guard line.kind == .pool, p.kind == .pool, q.kind == .pool, p.layer == line.layer, q.layer == line.layer else { return false }
        let units: Set<Int32> = [p.index, p.other, q.index, q.other]
        return units.count == 3 && units.contains(line.index) && units.contains(line.other)
    }
}

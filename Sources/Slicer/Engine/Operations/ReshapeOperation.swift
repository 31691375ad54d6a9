/// Flatten, Reshape, Identity, Dropout (inference): the same values, relabelled.
struct ReshapeOperation: AffineOperation {
    let outputCount: Int
    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) { body(0, u, 1) }
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) { body(index) }

    /// The tap formula's floats, 0 + 1·x̃, without its per-tap calls.
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        _ = copy(&out, units: units, input: inputs[0], listing: false)
    }

    func updateListingMoved(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) -> [Int] {
        copy(&out, units: units, input: inputs[0], listing: true)
    }

    private func copy(_ out: inout FloatValueMap, units: [Int], input: FloatValueMap, listing: Bool) -> [Int] {
        let n = outputCount
        var moved: [Int] = []
        if listing { moved.reserveCapacity(units.count) }
        out.rows.withUnsafeMutableBufferPointer { rows in
            input.rows.withUnsafeBufferPointer { x in
                for u in units {
                    let a = 0 + x[u], b = 0 + x[n + u], c = 0 + x[2 * n + u]
                    // NaN never equals itself, so a NaN output counts as moved.
                    if listing, !(rows[u] == a && rows[n + u] == b && rows[2 * n + u] == c) { moved.append(u) }
                    rows[u] = a; rows[n + u] = b; rows[2 * n + u] = c
                }
            }
        }
        return moved
    }
}

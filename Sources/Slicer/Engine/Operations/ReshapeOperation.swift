/// Flatten, Reshape, Identity, Dropout (inference): the same values, relabelled.
struct ReshapeOperation: AffineOperation {
    let outputCount: Int
    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) { body(0, u, 1) }
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) { body(index) }
}

/// The elementwise sum of two earlier values of the same size (a residual connection).
struct ResidualAddOperation: AffineOperation {
    let outputCount: Int
    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) { body(0, u, 1); body(1, u, 1) }
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) { body(index) }
}

/// y = x + c with c broadcast to the output shape (a bias added by `Add`).
struct AddConstantOperation: AffineOperation {
    let constant: [Double]
    var outputCount: Int { constant.count }
    func forEachTap(of u: Int, _ body: (Int, Int, Double) -> Void) { body(0, u, 1) }
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) { body(index) }
    func bias(of u: Int) -> Double { constant[u] }
}

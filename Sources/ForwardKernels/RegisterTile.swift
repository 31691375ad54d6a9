/// The micro-kernel both convolution plans share: six rows of inputs (output pixels of the direct
/// kernel, Winograd tiles) against one block of 2 vectors of output channels. Per term, the two weight
/// vectors are loaded once and each row's input is broadcast into one fused multiply-add per vector:
/// twelve independent accumulators keep both FMA pipes busy, and with two weight vectors and one
/// broadcast they fit in the sixteen vector registers.
///
/// Pre-specialised for Float and Double: a debug build compiles file by file, and the plans in other
/// files could then call only the generic body (generic SIMD through witness tables, ~10x slower);
/// a release build inlines it whole either way.
struct RegisterTile<T: KernelScalar> {
    /// Row k's sums for the block's low and high output channels.
    private var a00 = T.Vector(), a01 = T.Vector(), a10 = T.Vector(), a11 = T.Vector()
    private var a20 = T.Vector(), a21 = T.Vector(), a30 = T.Vector(), a31 = T.Vector()
    private var a40 = T.Vector(), a41 = T.Vector(), a50 = T.Vector(), a51 = T.Vector()

    /// Sums over terms t < `terms` of x_k[offset(t)] · (the t-th pair of weight vectors), for the rows
    /// x_0 … x_5; `weights` holds the pairs one after another.
    @inline(__always)
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    init(_ x0: UnsafePointer<T>, _ x1: UnsafePointer<T>, _ x2: UnsafePointer<T>, _ x3: UnsafePointer<T>,
         _ x4: UnsafePointer<T>, _ x5: UnsafePointer<T>, weights: UnsafePointer<T>, terms: Int, offset: (Int) -> Int) {
        var w = UnsafeRawPointer(weights)
        let half = T.Vector.scalarCount &* MemoryLayout<T>.stride
        for t in 0..<terms {
            let at = offset(t)
            let w0 = w.loadUnaligned(fromByteOffset: 0, as: T.Vector.self)
            let w1 = w.loadUnaligned(fromByteOffset: half, as: T.Vector.self)
            w += 2 &* half
            var x = T.Vector(repeating: x0[at])
            a00 = a00.addingProduct(x, w0); a01 = a01.addingProduct(x, w1)
            x = T.Vector(repeating: x1[at])
            a10 = a10.addingProduct(x, w0); a11 = a11.addingProduct(x, w1)
            x = T.Vector(repeating: x2[at])
            a20 = a20.addingProduct(x, w0); a21 = a21.addingProduct(x, w1)
            x = T.Vector(repeating: x3[at])
            a30 = a30.addingProduct(x, w0); a31 = a31.addingProduct(x, w1)
            x = T.Vector(repeating: x4[at])
            a40 = a40.addingProduct(x, w0); a41 = a41.addingProduct(x, w1)
            x = T.Vector(repeating: x5[at])
            a50 = a50.addingProduct(x, w0); a51 = a51.addingProduct(x, w1)
        }
    }

    /// Hands rows 0 ..< count (at most 6) with their low and high sums to `store`.
    @inline(__always)
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    func rows(_ count: Int, _ store: (Int, T.Vector, T.Vector) -> Void) {
        store(0, a00, a01)
        if count > 1 { store(1, a10, a11) }
        if count > 2 { store(2, a20, a21) }
        if count > 3 { store(3, a30, a31) }
        if count > 4 { store(4, a40, a41) }
        if count > 5 { store(5, a50, a51) }
    }
}

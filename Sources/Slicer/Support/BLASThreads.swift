import COpenBLAS

/// OpenBLAS's own thread count. Work that splits itself over cores (LC chunks, trainer half-batches)
/// runs faster with single-threaded gemms than with both layers of threading competing for 2 cores.
public enum BLASThreads {
    /// Runs `body` with OpenBLAS limited to one thread, then restores the previous count. The setting is
    /// process-wide: do not nest calls from concurrent threads.
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(previous) }
        return try body()
    }
}

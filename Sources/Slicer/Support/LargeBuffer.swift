#if canImport(Glibc)
import Glibc
#endif

/// Uninitialised memory for a large table that is written in full soon after (a layer's maps):
/// an ordinary allocation, freed with `deallocate()`, whose whole 2 MiB pages the kernel is asked
/// to back with huge pages where it can. Filling a table of tens of MB then costs one page fault
/// per 2 MiB instead of one per 4 KiB.
package enum LargeBuffer {
    /// Below this many bytes the advice is not worth a system call.
    static let threshold = 4 << 20
    static let hugePage = 2 << 20

    package static func allocate<T>(_: T.Type, capacity: Int) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: capacity)
        #if os(Linux)
        let bytes = capacity * MemoryLayout<T>.stride
        if bytes >= threshold, let base = buffer.baseAddress {
            // Only pages wholly inside the buffer: the advice never reaches memory it does not own.
            let address = UInt(bitPattern: base)
            let start = (address + UInt(hugePage - 1)) & ~UInt(hugePage - 1)
            let end = (address + UInt(bytes)) & ~UInt(hugePage - 1)
            if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_HUGEPAGE) }
        }
        #endif
        return buffer
    }
}

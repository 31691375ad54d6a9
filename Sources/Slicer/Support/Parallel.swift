import Foundation

/// Runs `body` over `chunks` contiguous pieces of 0..<count, concurrently on the machine's cores.
public func parallelChunks(_ count: Int, minimumChunk: Int = 1024, _ body: (Range<Int>) -> Void) {
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let chunks = max(1, min(cores, count / max(1, minimumChunk)))
    if chunks == 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        body((count * c / chunks)..<(count * (c + 1) / chunks))
    }
}

/// A thread-safe running total, for progress reports from concurrent workers.
final class ProgressCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func add(_ amount: Int) -> Int { lock.withLock { value += amount; return value } }
}

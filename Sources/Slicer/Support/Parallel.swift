import Foundation

/// A thread-safe running total, for progress reports from concurrent workers.
package final class ProgressCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    package init() {}
    package func add(_ amount: Int) -> Int { lock.withLock { value += amount; return value } }
}

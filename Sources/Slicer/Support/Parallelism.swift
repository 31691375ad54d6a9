import COpenBLAS
import Foundation

/// How many threads tessera's work may use (`--threads`; the machine's cores by default). One value
/// is passed through every API that runs in parallel: the engines, LC, validation, the forward pass,
/// training and the picture pipelines.
///
/// OpenBLAS is set to one thread once, when the first `Parallelism` is made (the CLI makes one at
/// start-up): every parallel piece of tessera splits its own work over `threads`, and BLAS threads
/// on top of them only compete for the same cores.
public struct Parallelism: Sendable, Hashable {
    /// At least 1.
    public let threads: Int

    public init(threads: Int) {
        _ = Parallelism.blasSetOnce
        self.threads = max(1, threads)
    }

    /// The machine's cores.
    public static var machine: Parallelism { Parallelism(threads: ProcessInfo.processInfo.activeProcessorCount) }
    /// One thread.
    public static var serial: Parallelism { Parallelism(threads: 1) }

    private static let blasSetOnce: Void = { openblas_set_num_threads(1) }()

    /// Workers for `tasks` independent tasks: at most `threads`, at least 1.
    public func workers(for tasks: Int) -> Int { max(1, min(threads, tasks)) }

    /// `body(i)` for each task i in 0..<tasks, concurrently on at most `threads` threads.
    public func perform(_ tasks: Int, _ body: (Int) -> Void) {
        let workers = workers(for: tasks)
        if workers == 1 { for i in 0..<tasks { body(i) }; return }
        if workers == tasks { DispatchQueue.concurrentPerform(iterations: tasks, execute: body); return }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: tasks, by: workers) { body(i) }
        }
    }

    /// Sets OpenBLAS to one thread, once (the CLI calls it at start-up; every `Parallelism` made does).
    public static func setUpBLAS() { _ = blasSetOnce }

    /// `body` over contiguous pieces of 0..<count (at most `threads`, each at least `minimumChunk`
    /// long unless there is only one), concurrently.
    public func chunks(_ count: Int, minimumChunk: Int = 1024, _ body: (Range<Int>) -> Void) {
        let pieces = max(1, min(threads, count / max(1, minimumChunk)))
        if pieces == 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: pieces) { c in
            body((count * c / pieces)..<(count * (c + 1) / pieces))
        }
    }
}

// Built with the tests; a plain release build of the package (no Testing module there) compiles it empty.
#if canImport(Testing)
import Testing

/// A suite trait for tests that run on several threads: such tests run one at a time, so that they do
/// not compete with each other for the cores (`.serialized` orders only the tests of one suite).
/// One definition for every test target, so that one gate holds across them all.
public struct OneAtATime: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public init() {}

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // Each test case holds the gate once; suites and whole parameterized tests pass through.
        guard testCase != nil else { return try await function() }
        await MultiThreadedGate.shared.enter()
        do { try await function() } catch { await MultiThreadedGate.shared.leave(); throw error }
        await MultiThreadedGate.shared.leave()
    }
}

extension Trait where Self == OneAtATime {
    /// Runs the suite's tests one at a time with every other suite marked `.oneAtATime`.
    public static var oneAtATime: OneAtATime { OneAtATime() }
}

/// The gate of `OneAtATime`: one holder at a time, the others wait in order.
actor MultiThreadedGate {
    static let shared = MultiThreadedGate()
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if !held { held = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}
#endif

import Foundation

/// Prints the time of each phase to stderr when TESSERA_DEBUG_TIMING is set (for profiling only).
public struct PhaseClock {
    static let enabled = ProcessInfo.processInfo.environment["TESSERA_DEBUG_TIMING"] != nil
    var last = Date()
    public init() {}
    public mutating func lap(_ label: @autoclosure () -> String) {
        guard PhaseClock.enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "%8.3f s  %@\n", now.timeIntervalSince(last), label()).utf8))
        last = now
    }
}

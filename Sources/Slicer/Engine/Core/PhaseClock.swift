import Foundation

/// Prints the time of each phase to stderr when TESSERA_DEBUG_TIMING is set (for profiling only).
public struct PhaseClock {
    static let enabled = ProcessInfo.processInfo.environment["TESSERA_DEBUG_TIMING"] != nil
    var last = Date()
    public init() {}

    /// The process's peak resident memory so far (VmHWM), in MB; 0 where /proc is missing.
    static func peakMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
    public mutating func lap(_ label: @autoclosure () -> String) {
        guard PhaseClock.enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "%8.3f s  %@  (peak %d MB)\n", now.timeIntervalSince(last), label(),
                                                   PhaseClock.peakMegabytes()).utf8))
        last = now
    }
}

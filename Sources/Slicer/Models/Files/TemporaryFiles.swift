// Temporary files in progress, removed by a signal handler if the process is interrupted.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of writes in progress. Outputs are written to a temporary file and renamed,
/// so an interrupted write never leaves a partial file under the destination's name; with
/// `removeOnSignals()` installed it does not leave the temporary file behind either.
public enum TemporaryFiles {
    static let capacity = 64

    /// Fixed slots of C strings, so the signal handler reads them without locking or allocating.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()
    static let lock = NSLock()

    /// Registers a path about to be created; nil when every slot is taken (the file is then simply
    /// not cleaned up on a signal).
    static func register(_ path: String) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        for index in 0..<capacity where slots[index] == nil {
            slots[index] = strdup(path)
            return index
        }
        return nil
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        defer { lock.unlock() }
        let path = slots[slot]
        slots[slot] = nil
        free(path)
    }

    /// Installs handlers for SIGINT, SIGTERM and SIGHUP that unlink the registered temporary files,
    /// then die of the same signal (so the exit status still says what happened).
    public static func removeOnSignals() {
        _ = slots  // initialise the slots before a handler can look at them
        // A parent may start us with these signals blocked (a blocked mask survives exec; libdispatch
        // worker threads block them, for one): unblock them, or Ctrl-C would wait for the process to end.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            sigaddset(&unblock, signalNumber)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            let previous = signal(signalNumber) { received in
                // Only async-signal-safe calls here: unlink, signal, raise.
                for index in 0..<TemporaryFiles.capacity {
                    if let path = TemporaryFiles.slots[index] { unlink(path) }
                }
                signal(received, SIG_DFL)
                raise(received)
            }
            // A signal the parent chose to ignore (nohup, `cmd &` in a script) stays ignored.
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                signal(signalNumber, SIG_IGN)
            }
        }
    }
}

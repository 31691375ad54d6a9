import Foundation

/// Whether this run includes the long cases (`TESSERA_FULL_TESTS=1`). A plain `swift test` runs a
/// few cases of each family; CI runs every case as a step of its own (scripts/run-full-tests.sh).
public let fullTests = ProcessInfo.processInfo.environment["TESSERA_FULL_TESTS"] == "1"

/// Says on the test log, by the test's name, what a plain `swift test` leaves to the full tests, so that
/// no case is dropped silently. Nothing is said when the full tests run.
public func noteFullTestsOnly(_ test: String, _ left: String) {
    if !fullTests { print("full tests only (TESSERA_FULL_TESTS=1): \(test): \(left)") }
}

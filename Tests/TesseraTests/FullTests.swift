import Foundation

/// Whether this run includes the long comparisons (`TESSERA_FULL_TESTS=1`). A plain `swift test` runs a
/// few cases of each family; CI runs every case as a step of its own (scripts/run-full-tests.sh).
let fullTests = ProcessInfo.processInfo.environment["TESSERA_FULL_TESTS"] == "1"

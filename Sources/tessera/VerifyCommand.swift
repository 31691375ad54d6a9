import ArgumentParser
import Foundation
import Slicer

/// The full certified-vs-exact sweep: every case must give identical combinatorial output.
///
/// Test-only switch: the environment variable `TESSERA_VERIFY_FAULT=N` injects a difference into
/// case N's certified output, so that a test can see the sweep fail, exit non-zero and name it.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare certified and exact arithmetic on seeded random and degenerate networks.",
        discussion: "With --graphs the certified mode runs on two threads and the exact mode on one.")

    @Option(help: "Number of cases.") var cases = 1000
    @Option(help: "Seed of the family.") var seed: UInt64 = 1
    @Flag(help: "Graph models (convolutions, pools, batch norm, residual sums) through the graph engine instead of MLPs.")
    var graphs = false
    @Flag(name: .customLong("max-pool"), help: "With --graphs: graph models with max pooling (after activations and convolutions, overlapping and degenerate windows).")
    var maxPool = false

    func run() throws {
        if maxPool && !graphs { throw TesseraError.badInput("--max-pool goes with --graphs") }
        let faultyCase = ProcessInfo.processInfo.environment["TESSERA_VERIFY_FAULT"].flatMap { Int($0) }
        if graphs {
            try sweep("graph cases", make: { ($0, maxPool ? maxPoolVerificationCase($0, seed: seed) : graphVerificationCase($0, seed: seed)) },
                      family: \.1.family, compare: { try compareGraphArithmetics($0.1, injectFault: $0.0 == faultyCase) })
        } else {
            try sweep("cases", make: { ($0, verificationCase($0, seed: seed)) }, family: \.1.family,
                      compare: { try compareArithmetics($0.1, injectFault: $0.0 == faultyCase) })
        }
    }

    /// Compares both arithmetics on every case, printing each difference and a summary per family.
    func sweep<Case: CustomStringConvertible>(_ what: String, make: (Int) -> (Int, Case), family: ((Int, Case)) -> String,
                                             compare: ((Int, Case)) throws -> String?) throws {
        var failures = 0
        var families: [String: Int] = [:]
        for index in 0..<cases {
            let testCase = make(index)
            families[family(testCase), default: 0] += 1
            if let difference = try compare(testCase) {
                failures += 1
                printError("case \(index) (\(testCase.1)): \(difference)")
            }
            if (index + 1) % 100 == 0 { printError("\(index + 1)/\(cases) \(what), \(failures) differences") }
        }
        let summary = families.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("\(cases - failures) passed, \(failures) failed (\(summary))")
        if failures > 0 { throw TesseraError.badInput("certified and exact arithmetic differ on \(failures) \(what)") }
    }
}

// `tessera verify` through the real executable: a sweep passes when the arithmetics agree, and
// fails (non-zero exit, the case named) when they do not. The disagreement is injected with the
// test-only environment variable TESSERA_VERIFY_FAULT=N (case N's certified output is altered).

import Foundation
import Testing

@Suite("tessera verify", .timeLimit(.minutes(20)))
struct VerifyCommandTests {
    @Test(arguments: [[String](), ["--graphs"], ["--graphs", "--max-pool"]])
    func aSweepPassesAndFailsOnAnInjectedDifference(mode: [String]) throws {
        let clean = try runTessera(["verify", "--cases", "3", "--seed", "2"] + mode)
        #expect(clean.status == 0, "\(clean)")
        #expect(clean.stdout.hasPrefix("3 passed, 0 failed"), "\(clean)")
        let faulty = try runTessera(["verify", "--cases", "3", "--seed", "2"] + mode, environment: ["TESSERA_VERIFY_FAULT": "1"])
        #expect(faulty.status != 0 && !faulty.signaled, "\(faulty)")
        #expect(faulty.stdout.hasPrefix("2 passed, 1 failed"), "\(faulty)")
        let named = faulty.stderrLines.filter { $0.hasPrefix("case 1 (") }
        #expect(named.count == 1 && named[0].contains("faces differ"), "\(faulty)")
        #expect(!faulty.stderr.contains("case 0 (") && !faulty.stderr.contains("case 2 ("), "\(faulty)")
        #expect(faulty.stderrLines.last?.hasPrefix("error: certified and exact arithmetic differ on 1") == true, "\(faulty)")
    }
}

import Foundation
import Testing

/// User-facing text cites nothing the repository does not hold: no specification sections, no
/// paths outside the repository.
@Suite(.timeLimit(.minutes(20)))
struct StandAloneTextTests {
    static let forbidden = ["SPEC", "§", "../shared"]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func citations(in text: String) -> [String] {
        text.split(separator: "\n").filter { line in forbidden.contains { line.contains($0) } }.map(String.init)
    }

    @Test(arguments: ["", "slice", "train", "render", "lc", "validate", "figure", "demo", "bench", "verify", "inspect", "forward", "view"])
    func helpCitesNoSpecification(_ command: String) throws {
        let run = try runTessera(command.isEmpty ? ["--help"] : ["help", command])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("USAGE"), "\(run.stdout.prefix(200))")
        #expect(Self.citations(in: run.stdout).isEmpty, "tessera \(command) --help: \(Self.citations(in: run.stdout))")
    }

    @Test func documentsCiteNoSpecification() throws {
        let docs = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        #expect(docs.contains("docs/errors.md") && docs.contains("docs/workloads.md"))
        for name in ["README.md"] + docs {
            let text = try String(contentsOf: Self.root.appendingPathComponent(name), encoding: .utf8)
            #expect(Self.citations(in: text).isEmpty, "\(name): \(Self.citations(in: text))")
        }
    }

    @Test func readmeDescribesTheStandardWorkload() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/workloads.md"), encoding: .utf8)
        for fact in ["784→200→200→200→200→10", "He-initialised", "N(0, 0.1²)", "[0,1]^784", "square:1.5", "--seed"] {
            #expect(text.contains(fact), "docs/workloads.md does not say \(fact)")
        }
    }
}

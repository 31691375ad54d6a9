// Output checks and option parsing under hostile conditions (the CLI-level tests live in TesseraTests).

import Foundation
import Slicer
import Testing

@Suite(.timeLimit(.minutes(20))) struct HostileInputs {
    @Test func checkWritableProbesAndLeavesNothing() throws {
        let scratch = ScratchDirectory()
        try OutputFile.checkWritable(scratch.file("out.json"))
        #expect(scratch.contents.isEmpty, "probe left behind: \(scratch.contents)")
        #expect(mentions(errorMessage { try OutputFile.checkWritable(scratch.file("no/such/out.json")) }, "does not exist"))
        #expect(mentions(errorMessage { try OutputFile.checkWritable(scratch.path) }, "names a directory"))
        // access() grants root everything; the probe finds out that /proc takes no new files.
        #expect(mentions(errorMessage { try OutputFile.checkWritable("/proc/tessera-out.json") }, "/proc/tessera-out.json: cannot write"))
    }

    @Test func atomicWritesLeaveOnlyTheDestination() throws {
        let scratch = ScratchDirectory()
        try OutputFile.write("{}\n", to: scratch.file("a.json"))
        try NPY.write(Tensor(shape: [1, 2], dtype: .f64, values: [1, 2]), path: scratch.file("b.npy"))
        #expect(scratch.contents.sorted() == ["a.json", "b.npy"])
        // A failed rename (the destination is a non-empty directory) removes the temporary file.
        try FileManager.default.createDirectory(atPath: scratch.file("dir/inner"), withIntermediateDirectories: true)
        #expect(mentions(errorMessage { try OutputFile.write("x", to: scratch.file("dir")) }, "cannot write"))
        #expect(scratch.contents.sorted() == ["a.json", "b.npy", "dir"])
    }

    @Test(arguments: ["disk:@2", "diamond:0.5@", "square:", "triangle:", "disk:", "square:-0", "disk:1@0", "disk:1@1@2", ":1"])
    func domainSpecRejects(_ text: String) {
        #expect(mentions(errorMessage { _ = try DomainSpec(parsing: text) }, "domain"), "\(text)")
    }

    @Test func domainSpecAccepts() throws {
        #expect(try DomainSpec(parsing: "square") == .square(scale: 1.5))
        #expect(try DomainSpec(parsing: "disk:0.25@3") == .disk(radius: 0.25, anchor: 3))
        #expect(try DomainSpec(parsing: "DIAMOND:2") == .diamond(radius: 2, anchor: 1))
    }
}

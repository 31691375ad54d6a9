// `slice --class-names`: the names a class-filled picture's legend gives the classes when the anchors
// come from --points, which carries no dataset.

import Foundation
import Testing

@Suite("slice --class-names", .timeLimit(.minutes(20)))
struct ClassNamesCLITests {
    /// Slices the scratch model (3 classes) to a class-filled PNG with `extra` options; the PNG's bytes.
    static func picture(_ s: CLIScratch, _ name: String, _ extra: [String]) throws -> [UInt8] {
        let run = try runTessera(sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"),
                                                ["--png", s.file(name), "--fill", "class", "--size", "400"] + extra))
        #expect(run.status == 0, "\(run)")
        return s.bytes(name)
    }

    /// The legend's default names given explicitly draw the default picture; other names another one.
    @Test func classNamesReplaceTheDefaultLegendLabels() throws {
        let s = try CLIScratch()
        let plain = try Self.picture(s, "plain.png", [])
        let defaults = try Self.picture(s, "defaults.png", ["--class-names", "class 0,class 1,class 2"])
        let named = try Self.picture(s, "named.png", ["--class-names", "T-shirt/top,Trouser,Pullover"])
        #expect(defaults == plain)
        #expect(named != plain)
    }

    @Test func anEmptyNameIsOneErrorLine() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"),
                                             ["--class-names", "Trouser,,Bag"]), "--class-names", "empty name")
    }
}

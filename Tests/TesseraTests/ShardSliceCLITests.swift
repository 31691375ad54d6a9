import Foundation
import Slicer
import Testing

/// `slice --shard I/N` and `tessera merge` through the real binary: the strips stitched are the slice
/// one process writes, and merge refuses missing, foreign or mixed parts.
@Suite(.timeLimit(.minutes(20))) struct ShardSliceCLITests {
    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// The file's lines without timings ("seconds") and the counts of how sign decisions were taken
    /// (a strip takes its own): every other line is compared.
    func comparable(_ path: String) -> [Substring]? {
        contents(path).map {
            String(decoding: $0, as: UTF8.self).split(separator: "\n")
                .filter { line in !["\"seconds\"", "\"certified\" :", "\"symbolic\" :", "\"exact\" :"].contains { line.contains($0) } }
        }
    }

    func shareAndMerge(_ arguments: [String], outputs: [String], count: Int) throws {
        for i in 1...count {
            let run = try runTessera(arguments + ["--shard", "\(i)/\(count)"])
            #expect(run.status == 0, "\(run)")
        }
        let merge = try runTessera(["merge"] + outputs)
        #expect(merge.status == 0, "\(merge)")
    }

    @Test func stripsOfAGraphModelMergeToTheOneProcessFiles() throws {
        let scratch = try CLIScratch()
        let slice = { (out: String) in
            ["slice", "--model", ShardCLITests.cnnRun + "/checkpoints/step-000000010.safetensors", "--points", scratch.file("cnn-anchors.npy"),
             "--domain", "disk:0.5", "--json", scratch.file(out + ".json"), "--png", scratch.file(out + ".png"),
             "--regions", scratch.file(out + ".geojson")]
        }
        // Anchors in the CNN's 784 inputs.
        var anchors: [Double] = []
        for k in 0..<3 { for i in 0..<784 { anchors.append(Double((i * (k + 3) * 7919) % 256) / 255) } }
        try writeNPY(anchors, shape: [3, 784], to: scratch.file("cnn-anchors.npy"))
        #expect(try runTessera(slice("one")).status == 0)
        for count in [2, 3] {
            let out = "n\(count)"
            try shareAndMerge(slice(out), outputs: ["json", "png", "geojson"].map { scratch.file(out + "." + $0) }, count: count)
            #expect(contents(scratch.file(out + ".png")) != nil && contents(scratch.file(out + ".png")) == contents(scratch.file("one.png")), "N = \(count)")
            for file in [".geojson", ".json"] {
                let difference = jsonDifference(contents(scratch.file(out + file)), contents(scratch.file("one" + file)))
                #expect(difference == nil, "N = \(count) \(file): \(difference ?? "")")
            }
        }
        // Not vacuous: the strips cut regions that the merge glued back.
        let json = String(decoding: contents(scratch.file("one.json")) ?? Data(), as: UTF8.self)
        #expect(json.contains("\"regions\" : ") && !json.contains("\"regions\" : 1,"))
    }

    /// The MLP engine's floats depend on a region's pattern and maps only, never on the strip it was
    /// sliced in: merged JSON (but for timings and decision counts), GeoJSON and PNG are one process's
    /// bytes, on a square and a disk, for 2 and 3 strips.
    @Test(arguments: ["square:1.5", "disk:0.5"]) func stripsOfAnMLPMergeToTheOneProcessBytes(domain: String) throws {
        let scratch = try CLIScratch()
        // Deep enough that strips cut many regions and their vertices' corrections differ.
        let (network, anchors) = try standardWorkload(widths: [16, 40, 40, 40, 3], seed: 11)
        try ModelFile.save(network, path: scratch.file("deep.safetensors"), dtype: .f32, metadata: [:])
        try NPY.write(Tensor(shape: [3, 16], dtype: .f64, values: anchors.flatMap { $0 }), path: scratch.file("deep.npy"))
        let slice = { (out: String) in
            ["slice", "--model", scratch.file("deep.safetensors"), "--points", scratch.file("deep.npy"), "--domain", domain,
             "--json", scratch.file(out + ".json"), "--png", scratch.file(out + ".png"), "--regions", scratch.file(out + ".geojson"),
             "--size", "400"]
        }
        #expect(try runTessera(slice("one")).status == 0)
        for count in [2, 3] {
            let out = "n\(count)"
            try shareAndMerge(slice(out), outputs: ["json", "png", "geojson"].map { scratch.file(out + "." + $0) }, count: count)
            for file in [".png", ".geojson"] {
                #expect(contents(scratch.file(out + file)) != nil && contents(scratch.file(out + file)) == contents(scratch.file("one" + file)),
                        "\(domain) N = \(count) \(file)")
            }
            #expect(comparable(scratch.file(out + ".json")) != nil && comparable(scratch.file(out + ".json")) == comparable(scratch.file("one.json")),
                    "\(domain) N = \(count) .json")
        }
        // Not vacuous: hundreds of regions, so the seams cut many.
        let json = String(decoding: contents(scratch.file("one.json")) ?? Data(), as: UTF8.self)
        let regions = json.split(separator: "\n").filter { $0.contains("\"regions\" : ") }.compactMap { Int($0.filter(\.isNumber)) }.max() ?? 0
        #expect(regions > 150, "\(regions) regions")
    }

    @Test func mergeRefusesMissingForeignAndMixedStrips() throws {
        let scratch = try CLIScratch()
        let slice = { (domain: String) in
            ["slice", "--model", scratch.file("model.safetensors"), "--points", scratch.file("anchors.npy"), "--domain", domain,
             "--json", scratch.file("p.json")]
        }
        let part = { (i: Int, n: Int) in scratch.file("p.json.shard-\(i)-of-\(n)") }
        for i in [1, 3] { #expect(try runTessera(slice("square") + ["--shard", "\(i)/3"]).status == 0) }
        var result = try runTessera(["merge", scratch.file("p.json")])
        #expect(result.status != 0 && result.stderr.contains("p.json.shard-2-of-3 is missing") && !FileManager.default.fileExists(atPath: scratch.file("p.json")), "\(result)")
        #expect(try runTessera(slice("disk:0.5") + ["--shard", "2/3"]).status == 0)
        result = try runTessera(["merge", scratch.file("p.json")])
        #expect(result.status != 0 && result.stderr.contains("is foreign") && !FileManager.default.fileExists(atPath: scratch.file("p.json")), "\(result)")
        #expect(try runTessera(slice("square") + ["--shard", "2/3"]).status == 0)
        #expect(try runTessera(slice("square") + ["--shard", "1/2"]).status == 0)
        result = try runTessera(["merge", scratch.file("p.json")])
        #expect(result.status != 0 && result.stderr.contains("disagree on N") && !FileManager.default.fileExists(atPath: scratch.file("p.json")), "\(result)")
        try FileManager.default.removeItem(atPath: part(1, 2))
        // A part cut short (a copy that failed midway) is refused by name; the whole one merges.
        let whole = try #require(contents(part(3, 3)))
        try whole.prefix(whole.count - 9).write(to: URL(fileURLWithPath: part(3, 3)))
        result = try runTessera(["merge", scratch.file("p.json")])
        #expect(result.status != 0 && result.stderr.contains("p.json.shard-3-of-3 holds a damaged slice strip")
                && !FileManager.default.fileExists(atPath: scratch.file("p.json")), "\(result)")
        try whole.write(to: URL(fileURLWithPath: part(3, 3)))
        result = try runTessera(["merge", scratch.file("p.json")])
        #expect(result.status == 0, "\(result)")
        result = try runTessera(slice("square") + ["--shard", "1/2", "--regions", scratch.file("r.geojson"), "--exact-vertices"])
        #expect(result.status != 0 && result.stderr.contains("--exact-vertices is not available with --shard"), "\(result)")
    }
}

/// Where two JSON documents differ, or nil: the same keys, arrays, strings and integers, and the same
/// floats up to their last bits (a stitched slice's vertices are the same exact points as one
/// process's, but the engine's float maps, and so its vertices' float coordinates, depend on the
/// order the regions were split in). Timings and decision counts are skipped.
func jsonDifference(_ a: Data?, _ b: Data?) -> String? {
    guard let a, let b, let x = try? JSONSerialization.jsonObject(with: a), let y = try? JSONSerialization.jsonObject(with: b) else {
        return "missing or not JSON"
    }
    func compare(_ x: Any, _ y: Any, _ path: String) -> String? {
        if let x = x as? [String: Any], let y = y as? [String: Any] {
            guard Set(x.keys) == Set(y.keys) else { return "\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())" }
            for key in x.keys.sorted() where !["seconds", "decisions"].contains(key) {
                if let d = compare(x[key]!, y[key]!, path + "." + key) { return d }
            }
            return nil
        }
        if let x = x as? [Any], let y = y as? [Any] {
            guard x.count == y.count else { return "\(path): \(x.count) vs \(y.count) items" }
            for i in x.indices { if let d = compare(x[i], y[i], path + "[\(i)]") { return d } }
            return nil
        }
        if let x = x as? String, let y = y as? String { return x == y ? nil : "\(path): \(x) vs \(y)" }
        if let x = x as? NSNumber, let y = y as? NSNumber {
            let (u, v) = (x.doubleValue, y.doubleValue)
            return u == v || abs(u - v) <= 1e-9 * max(1, abs(u), abs(v)) ? nil : "\(path): \(u) vs \(v)"
        }
        return "\(path): \(x) vs \(y)"
    }
    return compare(x, y, "")
}

/// A float64 .npy of this shape.
func writeNPY(_ values: [Double], shape: [Int], to path: String) throws {
    var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
    while (10 + header.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xff), UInt8(header.count >> 8)])
    data.append(Data(header.utf8))
    for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    try data.write(to: URL(fileURLWithPath: path))
}

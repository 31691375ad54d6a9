// Hostile inputs through the real `tessera` executable: every bad input must end with exit status
// 1 (bad input, failed work) or 2 (usage), exactly one line on stderr naming the problem, no signal,
// and no output file left behind.

import Foundation
import Slicer
import Testing

// MARK: - Running the binary

/// The built `tessera` executable: `$TESSERA_BINARY`, else next to this test runner (the test target
/// depends on the executable, so `swift test` always builds it into the same directory), else
/// `.build/debug/tessera` under the package root.
let tesseraBinary: String? = {
    let fileManager = FileManager.default
    var candidates: [String] = []
    if let explicit = ProcessInfo.processInfo.environment["TESSERA_BINARY"] { candidates.append(explicit) }
    let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    var directory = runner.deletingLastPathComponent()
    // On some platforms the runner sits inside a bundle (…/X.xctest/Contents/MacOS/X); walk up a little.
    for _ in 0..<4 {
        candidates.append(directory.appendingPathComponent("tessera").path)
        directory = directory.deletingLastPathComponent()
    }
    if let executable = Bundle.main.executableURL?.deletingLastPathComponent() {
        candidates.append(executable.appendingPathComponent("tessera").path)
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/tessera").path)
    return candidates.first { path in
        var isDirectory: ObjCBool = false
        return fileManager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && fileManager.isExecutableFile(atPath: path)
    }
}()

struct CLIRun: CustomStringConvertible {
    var status: Int32
    var signaled: Bool
    var stdout: String
    var stderr: String
    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }
    var description: String { "status \(status)\(signaled ? " (signal)" : ""), stderr: \(stderr.debugDescription)" }
}

/// The path of the built binary; a missing binary fails the test that needs it (it is never skipped).
func requireBinary(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(tesseraBinary, "tessera binary not found next to the test runner or in .build/debug (set TESSERA_BINARY)",
                 sourceLocation: sourceLocation)
}

/// Reads a pipe to its end on another thread, so that a chatty child cannot block on a full pipe.
final class PipeDrain: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchGroup()
    private var data = Data()

    init(_ handle: FileHandle) {
        done.enter()
        DispatchQueue.global().async { [self] in
            let bytes = handle.readDataToEndOfFile()
            lock.withLock { data = bytes }
            done.leave()
        }
    }

    /// Everything the pipe delivered, once it is closed.
    func wait() -> Data {
        done.wait()
        return lock.withLock { data }
    }
}

/// Runs `tessera` with `arguments`, in `directory`, and collects everything.
func runTessera(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> CLIRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try requireBinary())
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let errors = PipeDrain(err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.wait()
    process.waitUntilExit()
    return CLIRun(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                  stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

// MARK: - Fixtures

/// A scratch directory holding a small valid model, anchors and an IDX dataset, plus builders for
/// broken variants.
final class CLIScratch {
    let path: String
    /// 16 inputs (4×4 images) → 24 → 24 → 3, ReLU.
    let network: Network
    let anchors: [[Double]]

    init() throws {
        path = NSTemporaryDirectory() + "tessera-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        (network, anchors) = try standardWorkload(widths: [16, 24, 24, 3], seed: 7)
        try ModelFile.save(network, path: file("model.safetensors"), dtype: .f32, metadata: [:])
        try NPY.write(Tensor(shape: [3, 16], dtype: .f64, values: anchors.flatMap { $0 }), path: file("anchors.npy"))
        try FileManager.default.createDirectory(atPath: file("data"), withIntermediateDirectories: true)
        write("data/train-images-idx3-ubyte", idx([0, 0, 8, 3], dimensions: [5, 4, 4], data: (0..<80).map { UInt8(($0 * 37) % 256) }))
        write("data/train-labels-idx1-ubyte", idx([0, 0, 8, 1], dimensions: [5], data: [0, 1, 2, 1, 0]))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let target = file(name)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }

    func bytes(_ name: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: file(name))!) }

    /// Everything in the directory except the fixtures, i.e. what a run left behind.
    func leftovers() -> [String] {
        let fixtures: Set = ["model.safetensors", "anchors.npy", "data"]
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            // A directory that is gone has not been shown to be free of leftovers.
            Issue.record("cannot list \(path): \(error)")
            return ["(cannot list the directory)"]
        }
        return entries.filter { !fixtures.contains($0) && !$0.hasPrefix("in-") }.sorted()
    }

    func idx(_ magic: [UInt8], dimensions: [UInt32], data: [UInt8]) -> [UInt8] {
        magic + dimensions.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * (3 - UInt32($0)))) } } + data
    }

    /// A model file from raw tensors (name, shape, values), float32.
    @discardableResult
    func model(_ name: String, _ tensors: [(String, [Int], [Double])], metadata: [String: String] = [:]) throws -> String {
        try SafeTensors.write(path: file(name), tensors: tensors.map { ($0.0, Tensor(shape: $0.1, dtype: .f32, values: $0.2)) },
                              metadata: metadata)
        return file(name)
    }

    /// Anchors as a float64 .npy.
    @discardableResult
    func points(_ name: String, _ rows: [[Double]]) throws -> String {
        try NPY.write(Tensor(shape: [rows.count, rows[0].count], dtype: .f64, values: rows.flatMap { $0 }), path: file(name))
        return file(name)
    }
}

func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

func safetensorsBytes(_ header: String, _ data: [UInt8]) -> [UInt8] {
    var json = Array(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    return le(UInt64(json.count), 8) + json + data
}

func npyBytes(_ header: String, _ data: [UInt8]) -> [UInt8] {
    let text = Array((header + "\n").utf8)
    return [0x93] + Array("NUMPY".utf8) + [1, 0] + le(UInt64(text.count), 2) + text + data
}

/// The standard output options of a failing run: every format tessera writes.
let outputNames = ["out.json", "out.png", "out.svg", "out.pdf"]

/// Runs `slice` with `arguments` plus every output option, and checks the bad-input contract:
/// status 1 or 2 (not a signal), one stderr line containing each of `fragments` (case-insensitive),
/// nothing written.
func expectRejected(_ scratch: CLIScratch, _ arguments: [String], _ fragments: String...,
                    status: Int32? = nil, withOutputs: Bool = true,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    var all = arguments
    if withOutputs {
        all += ["--json", scratch.file("out.json"), "--png", scratch.file("out.png"),
                "--svg", scratch.file("out.svg"), "--pdf", scratch.file("out.pdf")]
    }
    let run = try runTessera(all, in: scratch.path)
    #expect(!run.signaled, "terminated by a signal: \(run)", sourceLocation: sourceLocation)
    #expect(run.status == 1 || run.status == 2, "\(run)", sourceLocation: sourceLocation)
    if let status { #expect(run.status == status, "\(run)", sourceLocation: sourceLocation) }
    #expect(run.stderrLines.count == 1 && run.stderr.hasSuffix("\n"), "stderr must be exactly one line: \(run)", sourceLocation: sourceLocation)
    #expect(run.stderr.hasPrefix("error: "), "\(run)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(run.stderr.lowercased().contains(fragment.lowercased()), "stderr should mention '\(fragment)': \(run)",
                sourceLocation: sourceLocation)
    }
    #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"), "\(run)", sourceLocation: sourceLocation)
    #expect(scratch.leftovers().isEmpty, "left behind: \(scratch.leftovers())", sourceLocation: sourceLocation)
}

/// `slice --model M --points P` plus extra arguments.
func sliceArguments(model: String, points: String, _ extra: [String] = []) -> [String] {
    ["slice", "--model", model, "--points", points] + extra
}

// MARK: - Tests

@Suite("tessera CLI on hostile inputs", .timeLimit(.minutes(20)))
struct CLIErrorTests {
    @Test func binaryIsBuilt() throws {
        let path = try requireBinary()
        #expect(FileManager.default.isExecutableFile(atPath: path))
    }

    @Test func validRunWritesJSONAndExitsZero() throws {
        let s = try CLIScratch()
        let run = try runTessera(sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"),
                                                ["--json", s.file("out.json")]))
        #expect(run.status == 0 && !run.signaled, "\(run)")
        #expect(s.leftovers() == ["out.json"])
        let summary = try JSONSerialization.jsonObject(with: Data(s.bytes("out.json"))) as? [String: Any]
        #expect((summary?["regions"] as? Int ?? 0) > 10)
    }

    // MARK: safetensors

    @Test func safetensorsHeaderLengthBeyondFileSize() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", le(1000, 8) + Array("{}".utf8))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "header length", "exceeds file size")
    }

    @Test func safetensorsHugeHeaderLength() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", le(UInt64.max, 8) + Array("{}".utf8))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "header length")
    }

    @Test func safetensorsTooShortForLength() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", [1, 2, 3])
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "too short")
    }

    @Test func safetensorsBadJSON() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", safetensorsBytes("{\"0.weight\": {\"dtype\": ", []))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "header", "JSON")
    }

    @Test func safetensorsHeaderNotAnObject() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", safetensorsBytes("[1, 2]", []))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "header")
    }

    @Test func safetensorsUnknownDtype() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", safetensorsBytes(#"{"0.weight": {"dtype": "I7", "shape": [1], "data_offsets": [0, 1]}}"#, [0]))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "dtype", "I7")
    }

    @Test func safetensorsOffsetsOutOfRange() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", safetensorsBytes(#"{"0.weight": {"dtype": "F32", "shape": [250], "data_offsets": [0, 1000]}}"#, [UInt8](repeating: 0, count: 16)))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "data_offsets", "outside")
    }

    @Test func safetensorsNegativeAndHugeOffsets() throws {
        let s = try CLIScratch()
        let negative = s.write("in-neg.safetensors", safetensorsBytes(#"{"0.weight": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}"#, [0, 0, 0, 0]))
        try expectRejected(s, sliceArguments(model: negative, points: s.file("anchors.npy")), "data_offsets")
        let huge = s.write("in-huge.safetensors", safetensorsBytes(#"{"0.weight": {"dtype": "F32", "shape": [1], "data_offsets": [9223372036854775807, 18446744073709551615]}}"#, [0, 0, 0, 0]))
        try expectRejected(s, sliceArguments(model: huge, points: s.file("anchors.npy")), "data_offsets")
        let shape = s.write("in-shape.safetensors", safetensorsBytes(#"{"0.weight": {"dtype": "F64", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}}"#, [UInt8](repeating: 0, count: 8)))
        try expectRejected(s, sliceArguments(model: shape, points: s.file("anchors.npy")), "too many elements")
    }

    @Test func safetensorsOverlappingTensors() throws {
        let s = try CLIScratch()
        let header = #"{"0.weight": {"dtype": "F32", "shape": [1, 4], "data_offsets": [0, 16]}, "0.bias": {"dtype": "F32", "shape": [1], "data_offsets": [12, 16]}}"#
        let model = s.write("in-m.safetensors", safetensorsBytes(header, [UInt8](repeating: 0, count: 16)))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "overlap")
    }

    @Test func safetensorsDataShort() throws {
        let s = try CLIScratch()
        let valid = s.bytes("model.safetensors")
        let model = s.write("in-m.safetensors", Array(valid.dropLast(10)))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "truncated")
    }

    @Test func safetensorsSizeMismatch() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", safetensorsBytes(#"{"0.weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 12]}}"#, [UInt8](repeating: 0, count: 12)))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "needs 16")
    }

    @Test func newlineInTensorNameStaysOnOneLine() throws {
        let s = try CLIScratch()
        let model = s.write("in-m.safetensors", safetensorsBytes(#"{"evil\nname": {"dtype": "Q8", "shape": [1], "data_offsets": [0, 1]}}"#, [0]))
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "dtype")
    }

    @Test func modelIsADirectoryOrMissing() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("data"), points: s.file("anchors.npy")), "not a regular file")
        try expectRejected(s, sliceArguments(model: s.file("nope.safetensors"), points: s.file("anchors.npy")), "cannot open")
    }

    // MARK: model structure

    @Test func shapesThatDoNotChain() throws {
        let s = try CLIScratch()
        let model = try s.model("in-m.safetensors", [("0.weight", [8, 16], Array(repeating: 0.1, count: 128)), ("0.bias", [8], Array(repeating: 0, count: 8)),
                                                    ("2.weight", [3, 5], Array(repeating: 0.1, count: 15)), ("2.bias", [3], [0, 0, 0])])
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "2.weight", "inputs", "outputs")
    }

    @Test func biasShapeMismatchAndMissingBias() throws {
        let s = try CLIScratch()
        let bias = try s.model("in-b.safetensors", [("0.weight", [3, 16], Array(repeating: 0.1, count: 48)), ("0.bias", [4], [0, 0, 0, 0])])
        try expectRejected(s, sliceArguments(model: bias, points: s.file("anchors.npy")), "0.bias", "shape")
        let missing = try s.model("in-w.safetensors", [("0.weight", [3, 16], Array(repeating: 0.1, count: 48))])
        try expectRejected(s, sliceArguments(model: missing, points: s.file("anchors.npy")), "no bias")
        let oneD = try s.model("in-1d.safetensors", [("0.weight", [16], Array(repeating: 0.1, count: 16)), ("0.bias", [1], [0])])
        try expectRejected(s, sliceArguments(model: oneD, points: s.file("anchors.npy")), "2-D")
    }

    @Test func noLayers() throws {
        let s = try CLIScratch()
        let empty = try s.model("in-e.safetensors", [], metadata: ["format": "pt"])
        try expectRejected(s, sliceArguments(model: empty, points: s.file("anchors.npy")), "no tensors")
        let other = try s.model("in-o.safetensors", [("embedding", [2, 2], [1, 2, 3, 4])])
        try expectRejected(s, sliceArguments(model: other, points: s.file("anchors.npy")), "not a Linear layer")
    }

    @Test func nonFiniteWeightsAndBiases() throws {
        let s = try CLIScratch()
        var weights = Array(repeating: 0.1, count: 48)
        weights[7] = .nan
        let nanWeight = try s.model("in-w.safetensors", [("0.weight", [3, 16], weights), ("0.bias", [3], [0, 0, 0])])
        try expectRejected(s, sliceArguments(model: nanWeight, points: s.file("anchors.npy")), "0.weight", "NaN")
        let infBias = try s.model("in-b.safetensors", [("0.weight", [3, 16], Array(repeating: 0.1, count: 48)), ("0.bias", [3], [0, -.infinity, 0])])
        try expectRejected(s, sliceArguments(model: infBias, points: s.file("anchors.npy")), "0.bias", "infinite")
    }

    @Test func prefixMatchingTwoNetworks() throws {
        let s = try CLIScratch()
        let model = try s.model("in-m.safetensors", [("actor.0.weight", [3, 16], Array(repeating: 0.1, count: 48)), ("actor.0.bias", [3], [0, 0, 0]),
                                                    ("critic.0.weight", [3, 16], Array(repeating: 0.1, count: 48)), ("critic.0.bias", [3], [0, 0, 0])])
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "2 networks", "actor.", "critic.")
    }

    @Test func unknownActivationInMetadata() throws {
        let s = try CLIScratch()
        let model = try s.model("in-m.safetensors", [("0.weight", [3, 16], Array(repeating: 0.1, count: 48)), ("0.bias", [3], [0, 0, 0])],
                                metadata: ["activation": "swish"])
        try expectRejected(s, sliceArguments(model: model, points: s.file("anchors.npy")), "activation", "swish")
    }

    // MARK: npy anchors

    @Test func truncatedNPY() throws {
        let s = try CLIScratch()
        let valid = s.bytes("anchors.npy")
        let cut = s.write("in-a.npy", Array(valid.dropLast(5)))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: cut), "bytes", "needs")
        let header = s.write("in-h.npy", Array(valid.prefix(40)))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: header), "header")
        let magic = s.write("in-m.npy", Array(valid.prefix(4)))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: magic), "magic")
    }

    /// The slice summary line ("N regions, ...") of the anchors in `points`.
    func sliceSummary(_ s: CLIScratch, _ points: String) throws -> String {
        let run = try runTessera(sliceArguments(model: s.file("model.safetensors"), points: points))
        #expect(run.status == 0 && !run.signaled, "\(run)")
        return run.stdout.components(separatedBy: " (").first ?? ""
    }

    /// The anchors column by column (numpy's Fortran order), each double with the given byte order.
    func fortranBytes(_ rows: [[Double]], bigEndian: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        for column in rows[0].indices {
            for row in rows.indices {
                let bits = rows[row][column].bitPattern
                bytes += le(bigEndian ? bits.byteSwapped : bits, 8)
            }
        }
        return bytes
    }

    @Test func fortranOrderNPYSlicesLikeCOrder() throws {
        let s = try CLIScratch()
        let file = s.write("in-f.npy", npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (3, 16), }", fortranBytes(s.anchors)))
        #expect(try sliceSummary(s, file) == sliceSummary(s, s.file("anchors.npy")))
    }

    @Test func bigEndianNPYSlicesLikeLittleEndian() throws {
        let s = try CLIScratch()
        let file = s.write("in-b.npy", npyBytes("{'descr': '>f8', 'fortran_order': True, 'shape': (3, 16), }",
                                                fortranBytes(s.anchors, bigEndian: true)))
        #expect(try sliceSummary(s, file) == sliceSummary(s, s.file("anchors.npy")))
    }

    @Test func npyMalformedHeaderAndDtype() throws {
        let s = try CLIScratch()
        let complex = s.write("in-c.npy", npyBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (3, 16), }", [UInt8](repeating: 0, count: 768)))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: complex), "dtype", "<c16")
        let garbage = s.write("in-g.npy", npyBytes("{'descr': '<f8', 'shape': (3, 16", [UInt8](repeating: 0, count: 384)))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: garbage), "header")
    }

    @Test func nonFiniteAnchors() throws {
        let s = try CLIScratch()
        var rows = s.anchors
        rows[1][3] = .nan
        let nan = try s.points("in-n.npy", rows)
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: nan), "NaN")
        rows[1][3] = -.infinity
        let inf = try s.points("in-i.npy", rows)
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: inf), "infinite")
    }

    @Test func collinearAndRepeatedAnchors() throws {
        let s = try CLIScratch()
        let a = s.anchors[0], b = s.anchors[1]
        let collinear = try s.points("in-c.npy", [a, b, zip(a, b).map { 2 * $1 - $0 }])
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: collinear), "collinear")
        let repeated = try s.points("in-r.npy", [a, b, a])
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: repeated), "repeated")
        // Collinear only in floating point: the exact plane through them exists and is sliced.
        let nearly = try s.points("in-n.npy", [a, b, zip(a, b).map { $1 + ($1 - $0) * (1 + 1e-15) }])
        let run = try runTessera(sliceArguments(model: s.file("model.safetensors"), points: nearly))
        #expect(run.status == 0 && !run.signaled, "\(run)")
    }

    @Test func wrongAnchorDimension() throws {
        let s = try CLIScratch()
        let file = try s.points("in-a.npy", s.anchors.map { Array($0.prefix(5)) })
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: file), "16 inputs", "5 coordinates")
    }

    @Test func wrongNumberOfAnchorRows() throws {
        let s = try CLIScratch()
        let two = try s.points("in-2.npy", Array(s.anchors.prefix(2)))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: two), "3 anchor rows", "found 2")
        let four = try s.points("in-4.npy", s.anchors + [s.anchors[0].map { $0 + 1 }])
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: four), "3 anchor rows", "found 4")
        let oneD = s.write("in-1.npy", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (48,), }", [UInt8](repeating: 0, count: 384)))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: oneD), "2-D")
    }

    @Test func pointsWithUnknownExtension() throws {
        let s = try CLIScratch()
        let file = s.write("in-a.txt", Array("1 2 3".utf8))
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: file), "points format")
    }

    // MARK: options

    @Test func unknownActivation() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--activation", "swish"]),
                           "activation", "swish")
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--activation", "leaky_relu:nan"]),
                           "activation")
    }

    @Test func geluIsNotPiecewiseAffine() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--activation", "gelu"]),
                           "not piecewise affine")
    }

    @Test(arguments: ["square:-1", "square:0", "square:nan", "square:inf", "disk", "disk:1@4", "hexagon:1", "square:abc", "", "square:", "disk:@2", "disk:1@", "diamond:1@x", "square:1e400"])
    func badDomain(_ domain: String) throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--domain", domain]), "domain")
    }

    @Test func badArithmeticAndMaxRegions() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--arithmetic", "fuzzy"]), "arithmetic")
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--max-regions", "0"]), "max-regions")
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--max-regions", "many"]),
                           "max-regions", status: 2)
    }

    @Test func maxRegionsExceeded() throws {
        let s = try CLIScratch()
        try expectRejected(s, sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"), ["--max-regions", "10"]),
                           "max-regions 10", status: 1)
    }

    @Test func unwritableOutputIsCheckedFirst() throws {
        let s = try CLIScratch()
        // The model is broken too: the output path must be refused before any input is even read.
        let broken = s.write("in-m.safetensors", [1, 2, 3])
        try expectRejected(s, ["slice", "--model", broken, "--points", s.file("anchors.npy"), "--json", s.file("missing/dir/out.json")],
                           "missing/dir/out.json", "does not exist", withOutputs: false)
        try expectRejected(s, ["slice", "--model", broken, "--points", s.file("anchors.npy"), "--png", s.file("data")],
                           "directory", withOutputs: false)
        try expectRejected(s, ["slice", "--model", broken, "--points", s.file("anchors.npy"), "--json", s.file("out.json"), "--svg", "/proc/out.svg"],
                           "/proc/out.svg", withOutputs: false)
    }

    @Test func outputsAreAllOrNothing() throws {
        // A run writes all of its outputs or none: here the JSON summary is written first, then the
        // picture fails (a 250-character name passes the up-front check, but its temporary file's
        // name exceeds the 255 bytes a file name may have), and the summary must be removed again.
        let s = try CLIScratch()
        let whole = try runTessera(sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"),
                                                  ["--json", s.file("out.json"), "--png", s.file("out.png")]))
        #expect(whole.status == 0 && !whole.signaled, "\(whole)")
        #expect(s.leftovers() == ["out.json", "out.png"])
        for name in ["out.json", "out.png"] { try FileManager.default.removeItem(atPath: s.file(name)) }
        let longName = String(repeating: "p", count: 246) + ".png"
        let broken = try runTessera(sliceArguments(model: s.file("model.safetensors"), points: s.file("anchors.npy"),
                                                   ["--json", s.file("out.json"), "--png", s.file(longName)]))
        #expect(broken.status != 0 && !broken.signaled, "\(broken)")
        #expect(broken.stderrLines.count == 1 && broken.stderr.contains(longName), "\(broken)")
        #expect(s.leftovers().isEmpty, "left behind: \(s.leftovers())")
    }

    // MARK: datasets

    @Test func indicesOutOfRange() throws {
        let s = try CLIScratch()
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,7"], "index 7", "out of range")
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,-2"], "index")
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1"], "three indices")
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,99999999999999999999999"], "index")
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,2", "--split", "valid"], "split")
    }

    @Test func datasetIndicesWork() throws {
        let s = try CLIScratch()
        let run = try runTessera(["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,2"])
        #expect(run.status == 0 && !run.signaled, "\(run)")
    }

    @Test func wrongIDXMagic() throws {
        let s = try CLIScratch()
        var images = s.bytes("data/train-images-idx3-ubyte")
        images[0] = 0x1F; images[1] = 0x8C
        s.write("data/train-images-idx3-ubyte", images)
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,2"], "not an IDX file")
    }

    @Test func truncatedAndGzipBrokenIDX() throws {
        let s = try CLIScratch()
        let images = s.bytes("data/train-images-idx3-ubyte")
        s.write("data/train-images-idx3-ubyte", Array(images.dropLast(3)))
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,2"], "bytes")
        // A gzip header followed by garbage.
        try FileManager.default.removeItem(atPath: s.file("data/train-images-idx3-ubyte"))
        s.write("data/train-images-idx3-ubyte.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + [UInt8](repeating: 0xAB, count: 40))
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,2"], "train-images")
    }

    @Test func missingDataset() throws {
        let s = try CLIScratch()
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("nodata"), "--indices", "0,1,2"], "nodata")
    }

    // MARK: usage

    @Test func usageErrorsAreOneLineWithStatus2() throws {
        let s = try CLIScratch()
        try expectRejected(s, ["slice", "--points", s.file("anchors.npy")], "model", status: 2)
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--points", s.file("anchors.npy"), "--bogus"], "bogus", status: 2)
        try expectRejected(s, ["frobnicate"], "frobnicate", status: 2, withOutputs: false)
        // An unknown option is named even when a required one is missing too (the typo is the cause).
        try expectRejected(s, ["slice", "--modle", s.file("model.safetensors"), "--points", s.file("anchors.npy")], "Unknown option '--modle' (did you mean '--model'?)", status: 2)
        // A value of the wrong type is a usage error; a well-formed value that makes no sense is bad input.
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--points", s.file("anchors.npy"), "--domain", "disk:abc"], "disk:abc", status: 2)
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--points", s.file("anchors.npy"), "--domain", "disk:-1"], "radius", status: 1)
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,x,2"], "--indices", status: 2)
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data"), "--indices", "0,1,-2"], "index", status: 1)
        try expectRejected(s, ["lc", "--model", s.file("model.safetensors"), "--points", s.file("anchors.npy"), "--radius", "0.05,abc"], "--radius", status: 2, withOutputs: false)
        try expectRejected(s, ["lc", "--model", s.file("model.safetensors"), "--points", s.file("anchors.npy"), "--radius=-1"], "radius", status: 1, withOutputs: false)
    }

    @Test func benchRefusesAbsurdWidths() throws {
        let s = try CLIScratch()
        try expectRejected(s, ["bench", "--widths", "9223372036854775807,2", "--save-model", s.file("out.json"), "--save-only"], "widths", withOutputs: false)
        try expectRejected(s, ["bench", "--widths", "100000,100000,10", "--save-only"], "parameters", withOutputs: false)
        try expectRejected(s, ["bench", "--widths", "2,9223372036854775807", "--save-only"], "parameters", withOutputs: false)
        try expectRejected(s, ["bench", "--widths", "4", "--save-only"], "widths", withOutputs: false)
    }

    @Test func anchorSourceConflicts() throws {
        let s = try CLIScratch()
        // Missing anchors are a missing option: a usage error.
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors")], "--points", status: 2)
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--points", s.file("anchors.npy"), "--data", s.file("data")], "not both")
        try expectRejected(s, ["slice", "--model", s.file("model.safetensors"), "--data", s.file("data")], "--indices", status: 2)
    }
}

@Suite("tessera on Ctrl-C", .timeLimit(.minutes(20)))
struct CLIInterruptTests {
    /// SIGINT while an output is being written: the process dies of the signal, and neither the
    /// destination nor the temporary file is left behind.
    @Test func interruptDuringWriteLeavesNoFile() throws {
        let s = try CLIScratch()
        var caught = 0
        for attempt in 0..<8 where caught < 2 {   // more tries only while the writes outrun the signal (a loaded machine)
            let target = s.file("big.safetensors")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try requireBinary())
            // ~5.6M float32 parameters: a 22 MB file, written in one go after the model is built.
            process.arguments = ["bench", "--widths", "784,2000,2000,10", "--seed", "\(attempt)", "--save-model", target, "--save-only"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let watcher = CreationWatcher(directory: s.path)
            try process.run()
            var sawTemporary = false
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning && Date() < deadline {
                if watcher.waitForCreation(prefix: ".big.safetensors.tmp-") {
                    sawTemporary = true
                    process.interrupt()
                    break
                }
            }
            process.waitUntilExit()
            if sawTemporary && process.terminationReason == .uncaughtSignal {
                caught += 1
                #expect(process.terminationStatus == SIGINT)
                #expect(s.leftovers().isEmpty, "left behind: \(s.leftovers())")
            } else {
                // The write finished before the signal landed: then the file is complete.
                #expect(process.terminationStatus == 0)
                #expect((try? SafeTensors.read(path: target)) != nil)
            }
            try? FileManager.default.removeItem(atPath: target)
        }
        #expect(caught > 0, "never managed to interrupt a write in progress")
    }
}

/// Waits for files to appear in a directory: inotify on Linux (so the signal lands within
/// microseconds of the temporary file's creation), polling elsewhere.
final class CreationWatcher {
    let directory: String
    #if os(Linux)
    let fd: Int32
    #endif

    init(directory: String) {
        self.directory = directory
        #if os(Linux)
        fd = inotify_init1(Int32(IN_NONBLOCK))
        _ = inotify_add_watch(fd, directory, UInt32(IN_CREATE))
        #endif
    }

    deinit {
        #if os(Linux)
        close(fd)
        #endif
    }

    /// True when a file whose name starts with `prefix` exists or was created within ~50 ms.
    func waitForCreation(prefix: String) -> Bool {
        #if os(Linux)
        var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&request, 1, 50) > 0 {
            // struct inotify_event: wd, mask, cookie, len (4 bytes each), then len bytes of NUL-padded name.
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            var offset = 0
            while count > 0 && offset + 16 <= count {
                let length = Int(buffer[offset + 12]) | Int(buffer[offset + 13]) << 8 | Int(buffer[offset + 14]) << 16
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                if String(decoding: nameBytes, as: UTF8.self).hasPrefix(prefix) { return true }
                offset += 16 + length
            }
        }
        #else
        usleep(100)
        #endif
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.contains { $0.hasPrefix(prefix) }
    }
}

// tessera-fuzz: a seeded mutation fuzzer for tessera's file parsers.
//
//   tessera-fuzz --target safetensors|npy|idx|idx-gz|model|all [--seconds 60] [--seed 1] [--max-length 65536]
//                [--save-corpus DIR]
//
// --save-corpus keeps, in DIR/<target>/, the seeds and up to 48 of the smallest inputs that gave a new
// kind of error (Tests/SlicerTests/FuzzCorpus holds such a corpus, which `swift test` replays).
//
// Every input is written to one scratch file and handed to the parser; thrown errors are the normal
// outcome for bad input, a crash (trap, signal) kills the process and is the finding: the scratch file
// then still holds the crashing input, and the same seed replays the same inputs.
//
// Built with `-Xswiftc -sanitize=fuzzer -Xswiftc -DTESSERA_LIBFUZZER`, the target instead exports
// LLVMFuzzerTestOneInput for libFuzzer (choose the parser with TESSERA_FUZZ_TARGET).

import Foundation
import Slicer

/// A scratch directory for the input files, in memory where possible.
func makeScratch() -> String {
    var isDirectory: ObjCBool = false
    let base = FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
        ? "/dev/shm/" : NSTemporaryDirectory()
    let path = base + (base.hasSuffix("/") ? "" : "/") + "tessera-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

struct FuzzStatistics {
    var executed = 0
    var parsed = 0
    var errorKinds = Set<String>()
    var multiLineErrors = 0
}

/// Runs one target for `seconds`; returns what happened.
func fuzz(target: FuzzTarget, seconds: Double, seed: UInt64, maximumLength: Int, scratch: String,
          saveCorpus: String? = nil) throws -> FuzzStatistics {
    let seeds = try target.seeds(scratch: scratch)
    let plainSeeds = target == .idxgz ? try FuzzTarget.idx.seeds(scratch: scratch) : []
    var mutator = Mutator(random: SeededGenerator(seed: seed), target: target, maximumLength: maximumLength)
    var plainMutator = Mutator(random: SeededGenerator(seed: seed ^ 0x5EED), target: .idx, maximumLength: maximumLength)
    var corpus = seeds
    var plainCorpus = plainSeeds
    var statistics = FuzzStatistics()
    let input = scratch + "/input"
    let start = ContinuousClock.now
    let budget = Duration.milliseconds(Int64(seconds * 1000))

    func record(_ bytes: [UInt8], _ outcome: String?) -> Bool {
        statistics.executed += 1
        guard let outcome else { statistics.parsed += 1; return true }
        if outcome.contains("\n") { statistics.multiLineErrors += 1 }
        // Error "kinds": the message without the path and numbers, a cheap stand-in for coverage.
        let kind = String(outcome.replacingOccurrences(of: input, with: "").unicodeScalars
            .filter { !("0"..."9").contains($0) }.prefix(80))
        return statistics.errorKinds.insert(kind).inserted
    }

    for seedInput in seeds { _ = record(seedInput, target.run(seedInput, path: input)) }
    while ContinuousClock.now - start < budget {
        for _ in 0..<32 {
            if target == .idxgz && mutator.chance(2) {
                // Structure-aware: mutate the plain IDX, then compress it, so the parser sees valid gzip.
                let base = plainMutator.chance(4) ? plainSeeds[plainMutator.below(plainSeeds.count)]
                    : plainCorpus[plainMutator.below(plainCorpus.count)]
                let plain = plainMutator.mutate(base, corpus: plainCorpus)
                let bytes = gzip(plain)
                if record(bytes, target.run(bytes, path: input)) && plainCorpus.count < 4000 { plainCorpus.append(plain) }
                continue
            }
            let base = mutator.chance(4) ? seeds[mutator.below(seeds.count)] : corpus[mutator.below(corpus.count)]
            let bytes = mutator.mutate(base, corpus: corpus)
            if record(bytes, target.run(bytes, path: input)) && corpus.count < 4000 && (bytes.count < 8192 || mutator.chance(8)) {
                corpus.append(bytes)
            }
        }
    }
    if let saveCorpus {
        let directory = saveCorpus + "/" + target.rawValue
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let found = corpus.dropFirst(seeds.count).filter { $0.count <= 4096 }.sorted { $0.count < $1.count }.prefix(48)
        for (index, bytes) in (seeds.filter { $0.count <= 65536 } + found).enumerated() {
            guard FileManager.default.createFile(atPath: String(format: "%@/%03d", directory, index), contents: Data(bytes)) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
    }
    return statistics
}

#if TESSERA_LIBFUZZER
let libFuzzerTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["TESSERA_FUZZ_TARGET"] ?? "safetensors"
    guard let target = FuzzTarget(rawValue: name) else { fatalError("TESSERA_FUZZ_TARGET: unknown target '\(name)'") }
    return target
}()
let libFuzzerInput = makeScratch() + "/input"

@_cdecl("LLVMFuzzerTestOneInput")
public func tesseraFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    _ = libFuzzerTarget.run(bytes, path: libFuzzerInput)
    return 0
}

/// libFuzzer's driver (linked in by `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer there.
@_cdecl("tessera_fuzz_main")
public func tesseraFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, tesseraFuzzOneInput)
}
#else
@main
struct TesseraFuzz {
    static func usage(_ problem: String) -> Never {
        FileHandle.standardError.write(Data("""
            error: \(problem)
            usage: tessera-fuzz --target \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))|all [--seconds S] [--seed N] [--max-length BYTES] [--write-seeds DIR] [--save-corpus DIR]

            """.utf8))
        exit(2)
    }

    static func main() {
        var targets: [FuzzTarget] = []
        var seconds = 60.0, seed: UInt64 = 1, maximumLength = 1 << 16
        var seedDirectory: String?, corpusDirectory: String?
        var arguments = CommandLine.arguments.dropFirst()
        while let option = arguments.popFirst() {
            guard let value = arguments.popFirst() else { usage("\(option) needs a value") }
            switch option {
            case "--target":
                if value == "all" { targets = FuzzTarget.allCases }
                else if let target = FuzzTarget(rawValue: value) { targets = [target] }
                else { usage("unknown target '\(value)'") }
            case "--seconds":
                guard let number = Double(value), number.isFinite, number >= 0 else { usage("--seconds needs a non-negative number") }
                seconds = number
            case "--seed":
                guard let number = UInt64(value) else { usage("--seed needs a non-negative integer") }
                seed = number
            case "--max-length":
                guard let number = Int(value), number > 0 else { usage("--max-length needs a positive integer") }
                maximumLength = number
            case "--write-seeds":
                seedDirectory = value
            case "--save-corpus":
                corpusDirectory = value
            default:
                usage("unknown option '\(option)'")
            }
        }
        guard !targets.isEmpty else { usage("give --target") }
        let scratch = makeScratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        if let seedDirectory {
            // Seed corpora as files, e.g. for libFuzzer's corpus directories.
            for target in targets {
                let directory = seedDirectory + "/" + target.rawValue
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for (index, bytes) in ((try? target.seeds(scratch: scratch)) ?? []).enumerated() {
                    _ = FileManager.default.createFile(atPath: "\(directory)/seed-\(index)", contents: Data(bytes))
                }
            }
            return
        }
        var total = 0
        for target in targets {
            print("tessera-fuzz: \(target.rawValue), seed \(seed), \(seconds) s; current input in \(scratch)/input.* (after a crash: the crashing input)")
            fflush(stdout)
            let start = Date()
            do {
                let statistics = try fuzz(target: target, seconds: seconds, seed: seed, maximumLength: maximumLength, scratch: scratch,
                                          saveCorpus: corpusDirectory)
                total += statistics.executed
                print("tessera-fuzz: \(target.rawValue): \(statistics.executed) inputs executed in \(String(format: "%.1f", Date().timeIntervalSince(start))) s, "
                      + "\(statistics.parsed) parsed, \(statistics.errorKinds.count) distinct errors, \(statistics.multiLineErrors) multi-line errors, 0 crashes")
            } catch {
                FileHandle.standardError.write(Data("error: \(target.rawValue): cannot build the seed corpus: \(error)\n".utf8))
                exit(1)
            }
        }
        if targets.count > 1 { print("tessera-fuzz: \(total) inputs executed in all") }
    }
}
#endif

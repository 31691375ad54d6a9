import ArgumentParser
import Foundation
import Slicer

struct Tessera: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Exact linear regions of ReLU-type networks on 2-D input slices, and local complexity.",
        version: tesseraVersion,
        subcommands: [SliceCommand.self, TrainCommand.self, RenderCommand.self, LCCommand.self,
                      ValidateCommand.self, FigureCommand.self, MergeCommand.self, DemoCommand.self, BenchCommand.self, VerifyCommand.self,
                      InspectCommand.self, ForwardCommand.self, ViewCommand.self])
}

/// Runs the command line: usage errors exit 2, bad input and failures exit 1, each with one stderr line.
func runTessera() -> Int32 {
    do {
        var command = try Tessera.parseAsRoot()
        try command.run()
        return 0
    } catch let error as TesseraError {
        printErrorLine(error.description)
        return 1
    } catch {
        let code = Tessera.exitCode(for: error)
        if code == .success {
            // --help and --version
            print(Tessera.fullMessage(for: error))
            return 0
        }
        if let unknown = unknownOptions(CommandLine.arguments.dropFirst()), !unknown.isEmpty {
            // ArgumentParser names a missing option before an unknown one: the typo is the news.
            printErrorLine(unknown + " (see tessera help)")
            return 2
        }
        let message = Tessera.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        if code == .validationFailure {
            printErrorLine(message + " (see tessera help)")
            return 2
        }
        printErrorLine(message)
        return 1
    }
}

/// "Unknown option '--modle' (did you mean '--model'?)" for the first `--name` the subcommand's help
/// does not list; nil when there is no subcommand to ask.
func unknownOptions(_ arguments: ArraySlice<String>) -> String? {
    guard let name = arguments.first,
          let command = Tessera.configuration.subcommands.first(where: { $0._commandName == name }) else { return nil }
    let help = Tessera.helpMessage(for: command)
    // Every "--name" the help shows.
    var known: Set<String> = ["--help", "--version"]
    for word in help.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }) where word.hasPrefix("--") && word.count > 2 {
        known.insert(String(word))
    }
    for argument in arguments.dropFirst() {
        if argument == "--" { break }
        guard argument.hasPrefix("--") else { continue }
        let option = String(argument.prefix { $0 != "=" })
        guard !known.contains(option) else { continue }
        let near = known.min { editDistance($0, option) < editDistance($1, option) }
        let suggestion = near.map { editDistance($0, option) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
        return "Unknown option '\(option)'" + suggestion
    }
    return ""
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let old = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = old
        }
    }
    return row[b.count]
}

/// `error: message` as exactly one line: line breaks from names inside the message (a tensor name,
/// a path) are shown escaped.
func printErrorLine(_ message: String) {
    let oneLine = message.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    FileHandle.standardError.write(Data("error: \(oneLine)\n".utf8))
}

#if os(Linux)
// glibc's mallopt (not exported by the Glibc module): M_TRIM_THRESHOLD = −1, M_MMAP_THRESHOLD = −3.
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
// Large per-layer arrays come and go; keeping freed memory in the heap instead of returning it to
// the kernel avoids page-faulting it in again for the next layer.
_ = glibcMallopt(-3, 1 << 30)
_ = glibcMallopt(-1, 1 << 30)
#endif

TemporaryFiles.removeOnSignals()
// Every parallel piece of tessera splits its own work over --threads: OpenBLAS keeps to one thread.
Parallelism.setUpBLAS()
exit(runTessera())

import ArgumentParser
import Foundation
import Slicer

struct Tessera: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Exact linear regions of ReLU-type networks on 2-D input slices, and local complexity.",
        version: tesseraVersion,
        subcommands: [SliceCommand.self, TrainCommand.self, RenderCommand.self, LCCommand.self,
                      ValidateCommand.self, FigureCommand.self, DemoCommand.self, BenchCommand.self, VerifyCommand.self,
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
        let message = Tessera.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        if code == .validationFailure {
            printErrorLine(message + " (see tessera help)")
            return 2
        }
        printErrorLine(message)
        return 1
    }
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
exit(runTessera())

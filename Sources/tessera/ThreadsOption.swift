import ArgumentParser
import Slicer

/// `--threads`, for every command that computes: the one `Parallelism` its work is shared out to.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads to use (default: the machine's cores).") var threads: Int?

    /// Checked at parse time, so a bad count fails before any work.
    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
    }

    /// The threads the command's work may use.
    func parallelism() throws -> Parallelism {
        guard let threads else { return .machine }
        guard threads >= 1 else { throw TesseraError.badInput("--threads must be positive") }
        return Parallelism(threads: threads)
    }
}

import ArgumentParser
import Slicer

/// `--threads`, for every command that runs in parallel.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads to use (default: the machine's cores).") var threads: Int?

    /// The threads the command's work may use.
    func parallelism() throws -> Parallelism {
        guard let threads else { return .machine }
        guard threads >= 1 else { throw TesseraError.badInput("--threads must be positive") }
        return Parallelism(threads: threads)
    }
}

import ArgumentParser
import Slicer

struct LCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lc", abstract: "Not implemented yet.")
    func run() throws { throw TesseraError.badInput("'lc' is not implemented yet") }
}

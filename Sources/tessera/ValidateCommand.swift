import ArgumentParser
import Slicer

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Not implemented yet.")
    func run() throws { throw TesseraError.badInput("'validate' is not implemented yet") }
}

import ArgumentParser
import Slicer

struct SliceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slice", abstract: "Not implemented yet.")
    func run() throws { throw TesseraError.badInput("'slice' is not implemented yet") }
}

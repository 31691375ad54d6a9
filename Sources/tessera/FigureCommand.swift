import ArgumentParser
import Slicer

struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "figure", abstract: "Not implemented yet.")
    func run() throws { throw TesseraError.badInput("'figure' is not implemented yet") }
}

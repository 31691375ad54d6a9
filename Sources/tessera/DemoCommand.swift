import ArgumentParser
import Slicer

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Not implemented yet.")
    func run() throws { throw TesseraError.badInput("'demo' is not implemented yet") }
}

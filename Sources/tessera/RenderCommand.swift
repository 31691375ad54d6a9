import ArgumentParser
import Slicer

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Not implemented yet.")
    func run() throws { throw TesseraError.badInput("'render' is not implemented yet") }
}

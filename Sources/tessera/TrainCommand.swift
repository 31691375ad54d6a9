import ArgumentParser
import Slicer

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Not implemented yet.")
    func run() throws { throw TesseraError.badInput("'train' is not implemented yet") }
}

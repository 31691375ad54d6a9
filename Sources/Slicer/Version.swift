/// The tool's version, written into checkpoints and JSON.
public let tesseraVersion = "0.1.0"

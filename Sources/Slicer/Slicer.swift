// The Slicer library is three modules; `import Slicer` brings in the public API of all of them.
@_exported import Analysis
@_exported import Engine
@_exported import Models

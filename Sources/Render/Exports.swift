// Users of Render see the slice types and points without importing more modules.
@_exported import Polytope
@_exported import Slicer

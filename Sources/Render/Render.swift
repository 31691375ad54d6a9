import CCairo
import Slicer

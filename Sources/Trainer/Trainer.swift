import COpenBLAS
import Slicer

"""tessera from Python: exact linear regions of ReLU networks on 2-D slices of their input space.

The engine is the ``tessera`` command-line binary; this package writes its inputs, runs it and reads
its outputs as numpy arrays::

    import tessera
    partition = tessera.slice(model, x[:3])   # a torch module, a model file, or numpy (weight, bias) pairs
    partition.plot()                          # or just `partition` as a notebook cell's value
    tessera.lc(model, x, radius=0.05).layer_mean

Where the binary is found: ``tessera.find_binary``.
"""

from ._binary import find_binary
from ._errors import TesseraError
from ._lc import LocalComplexity, lc
from ._partition import Partition
from ._pictures import figure, render
from ._run import Run
from ._safetensors import write_mlp, write_safetensors
from ._slice import slice

__all__ = ["slice", "lc", "render", "figure", "Run", "Partition", "LocalComplexity", "TesseraError", "find_binary",
           "write_mlp", "write_safetensors"]
__version__ = "0.1.0"

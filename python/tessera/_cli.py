"""The ``tessera`` command this package installs: the binary ``find_binary`` names, with the same arguments."""

import os
import sys

from ._binary import find_binary
from ._errors import TesseraError


def main():
    try:
        binary = find_binary()
    except TesseraError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    os.execv(binary, [binary, *sys.argv[1:]])

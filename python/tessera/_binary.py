"""Finding the tessera binary and running it."""

import os
import shutil
import subprocess
from pathlib import Path

from ._errors import TesseraError

ENVIRONMENT_VARIABLE = "TESSERA_BINARY"
# Where `swift build` puts the binary inside a checkout of the repository, fastest build first.
BUILD_PRODUCTS = (Path(".build") / "release" / "tessera", Path(".build") / "debug" / "tessera")
PACKAGE_DIRECTORY = Path(__file__).resolve().parent
# Where a wheel (scripts/build-wheel.sh) keeps its binary, inside this package.
BUNDLED = Path("_bin") / "tessera"


def find_binary(binary=None):
    """The tessera executable to run, as an absolute path string.

    Looked for in this order; the first that applies wins:

    1. ``binary``, when given (a path to the executable);
    2. the environment variable ``TESSERA_BINARY``, when set;
    3. the binary bundled in this package (an installed wheel);
    4. ``tessera`` on ``PATH`` (not the ``tessera`` command this package installs, which runs this);
    5. ``.build/release/tessera``, then ``.build/debug/tessera``, in the repository checkout that
       holds this package's source (an in-tree or editable install), found by walking up from it;
    6. the same two paths in the directories from the current one upwards (a notebook run inside
       a checkout, with the package installed elsewhere).

    An explicit path or environment variable that does not name an executable file is an error,
    not a reason to look further.
    """
    if binary is not None:
        return _checked(binary, "the binary argument")
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE)
    if from_environment:
        return _checked(from_environment, ENVIRONMENT_VARIABLE)
    bundled = PACKAGE_DIRECTORY / BUNDLED
    if _executable(bundled):
        return str(bundled.resolve())
    on_path = _on_path()
    if on_path:
        return on_path
    for start in (PACKAGE_DIRECTORY, Path.cwd()):
        built = _build_product_above(start)
        if built:
            return built
    raise TesseraError(
        "cannot find the tessera binary: pass binary=..., set TESSERA_BINARY, put tessera on PATH, "
        "or build it with 'swift build' in the repository")


def _checked(path, source):
    candidate = Path(path).expanduser()
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate.resolve())
    raise TesseraError(f"{source} names {path}, which is not an executable file")


def _executable(path):
    return path.is_file() and os.access(path, os.X_OK)


def _on_path():
    for directory in os.environ.get("PATH", os.defpath).split(os.pathsep):
        found = shutil.which("tessera", path=directory or os.curdir)
        if found and not _is_console_script(found):
            return str(Path(found).resolve())
    return None


def _is_console_script(path):
    """Whether ``path`` is the ``tessera`` command pip made for this package (a Python script calling us)."""
    try:
        with open(path, "rb") as file:
            head = file.read(1024)
    except OSError:
        return False
    return head.startswith(b"#!") and b"tessera._cli" in head


def _build_product_above(start):
    for directory in (start, *start.parents):
        for product in BUILD_PRODUCTS:
            candidate = directory / product
            if _executable(candidate):
                return str(candidate.resolve())
    return None


# The binary's option names as the Python functions spell them, for error messages.
KEYWORDS = {"--max-regions": "max_regions", "--include-output": "include_output"}


def run(arguments, binary=None, names=None):
    """Runs ``tessera *arguments``; returns its standard output, or raises TesseraError with its error line.

    ``names`` maps temporary file paths to what the caller called them ("anchors", "model"), so an
    error names the argument rather than a file that no longer exists.
    """
    command = [find_binary(binary), *map(str, arguments)]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError as error:
        raise TesseraError(f"cannot run {command[0]}: {error.strerror}", command=command) from None
    if finished.returncode != 0:
        message = _error_line(finished.stderr, finished.returncode)
        for text, name in {**{str(path): name for path, name in (names or {}).items()}, **KEYWORDS}.items():
            message = message.replace(text, name)
        raise TesseraError(message, status=finished.returncode, command=command)
    return finished.stdout


def _error_line(stderr, status):
    """The binary's one error line, without its ``error:`` prefix."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.lower().startswith("error:"):
            return line[len("error:"):].strip()
    if lines:
        return lines[-1]
    return f"tessera exited with status {status}" if status > 0 else f"tessera was killed by signal {-status}"

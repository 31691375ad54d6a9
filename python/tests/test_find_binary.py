"""The binary is found, in order: the explicit argument, TESSERA_BINARY, the wheel's own, PATH, the repository's .build."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tessera
import tessera._binary as finder
from conftest import REPOSITORY, random_mlp

LAYERS = random_mlp(21, [4, 6, 2])
ANCHORS = np.eye(3, 4)


@pytest.fixture
def nowhere(monkeypatch, tmp_path):
    """No TESSERA_BINARY, an empty PATH, a package directory and working directory outside any checkout."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.delenv("TESSERA_BINARY", raising=False)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(finder, "PACKAGE_DIRECTORY", empty)
    monkeypatch.chdir(empty)
    return tmp_path


def link(target, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)
    return path


def checkout_with(tmp_path, binary, *products):
    """A fake repository checkout whose .build holds links to the real binary."""
    root = tmp_path / "checkout"
    (root / "python" / "tessera").mkdir(parents=True)
    for product in products:
        link(binary, root / ".build" / product / "tessera")
    return root


def slices(**options):
    return tessera.slice(LAYERS, ANCHORS, geometry=False, **options).n_regions > 0


def test_nothing_found_is_a_tessera_error(nowhere):
    with pytest.raises(tessera.TesseraError, match="cannot find the tessera binary"):
        tessera.find_binary()
    with pytest.raises(tessera.TesseraError, match="cannot find the tessera binary"):
        tessera.slice(LAYERS, ANCHORS, geometry=False)


def test_explicit_argument_wins_over_everything(nowhere, binary, monkeypatch):
    monkeypatch.setenv("TESSERA_BINARY", str(nowhere / "not-there"))
    explicit = link(binary, nowhere / "mine" / "tessera")
    assert tessera.find_binary(explicit) == binary
    assert slices(binary=str(explicit))


def test_explicit_argument_that_is_not_executable(nowhere):
    text = nowhere / "tessera.txt"
    text.write_text("not a program")
    with pytest.raises(tessera.TesseraError, match="not an executable file"):
        tessera.slice(LAYERS, ANCHORS, binary=text)


def test_environment_variable(nowhere, binary, monkeypatch):
    from_environment = link(binary, nowhere / "env" / "tessera-build")
    monkeypatch.setenv("TESSERA_BINARY", str(from_environment))
    on_path = nowhere / "path"
    link("/bin/false", on_path / "tessera")  # would fail every run if PATH were looked at first
    monkeypatch.setenv("PATH", str(on_path))
    assert tessera.find_binary() == binary
    assert slices()


def test_environment_variable_naming_nothing_is_an_error(nowhere, monkeypatch):
    monkeypatch.setenv("TESSERA_BINARY", str(nowhere / "missing"))
    with pytest.raises(tessera.TesseraError, match="TESSERA_BINARY"):
        tessera.find_binary()


def test_path(nowhere, binary, monkeypatch):
    on_path = nowhere / "bin"
    link(binary, on_path / "tessera")
    monkeypatch.setenv("PATH", f"{nowhere / 'empty'}{os.pathsep}{on_path}")
    checkout = checkout_with(nowhere, "/bin/false", "release")
    monkeypatch.setattr(finder, "PACKAGE_DIRECTORY", checkout / "python" / "tessera")
    assert tessera.find_binary() == binary
    assert slices()


def test_bundled_binary_before_path(nowhere, binary, monkeypatch):
    package = nowhere / "site-packages" / "tessera"
    link(binary, package / "_bin" / "tessera")
    monkeypatch.setattr(finder, "PACKAGE_DIRECTORY", package)
    link("/bin/false", nowhere / "path" / "tessera")  # would fail every run if PATH were looked at first
    monkeypatch.setenv("PATH", str(nowhere / "path"))
    assert tessera.find_binary() == binary
    assert slices()
    from_environment = link("/bin/true", nowhere / "env" / "tessera")
    monkeypatch.setenv("TESSERA_BINARY", str(from_environment))
    assert tessera.find_binary() == str(Path("/bin/true").resolve())


def console_script(path):
    """A file like the one pip writes for the package's `tessera` command."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{sys.executable}\nimport sys\nfrom tessera._cli import main\nsys.exit(main())\n")
    path.chmod(0o755)
    return path


def test_path_skips_the_packages_own_command(nowhere, binary, monkeypatch):
    console_script(nowhere / "venv" / "bin" / "tessera")
    link(binary, nowhere / "bin" / "tessera")
    monkeypatch.setenv("PATH", f"{nowhere / 'venv' / 'bin'}{os.pathsep}{nowhere / 'bin'}")
    assert tessera.find_binary() == binary
    monkeypatch.setenv("PATH", str(nowhere / "venv" / "bin"))
    with pytest.raises(tessera.TesseraError, match="cannot find the tessera binary"):
        tessera.find_binary()


def run_command(*arguments, **environment):
    """Runs the package's `tessera` command (as pip's script does) with the given environment."""
    script = "import sys; from tessera._cli import main; sys.argv[0] = 'tessera'; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True,
                          env={**os.environ, **environment})


def test_command_runs_the_binary_with_its_arguments(binary, tmp_path):
    finished = run_command("--version", TESSERA_BINARY=binary)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    # An error passes through unchanged: the binary's exit code and message.
    arguments = ["slice", "--model", str(tmp_path / "missing.safetensors"), "--points", str(tmp_path / "p.npy")]
    finished = run_command(*arguments, TESSERA_BINARY=binary)
    direct = subprocess.run([binary, *arguments], capture_output=True, text=True)
    assert finished.returncode == direct.returncode != 0
    assert finished.stderr == direct.stderr and finished.stderr.startswith("error:")


def test_command_without_a_binary_says_so(tmp_path):
    finished = run_command("--version", TESSERA_BINARY=str(tmp_path / "missing"))
    assert finished.returncode == 1
    assert finished.stderr == f"error: TESSERA_BINARY names {tmp_path / 'missing'}, which is not an executable file\n"


def test_build_of_the_checkout_holding_the_package_release_first(nowhere, binary, monkeypatch):
    checkout = checkout_with(nowhere, binary, "debug")
    monkeypatch.setattr(finder, "PACKAGE_DIRECTORY", checkout / "python" / "tessera")
    assert tessera.find_binary() == binary
    assert slices()
    link("/bin/false", checkout / ".build" / "release" / "tessera")
    assert tessera.find_binary() == str(Path("/bin/false").resolve())


def test_build_of_the_checkout_around_the_working_directory(nowhere, binary, monkeypatch):
    checkout = checkout_with(nowhere, binary, "release")
    notebooks = checkout / "examples" / "notebooks"
    notebooks.mkdir(parents=True)
    monkeypatch.chdir(notebooks)
    assert tessera.find_binary() == binary
    assert slices()


def test_this_repository_build_from_inside_it(nowhere, monkeypatch):
    # The package may be installed outside the repository: inside it, its own .build is found.
    monkeypatch.chdir(REPOSITORY / "python")
    built = [REPOSITORY / ".build" / kind / "tessera" for kind in ("release", "debug")]
    expected = next(str(path.resolve()) for path in built if path.is_file())
    assert tessera.find_binary() == expected
    assert slices()

# Shared by examples/compare-regioncam*.sh (sourced, not run): the tessera binary built as a
# command-line tool is shipped, and a throwaway virtual environment with regioncam.

# Builds tessera statically linked (the Swift runtime and Foundation linked in, about 10 ms less
# start-up per process) in its own build directory, so the everyday build is left alone; sets
# $tessera. Arguments: the repository root, 1 to build (0 to reuse), the calling script's name.
build_static_tessera() {
    local root=$1 build=$2 name=$3
    local scratch=(--scratch-path "${TESSERA_SCRATCH_PATH:-$root/.build-static}" --static-swift-stdlib)
    if [ "$build" = 1 ]; then
        echo "== building tessera (swift build -c release ${scratch[*]})" >&2
        (cd "$root" && swift build -c release "${scratch[@]}" --product tessera >&2)
    fi
    tessera="$(cd "$root" && swift build -c release "${scratch[@]}" --show-bin-path)/tessera"
    [ -x "$tessera" ] || { echo "$name: no tessera binary at $tessera (drop --no-build)" >&2; exit 1; }
}

# Creates the virtual environment $1 with regioncam and numpy unless it exists; sets $py and
# $rcversion.
regioncam_venv() {
    local venv=$1
    if [ ! -x "$venv/bin/python" ]; then
        echo "== creating virtual environment $venv (pip install regioncam numpy)" >&2
        "${PYTHON:-python3}" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check regioncam numpy >&2
    fi
    py="$venv/bin/python"
    rcversion="$("$py" -c 'from importlib.metadata import version; print(version("regioncam"))')"
}

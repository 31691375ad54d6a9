#!/usr/bin/env bash
# The wheel on a machine without Swift: builds it (scripts/build-wheel.sh), makes a minimal Debian 12
# (debootstrap --variant=minbase, then only python3 and python3-venv from apt: no Swift, Cairo or
# OpenBLAS), installs the wheel there into a virtual environment, and runs from the shell
# `tessera slice` of an ONNX CNN (--json, --png), `tessera lc` and `tessera render` of a small run
# with its viewer page, and from Python `tessera.slice` and `tessera.lc`. Every count must equal the
# checkout's own binary's, and the picture's title must be drawn (dark pixels above the partition).
# Needs root, debootstrap and Debian's archive; prints the wheel's size and the seconds from
# `pip install` to the first slice. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repository="$PWD"
fixtures=Tests/SlicerTests/Fixtures/onnx

scratch="$(mktemp -d)"
root="$scratch/root"
cleanup() {
    if mountpoint -q "$root/proc" 2>/dev/null; then umount "$root/proc" || umount -l "$root/proc"; fi
    mountpoint -q "$root/proc" 2>/dev/null || rm -rf --one-file-system "$scratch"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
bash scripts/build-wheel.sh >"$scratch/build-wheel.log" 2>&1 \
    || { tail -20 "$scratch/build-wheel.log"; echo "error: scripts/build-wheel.sh failed" >&2; exit 1; }
wheel="$(ls dist/tessera-*.whl)"
swift build --product tessera >/dev/null
checkout="$(swift build --show-bin-path)/tessera"
debootstrap --variant=minbase bookworm "$root" >"$scratch/debootstrap.log" 2>&1 \
    || { tail -5 "$scratch/debootstrap.log"; echo "error: debootstrap failed" >&2; exit 1; }
mount -t proc proc "$root/proc"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A clean environment: nothing of this machine's (PATH, pip's settings) leaks into the chroot.
inside() { chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
inside apt-get update -qq
inside apt-get install -y -qq --no-install-recommends python3 python3-venv >"$scratch/apt.log" 2>&1 \
    || { tail -5 "$scratch/apt.log"; echo "error: apt-get install python3 python3-venv failed" >&2; exit 1; }
for absent in swift; do
    ! inside sh -c "command -v $absent" >/dev/null || { echo "error: $absent is inside the chroot" >&2; exit 1; }
done
if inside sh -c 'ls /usr/lib/*/libcairo* /usr/lib/*/libopenblas* /usr/lib/*/libX11* /etc/fonts' >/dev/null 2>&1; then
    echo "error: Cairo, OpenBLAS, X11 or fontconfig is inside the chroot" >&2; exit 1
fi

# What the chroot gets: the wheel, numpy's wheel (so that pip needs no network there), the data.
work="$root/work"
mkdir -p "$work/wheels" "$work/data" "$work/out"
cp "$wheel" "$work/"
python3 -m pip download -q --only-binary=:all: --python-version 3.11 --platform manylinux2014_x86_64 \
    --implementation cp -d "$work/wheels" numpy
cp /usr/share/datasets/fashion-mnist/*.gz "$work/data/"
cp -r "$fixtures/run-cnn-small" "$work/run"
cp "$fixtures/lc-points.npy" "$fixtures/cnn5_w32.inputs.npy" "$work/"
# A few thousand regions: the checkout's debug binary slices them in seconds too.
slice_args=(--model run/model.onnx --points anchors.npy --domain disk:2@1)
lc_args=(--model run/model.onnx --points lc-points.npy --radius 0.05,0.5)
render_args=(run --indices 0,1,2 --data data --domain disk:1@1 --size 600 --lc-samples 20)

cat >"$work/check.sh" <<EOF
set -eu
cd /work
start=\$(date +%s.%N)
python3 -m venv venv
venv/bin/pip install -q --no-index --find-links wheels $(basename "$wheel")
PATH=/work/venv/bin:\$PATH
python -c "import numpy as np; np.save('anchors.npy', np.load('cnn5_w32.inputs.npy')[:3])"
tessera slice ${slice_args[*]} --json out/slice.json --png out/slice.png
echo "seconds from pip install to the first slice: \$(echo "\$(date +%s.%N) - \$start" | venv/bin/python -c 'print(round(eval(input()), 1))')"
tessera lc ${lc_args[*]} --json out/lc.json
tessera render ${render_args[*]} --out out/render
venv/bin/python - <<'PYTHON'
import json
import numpy as np
import tessera
partition = tessera.slice("run/model.onnx", np.load("anchors.npy"), domain="disk:2@1")
lc = tessera.lc("run/model.onnx", np.load("lc-points.npy"), radius=[0.05, 0.5])
json.dump({"regions": partition.n_regions, "polygons": len(partition.regions),
           "lc": [[float(x) for x in np.atleast_1d(one.layer_mean)] for one in lc],
           "binary": tessera.find_binary()}, open("out/python.json", "w"))
PYTHON
EOF
inside sh /work/check.sh 2>&1 | tee "$scratch/chroot.log"
# Without fonts, fontconfig complains and Cairo falls back to its thin built-in font (no subscripts).
if grep -i fontconfig "$scratch/chroot.log"; then echo "error: fontconfig found no configuration in the chroot" >&2; exit 1; fi

# The checkout's binary on the same inputs, outside.
expected="$scratch/expected"
mkdir -p "$expected"
(cd "$work" && "$checkout" slice "${slice_args[@]}" --json "$expected/slice.json" --png "$expected/slice.png" >/dev/null \
    && "$checkout" lc "${lc_args[@]}" --json "$expected/lc.json" >/dev/null \
    && "$checkout" render "${render_args[@]}" --out "$expected/render" >/dev/null)
python3 - "$work/out" "$expected" <<'PYTHON'
import csv, json, struct, sys, zlib
from pathlib import Path

out, expected = Path(sys.argv[1]), Path(sys.argv[2])
failures = []

def same(what, got, want):
    if got != want:
        failures.append(f"{what}: wheel {got}, checkout {want}")

def load(path):
    return json.loads(path.read_text())

def counts(summary):
    return {key: summary[key] for key in ("regions", "vertices", "edges", "decision_boundary", "layers")}

slice_got, slice_want = load(out / "slice.json"), load(expected / "slice.json")
same("slice", counts(slice_got), counts(slice_want))
lc_want = load(expected / "lc.json")
same("lc", [radius["layers"] for radius in load(out / "lc.json")["radii"]],
     [radius["layers"] for radius in lc_want["radii"]])

def table(path):
    with open(path, newline="") as file:
        return [{key: value for key, value in row.items()
                 if key in ("step", "regions", "vertices", "edges", "boundary_segments")
                 or key.startswith(("neurons_cut", "regions_near"))} for row in csv.DictReader(file)]

same("render partition.csv", table(out / "render" / "partition.csv"), table(expected / "render" / "partition.csv"))
frames = sorted(path.name for path in (expected / "render").glob("frame-*.png"))
same("render frames", sorted(path.name for path in (out / "render").glob("frame-*.png")), frames)
page = out / "render" / "view.html"
if not page.is_file() or page.stat().st_size < 100_000:
    failures.append(f"render: no viewer page ({page})")

python = load(out / "python.json")
same("tessera.slice regions", python["regions"], slice_want["regions"])
same("tessera.slice polygons", python["polygons"], slice_want["regions"])
same("tessera.lc layer means", python["lc"], [[layer["mean"] for layer in radius["layers"]] for radius in lc_want["radii"]])
if "/_bin/" not in python["binary"]:
    failures.append(f"tessera.find_binary() is {python['binary']}, not the wheel's own")

def rows(path, count):
    """The first `count` rows of an 8-bit RGB or RGBA PNG, as lists of pixel tuples."""
    data = path.read_bytes()
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    chunks, at = b"", 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        if kind == b"IDAT":
            chunks += data[at + 8:at + 8 + length]
        at += 12 + length
    raw, stride, previous, result = zlib.decompress(chunks), width * channels, bytearray(width * channels), []
    for y in range(count):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = previous[x], previous[x - channels] if x >= channels else 0
            p = a + b - c
            predictor = a if abs(p - a) <= min(abs(p - b), abs(p - c)) else b if abs(p - b) <= abs(p - c) else c
            line[x] = (line[x] + (0, a, b, (a + b) // 2, predictor)[kind]) & 0xFF
        result.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return result

# The title ("5,530 regions", bold) is the only thing in the top 5% of the picture. In the bundled
# DejaVu Sans Bold it has 86% of the dark pixels of the checkout binary's title in this machine's
# DejaVu Sans (hinted more strongly); Cairo's thin built-in fallback font, used when fontconfig
# finds no font, has 25% (837 and 247 against 974 when this was written).
def ink(path):
    return sum(1 for row in rows(path, 60) for pixel in row if max(pixel) < 96)

title, title_here = ink(out / "slice.png"), ink(expected / "slice.png")
print(f"title pixels drawn: {title} in the chroot, {title_here} by the checkout's binary")
if title_here < 100 or not 0.6 * title_here <= title <= 1.4 * title_here:
    failures.append(f"slice.png: {title} dark pixels in the title, {title_here} from the checkout's binary")

print(f"slice: {slice_got['regions']} regions; lc at r = 0.05, 0.5; render: {len(frames)} frames and view.html; "
      "tessera.slice, tessera.lc")
for failure in failures:
    print(f"FAILED {failure}")
sys.exit(1 if failures else 0)
PYTHON
cp "$work/out/slice.png" "$repository/dist/wheel-slice.png"
echo "wheel: $(basename "$wheel"), $(stat -c %s "$wheel") bytes; the chroot's slice picture: dist/wheel-slice.png"

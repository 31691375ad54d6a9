#!/usr/bin/env bash
# Compare tessera with regioncam (PyPI `regioncam`, Rust, float32) on the small CNN workload
# (docs/workloads.md): input 1×28×28, N × [Conv2d 3×3, C channels, stride 1, padding 1 → ReLU], Flatten,
# Linear(C·784 → 10), He-initialised, biases N(0, 0.1²), seeded; anchors a Fashion-MNIST training image
# x and x + r·u, x + r·w (u, w seeded orthonormal directions); domain square:1.5 (regioncam's
# through_points convention). regioncam only knows dense layers, so it gets the network with every
# convolution unrolled into its dense matrix (the same float32 weights, placed exactly); tessera slices
# the convolutional network itself, from ONNX. Prints both region counts (per layer too), both times
# (wall clock and CPU) and both peak memories, measured in one run.
#
# Usage: examples/compare-regioncam-cnn.sh [options]
#   --channels C      channels per convolution (default 8)
#   --convolutions N  number of convolutions (default 3)
#   --radius R        radius of the anchor triangle (default 0.15)
#   --seed N          workload seed (default 0)
#   --image-index I   Fashion-MNIST training image (default 0)
#   --data DIR        Fashion-MNIST directory (default /usr/share/datasets/fashion-mnist)
#   --size S          domain scale: tessera square:S, regioncam through_points(size=S) (default 1.5)
#   --unrolled        also slice the unrolled network with tessera (its MLP engine; a check that
#                     convolution and dense matrix give the same partition)
#   --exact           also time tessera --arithmetic exact on the CNN
#   --keep DIR        keep the workload, JSON outputs and venv in DIR instead of a temporary directory
#   --venv DIR        use (or create) this virtual environment instead of a throwaway one
#   --no-build        do not run swift build (use the existing release binary)
#   -h, --help        this text
# Environment:
#   TESSERA_SCRATCH_PATH  passed to `swift build --scratch-path` (default: the package's .build-static)
#   PYTHON                interpreter used to create the venv (default python3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=examples/regioncam-setup.sh
source "$root/examples/regioncam-setup.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

channels=8
convolutions=3
radius=0.15
seed=0
image=0
data=/usr/share/datasets/fashion-mnist
size=1.5
unrolled=0
exact=0
keep=""
venv=""
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --channels) channels="$2"; shift 2 ;;
        --channels=*) channels="${1#*=}"; shift ;;
        --convolutions) convolutions="$2"; shift 2 ;;
        --convolutions=*) convolutions="${1#*=}"; shift ;;
        --radius) radius="$2"; shift 2 ;;
        --radius=*) radius="${1#*=}"; shift ;;
        --seed) seed="$2"; shift 2 ;;
        --seed=*) seed="${1#*=}"; shift ;;
        --image-index) image="$2"; shift 2 ;;
        --image-index=*) image="${1#*=}"; shift ;;
        --data) data="$2"; shift 2 ;;
        --data=*) data="${1#*=}"; shift ;;
        --size) size="$2"; shift 2 ;;
        --size=*) size="${1#*=}"; shift ;;
        --unrolled) unrolled=1; shift ;;
        --exact) exact=1; shift ;;
        --keep) keep="$2"; shift 2 ;;
        --keep=*) keep="${1#*=}"; shift ;;
        --venv) venv="$2"; shift 2 ;;
        --venv=*) venv="${1#*=}"; shift ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare-regioncam-cnn: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done

if [ -n "$keep" ]; then
    mkdir -p "$keep"; work="$(cd "$keep" && pwd)"
else
    work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-vs-regioncam-cnn.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
fi
[ -n "$venv" ] || venv="$work/venv"

# 1. Build tessera as a command-line tool is shipped.
build_static_tessera "$root" "$build" compare-regioncam-cnn

# 2. A throwaway virtual environment with regioncam and numpy.
regioncam_venv "$venv"

# Runs a command as a whole process and writes its wall and CPU seconds and peak resident memory
# (getrusage of the waited-for child) to a JSON file; the command's output goes to stderr.
measure() {
    local out="$1"; shift
    "$py" - "$out" "$@" <<'EOF'
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:], stdout=sys.stderr)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024, "exit": code},
          open(sys.argv[1], "w"))
sys.exit(code)
EOF
}

tag="c$channels-n$convolutions-r$radius-s$seed-i$image"
onnx="$work/cnn-$tag.onnx"; dense="$work/cnn-$tag-unrolled.safetensors"; points="$work/anchors-$tag.npy"
common=(--cnn --channels "$channels" --convolutions "$convolutions" --radius "$radius" --seed "$seed"
        --image-index "$image" --data "$data" --save-only)

# 3. The workload: the CNN as ONNX, the same network unrolled into dense layers as a float32
#    nn.Sequential state_dict, and the anchors (.npy, float64 holding float32 values).
echo "== writing the CNN workload ($convolutions convolutions of $channels channels, r = $radius, seed $seed)" >&2
"$tessera" bench "${common[@]}" --save-model "$onnx" --save-points "$points"
"$tessera" bench "${common[@]}" --save-model "$dense"

# 4. The unrolled network is the CNN: logits of both in float64 at the anchors and at seeded points
#    of the plane, tessera's forward pass of the ONNX model against numpy's of the dense layers.
"$py" - "$points" "$work/check-points.npy" "$seed" <<'EOF'
import numpy as np, sys
anchors = np.load(sys.argv[1])
rng = np.random.default_rng(int(sys.argv[3]))
st = rng.uniform(-2, 2, size=(16, 2))
plane = anchors[0] + st[:, :1] * (anchors[1] - anchors[0]) + st[:, 1:] * (anchors[2] - anchors[0])
np.save(sys.argv[2], np.concatenate([anchors, plane]))
EOF
"$tessera" forward --model "$onnx" --points "$work/check-points.npy" --out "$work/check-logits.npy"
"$py" - "$dense" "$work/check-points.npy" "$work/check-logits.npy" "$here" <<'EOF'
import sys
sys.path.insert(0, sys.argv[4])
import numpy as np
from regioncam_slice import forward64, linear_layers, read_safetensors
layers = linear_layers(read_safetensors(sys.argv[1])[0])
ours = forward64(layers, np.load(sys.argv[2]), lambda x: np.maximum(x, 0))
theirs = np.load(sys.argv[3])
error = float(np.abs(ours - theirs).max() / max(1e-30, np.abs(theirs).max()))
print(f"== unrolled dense layers {[w.shape[1] for w, _ in layers] + [layers[-1][0].shape[0]]}: "
      f"logits match the CNN's to {error:.1e} (float64, relative)", file=sys.stderr)
if error > 1e-9:
    sys.exit("error: the unrolled network is not the CNN")
EOF

# 5. regioncam on the unrolled network, then tessera on the CNN, each a whole process.
echo "== regioncam $rcversion on the unrolled network" >&2
measure "$work/m-regioncam.json" "$py" "$here/regioncam_slice.py" --model "$dense" --points "$points" --size "$size" --json "$work/r-$tag.json"
echo "== tessera slice on the CNN (ONNX)" >&2
measure "$work/m-tessera.json" "$tessera" slice --model "$onnx" --points "$points" --domain "square:$size" --json "$work/t-$tag.json"
if [ "$unrolled" = 1 ]; then
    echo "== tessera slice on the unrolled network" >&2
    measure "$work/m-unrolled.json" "$tessera" slice --model "$dense" --points "$points" --domain "square:$size" --json "$work/u-$tag.json"
fi
if [ "$exact" = 1 ]; then
    echo "== tessera slice --arithmetic exact on the CNN" >&2
    measure "$work/m-exact.json" "$tessera" slice --model "$onnx" --points "$points" --domain "square:$size" --arithmetic exact --json "$work/x-$tag.json"
fi

# 6. The table.
"$py" - "$work" "$tag" "$rcversion" "$channels" "$convolutions" "$radius" "$seed" "$size" <<'EOF'
import json, os, sys
work, tag, version, channels, convolutions, radius, seed, size = sys.argv[1:]
load = lambda name: json.load(open(os.path.join(work, name)))
r, t = load(f"r-{tag}.json"), load(f"t-{tag}.json")
rows = [("regioncam " + version + " (unrolled)", load("m-regioncam.json"), r["regions"], r["seconds"], [l["regions"] for l in r["layers"]])]
rows.append(("tessera (CNN)", load("m-tessera.json"), t["regions"], t["seconds"], [l["regions"] for l in t["layers"]]))
for name, label in (("u", "tessera (unrolled)"), ("x", "tessera exact (CNN)")):
    path = os.path.join(work, f"{name}-{tag}.json")
    if os.path.exists(path):
        j = json.load(open(path))
        rows.append((label, load("m-unrolled.json" if name == "u" else "m-exact.json"), j["regions"], j["seconds"], [l["regions"] for l in j["layers"]]))
print(f"tessera vs regioncam {version}: CNN workload, {convolutions} convolutions of {channels} channels, "
      f"r = {radius}, seed {seed}, domain square:{size}")
print("whole processes: wall clock, CPU (user + sys) and peak resident memory; 'slice' is the time each reports for the slice itself")
head = ("", "regions", "per layer", "wall s", "CPU s", "slice s", "peak MB")
cells = [(n, str(regions), "/".join(map(str, layers)), f"{m['wall']:.2f}", f"{m['cpu']:.2f}", f"{s:.2f}", f"{m['peak_mb']:.0f}")
         for n, m, regions, s, layers in rows]
w = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
print("  ".join(h.ljust(w[i]) if i == 0 else h.rjust(w[i]) for i, h in enumerate(head)))
for c in cells:
    print("  ".join(x.ljust(w[i]) if i == 0 else x.rjust(w[i]) for i, x in enumerate(c)))
rc, tm = rows[0][1], rows[1][1]
print(f"ratio regioncam / tessera: wall {rc['wall'] / tm['wall']:.1f}x, CPU {rc['cpu'] / tm['cpu']:.1f}x, "
      f"peak memory {rc['peak_mb'] / tm['peak_mb']:.1f}x")
same = r["regions"] == t["regions"]
print(f"region counts {'agree' if same else 'differ'}: regioncam {r['regions']}, tessera {t['regions']} "
      f"({(r['regions'] - t['regions']) / t['regions']:+.3%}); regioncam forward check rel. error {r['forward_rel_error']:.1e}")
if any(m["exit"] != 0 for _, m, *_ in rows):
    sys.exit("error: a command failed")
EOF

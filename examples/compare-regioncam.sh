#!/usr/bin/env bash
# Compare tessera with regioncam (PyPI `regioncam`, Rust, float32) on the standard workload (docs/workloads.md):
# a seeded He-initialised ReLU MLP, three anchors uniform in [0,1]^784, domain square:1.5 (regioncam's
# through_points convention). Prints both whole-process times, both region counts, their ratio and
# relative difference.
#
# Usage: examples/compare-regioncam.sh [options]
#   --widths LIST   layer widths, inputs first (default 784,200,200,200,200,10); repeat for more rows
#   --width W       shorthand for --widths 784,W,W,W,W,10; W may be a comma list (50,100,200,400)
#   --seed N        workload seed (default 0)
#   --size S        domain scale: tessera square:S, regioncam through_points(size=S) (default 1.5)
#   --exact         also time tessera --arithmetic exact (very slow)
#   --keep DIR      keep the workload, JSON outputs and venv in DIR instead of a temporary directory
#   --venv DIR      use (or create) this virtual environment instead of a throwaway one
#   --no-build      do not run swift build (use the existing release binary)
#   -h, --help      this text
# Environment:
#   TESSERA_SCRATCH_PATH  passed to `swift build --scratch-path` (default: the package's .build-static)
#   PYTHON                interpreter used to create the venv (default python3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=examples/regioncam-setup.sh
source "$root/examples/regioncam-setup.sh"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

configs=()
seed=0
size=1.5
exact=0
keep=""
venv=""
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --widths) configs+=("$2"); shift 2 ;;
        --widths=*) configs+=("${1#*=}"); shift ;;
        --width|--width=*)
            if [ "$1" = --width ]; then list="$2"; shift 2; else list="${1#*=}"; shift; fi
            IFS=, read -r -a ws <<< "$list"
            for w in "${ws[@]}"; do configs+=("784,$w,$w,$w,$w,10"); done ;;
        --seed) seed="$2"; shift 2 ;;
        --seed=*) seed="${1#*=}"; shift ;;
        --size) size="$2"; shift 2 ;;
        --size=*) size="${1#*=}"; shift ;;
        --exact) exact=1; shift ;;
        --keep) keep="$2"; shift 2 ;;
        --keep=*) keep="${1#*=}"; shift ;;
        --venv) venv="$2"; shift 2 ;;
        --venv=*) venv="${1#*=}"; shift ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare-regioncam: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#configs[@]} -gt 0 ] || configs=("784,200,200,200,200,10")

if [ -n "$keep" ]; then
    mkdir -p "$keep"; work="$(cd "$keep" && pwd)"
else
    work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-vs-regioncam.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
fi
[ -n "$venv" ] || venv="$work/venv"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# 1. Build tessera.
build_static_tessera "$root" "$build" compare-regioncam

# 2. A throwaway virtual environment with regioncam and numpy.
regioncam_venv "$venv"

rows=()
for widths in "${configs[@]}"; do
    tag="$(echo "$widths" | tr ',' '-')-s$seed"
    model="$work/model-$tag.safetensors"; points="$work/anchors-$tag.npy"

    # 2. The workload, written as PyTorch-style safetensors (float32) and .npy anchors (float64).
    "$tessera" bench --widths "$widths" --seed "$seed" --save-model "$model" --save-points "$points" --save-only

    # 4. regioncam on the same slice, timed as a whole process.
    echo "== regioncam $rcversion, widths $widths, seed $seed" >&2
    t0=$(now)
    "$py" "$here/regioncam_slice.py" --model "$model" --points "$points" --size "$size" --json "$work/r-$tag.json" >&2
    t1=$(now)
    rc_wall=$(elapsed "$t0" "$t1")

    # 5. tessera on the same slice, timed as a whole process.
    echo "== tessera slice, widths $widths, seed $seed" >&2
    t0=$(now)
    "$tessera" slice --model "$model" --points "$points" --domain "square:$size" --json "$work/t-$tag.json" >&2
    t1=$(now)
    t_wall=$(elapsed "$t0" "$t1")
    x_wall=""
    if [ "$exact" = 1 ]; then
        echo "== tessera slice --arithmetic exact, widths $widths, seed $seed" >&2
        t0=$(now)
        "$tessera" slice --model "$model" --points "$points" --domain "square:$size" --arithmetic exact --json "$work/x-$tag.json" >&2
        t1=$(now)
        x_wall=$(elapsed "$t0" "$t1")
    fi
    rows+=("$widths|$rc_wall|$t_wall|$x_wall|$work/r-$tag.json|$work/t-$tag.json|$work/x-$tag.json")
done

# 3. The table.
"$py" - "$seed" "$size" "$rcversion" "${rows[@]}" <<'EOF'
import json, sys
seed, size, version, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
print(f"tessera vs regioncam {version}: standard workload, seed {seed}, domain square:{size} "
      "(regioncam through_points, size %s)" % size)
print("times are whole processes (wall clock); 'slice' is the time each reports for the slice itself")
head = ("widths", "regioncam s", "(slice)", "tessera s", "(slice)", "time ratio",
        "rc regions", "tessera regions", "rel. diff", "rc faces+DB", "tessera regions+DB")
out = []
for row in rows:
    widths, rc_wall, t_wall, x_wall, rj, tj, xj = row.split("|")
    r, t = json.load(open(rj)), json.load(open(tj))
    rc_regions, t_regions = r["regions"], t["regions"]
    db = t["decision_boundary"]["segments"]
    out.append((widths, f"{float(rc_wall):.2f}", f"{r['seconds']:.2f}", f"{float(t_wall):.2f}", f"{t['seconds']:.2f}",
                f"{float(rc_wall) / float(t_wall):.2f}x", str(rc_regions), str(t_regions),
                f"{(rc_regions - t_regions) / t_regions:+.3%}",
                str(r["faces_with_decision_boundary"]), f"{t_regions}+{db}"))
    extra = []
    for rl, tl in zip(r["layers"], t["layers"]):
        extra.append(f"L{tl['index']} {rl['regions']}/{tl['regions']}")
    notes = [f"  {widths}: per-layer regions regioncam/tessera: " + ", ".join(extra),
             f"  {widths}: domain half-width regioncam {r['domain']['half_width']:.6g}, "
             f"tessera {abs(t['domain']['polygon'][1][0] - t['domain']['polygon'][0][0]) / 2:.6g}; "
             f"regioncam forward check rel. error {r['forward_rel_error']:.1e}"]
    if x_wall:
        x = json.load(open(xj))
        notes.append(f"  {widths}: tessera --arithmetic exact: {float(x_wall):.2f} s whole process "
                     f"({x['seconds']:.2f} s slice), {x['regions']} regions"
                     + ("" if x["regions"] == t_regions else "  ** differs from certified **"))
    out[-1] = (out[-1], notes)
w = [max(len(h), *(len(o[0][i]) for o in out)) for i, h in enumerate(head)]
print("  ".join(h.rjust(w[i]) for i, h in enumerate(head)))
for cells, _ in out:
    print("  ".join(c.rjust(w[i]) for i, c in enumerate(cells)))
for _, notes in out:
    print("\n".join(notes))
print("time ratio = regioncam / tessera whole-process time; rel. diff = (regioncam - tessera) / tessera regions;")
print("'faces+DB' = regioncam's faces after decision_boundary() (argmax cells split), tessera's regions + boundary segments")
EOF

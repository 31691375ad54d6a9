#!/usr/bin/env bash
# LC estimator benchmark on the pre-activation ResNet18 at width k = 16 (1×28×28 input; stages of 16, 32, 64, 128
# channels, two basic blocks each; batch norm with seeded non-trivial running statistics): 1,000 Fashion-MNIST
# training images, P = 20 (the paper's ResNet setting), r = 0.05. tessera and the PyTorch estimator
# (examples/lc_pytorch.py, float32; DTYPES="float32 float64" adds float64) run on the same model (exported to ONNX with batch norm kept),
# points and directions, each timed as a whole process; the LC means are printed side by side.
#
#   bash examples/lc_resnet_benchmark.sh         # PYTHON, TESSERA, SAMPLES, OUT, DTYPES, PRECISIONS, BASELINE override the defaults
#   PRECISIONS="float32 float64" BASELINE=/path/to/older/tessera bash examples/lc_resnet_benchmark.sh   # A/B, same run
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TESSERA=${TESSERA:-.build/release/tessera}
SAMPLES=${SAMPLES:-1000}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
DTYPES=${DTYPES:-float32}           # PyTorch's precisions; "float32 float64" adds its (much slower) float64 run
PRECISIONS=${PRECISIONS:-float32}   # tessera's --precision values to time ("float32 float64" adds the float64 run)
BASELINE=${BASELINE:-}              # another tessera binary (an older build, without --precision) timed alongside
SPEC="resnet:k=16,blocks=2-2-2-2,batchnorm=1"

"$PYTHON" - "$OUT" "$SAMPLES" "$DATA" "$SPEC" <<'PY'
import sys, numpy as np, torch
sys.path.insert(0, "examples")
from lc_pytorch import random_frame
from idx_data import load_split
from models import seeded
out, samples, data, spec = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
model = seeded(spec, seed=0)  # PyTorch's initialisation, random batch-norm statistics (all tensors distinct)
torch.onnx.export(model, torch.zeros(1, 1, 28, 28), f"{out}/resnet.onnx", input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "batch"}}, dynamo=False, opset_version=17, do_constant_folding=False,
                  training=torch.onnx.TrainingMode.PRESERVE)
images, _ = load_split(data, "train", samples)
np.save(f"{out}/points.npy", images.reshape(len(images), -1))
np.save(f"{out}/frame.npy", random_frame(20, 784, 0))
PY

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for precision in $PRECISIONS; do
    /usr/bin/time -f "tessera $precision: %e s wall, %U s user, %M KB" \
        "$TESSERA" lc --model "$OUT/resnet.onnx" --points "$OUT/points.npy" --frame "$OUT/frame.npy" --radius 0.05 \
        --precision "$precision" --json "$OUT/tessera-$precision.json"
done
if [ -n "$BASELINE" ]; then
    /usr/bin/time -f "baseline: %e s wall, %U s user, %M KB" \
        "$BASELINE" lc --model "$OUT/resnet.onnx" --points "$OUT/points.npy" --frame "$OUT/frame.npy" --radius 0.05 --json "$OUT/baseline.json"
fi
for dtype in $DTYPES; do
    /usr/bin/time -f "PyTorch $dtype: %e s wall, %U s user, %M KB" \
        "$PYTHON" examples/lc_pytorch.py --model "$SPEC" --weights "$OUT/resnet.onnx" --points "$OUT/points.npy" \
        --frame "$OUT/frame.npy" --radius 0.05 --dtype "$dtype" --json "$OUT/torch-$dtype.json"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
for name in ["tessera-float32", "tessera-float64", "baseline", "torch-float32", "torch-float64"]:
    if not os.path.exists(f"{out}/{name}.json"):
        continue
    report = json.load(open(f"{out}/{name}.json"))
    entry = report["radii"][0] if "radii" in report else report
    print(f"{name:16s} mean LC {entry['lc']['mean']:.4f}  per layer {[round(l['mean'], 2) for l in entry['layers']]}")
PY
echo "files in $OUT"

"""The paper's local-complexity (LC) estimator in PyTorch: an independent implementation to check tessera's
`lc` against, and to time it against.

For each sample x: the 2P vertices x ± r·v_p of P orthonormal directions, one forward pass, and for every
ReLU-family layer the number of units whose pre-activation sign (−1, 0, +1) is not the same at all 2P
vertices (forward hooks on the inputs of each activation module; for a pre-activation ResNet these are the
batch-norm outputs before each ReLU). LC(x) is the sum over layers; the JSON reports the mean and the
population standard deviation over samples, per layer and summed.

    python examples/lc_pytorch.py --model cnn:depth=5,width=32 --weights cnn.safetensors \\
        --points X.npy --frame V.npy --radius 0.005,0.05 --dtype float64 --json lc.json
    python examples/lc_pytorch.py --run RUN --data /usr/share/datasets/fashion-mnist --samples 1000
    python examples/lc_pytorch.py --bench            # 1,000 samples, P = 25, the paper's CNN, 2 threads

--weights takes a state_dict saved with safetensors, or an .onnx file whose initializers carry the
state_dict names (a run's model.onnx, or a TorchScript export with training=TrainingMode.PRESERVE).
Architectures are those of examples/models.py (`name:key=value,...`).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idx_data import FASHION_MNIST, load_split  # noqa: E402
from models import build, input_shape, relu_modules  # noqa: E402

DTYPES = {"float64": torch.float64, "float32": torch.float32}


class BadInput(Exception):
    """One clear line for the user; the script exits non-zero."""


# ---------------------------------------------------------------------------------------------- model

def load_weights(model, path):
    """Loads a state_dict from .safetensors or from an .onnx file's initializers (names must match)."""
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        state = load_file(path)
    elif path.endswith(".onnx"):
        import onnx
        from onnx import numpy_helper
        graph = onnx.load(path).graph
        state = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    else:
        raise BadInput(f"{path}: --weights must be a .safetensors state_dict or an .onnx file")
    wanted = {k for k in model.state_dict() if not k.endswith("num_batches_tracked")}
    missing = sorted(wanted - set(state))
    if missing:
        raise BadInput(f"{path} lacks {len(missing)} state_dict tensors (first: {missing[0]}); an exporter that folds "
                       "BatchNorm or renames weights cannot be read back: export with training=TrainingMode.PRESERVE "
                       "or pass the state_dict")
    model.load_state_dict({k: v for k, v in state.items() if k in wanted}, strict=False)
    return model


def load_model(spec, weights, dtype):
    try:
        model = build(spec)
    except ValueError as error:
        raise BadInput(str(error))
    if weights:
        load_weights(model, weights)
    return model.eval().to(DTYPES[dtype])


# ---------------------------------------------------------------------------------------------- estimator

class SignChangeCounter:
    """Forward hooks that count, per sample and layer, the units whose sign differs among the vertices."""

    def __init__(self, model, include_output=False, maxpool=False, diagnostics=True):
        self.vertices = 1
        self.diagnostics = diagnostics
        self.names = []
        self.rows = {}
        self.handles = []
        for name, module in relu_modules(model):
            self.handles.append(module.register_forward_hook(self._activation_hook(name)))
        if maxpool:
            for name, module in model.named_modules():
                if isinstance(module, torch.nn.MaxPool2d):
                    self.handles.append(module.register_forward_hook(self._maxpool_hook(name, module)))
        if include_output:
            self.handles.append(model.register_forward_hook(self._output_hook()))

    def _record(self, name, changed, zeros, min_abs, margin):
        if name in self.rows:
            raise BadInput(f"module {name} runs twice in one forward pass; give every activation its own module")
        if name not in self.names:
            self.names.append(name)
        self.rows[name] = (changed, zeros, min_abs, margin)

    def _signs(self, z):
        z = z.reshape(-1, self.vertices, z[0].numel())
        # The signs at the vertices are not all equal exactly when the largest and the smallest value
        # have different signs (sign is monotone).
        changing = torch.sign(z.amax(1)) != torch.sign(z.amin(1))
        changed = changing.sum(1)
        if not self.diagnostics:
            nan = torch.full(changed.shape, float("nan"), dtype=torch.float64)
            return changed, torch.zeros_like(changed), nan, nan
        magnitude = z.abs()
        min_abs = magnitude.amin(dim=(1, 2))
        zeros = (z == 0).any(1).sum(1) if bool((min_abs == 0).any()) else torch.zeros_like(changed)
        return changed, zeros, min_abs, self._decision_margin(z, magnitude, changing)

    def _decision_margin(self, z, magnitude, changing):
        """Per sample, the smallest |z| at a vertex whose sign alone decides whether its unit counts: any vertex
        of a unit that does not count, or the lone vertex of a unit that counts only because of it."""
        inf = torch.tensor(float("inf"), dtype=z.dtype)
        positive, negative = (z > 0).sum(1), (z < 0).sum(1)
        lone_positive = changing & (positive == 1) & (negative == self.vertices - 1)
        lone_negative = changing & (negative == 1) & (positive == self.vertices - 1)
        margin = torch.where(changing, inf, magnitude.amin(1))
        margin = torch.where(lone_positive, torch.where(z > 0, magnitude, inf).amin(1), margin)
        margin = torch.where(lone_negative, torch.where(z < 0, magnitude, inf).amin(1), margin)
        return margin.amin(1).to(torch.float64)

    def _activation_hook(self, name):
        def hook(module, inputs, output):
            self._record(name, *self._signs(inputs[0].detach()))
        return hook

    def _output_hook(self):
        def hook(module, inputs, output):
            self._record("output", *self._signs(output.detach()))
        return hook

    def _maxpool_hook(self, name, pool):
        def hook(module, inputs, output):
            x = inputs[0].detach()
            if pool.ceil_mode:
                raise BadInput(f"{name}: ceil_mode max pools are not counted")
            pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
            k, s, p, d = pair(pool.kernel_size), pair(pool.stride or pool.kernel_size), pair(pool.padding), pair(pool.dilation)
            padded = F.pad(x, (p[1], p[1], p[0], p[0]), value=float("-inf"))
            windows = F.unfold(padded, k, dilation=d, stride=s)  # [B·V, C·k·k, L]
            n, _, length = windows.shape
            windows = windows.reshape(n, x.shape[1], k[0] * k[1], length)
            winners = windows.argmax(2).reshape(-1, self.vertices, x.shape[1] * length)  # first maximum on ties
            changed = (winners.amax(1) != winners.amin(1)).sum(1)
            nan = torch.full(changed.shape, float("nan"), dtype=torch.float64)
            self._record(name + " (max-pool windows)", changed, torch.zeros_like(changed), nan, nan)
        return hook

    def take(self):
        out = [self.rows[name] for name in self.names]
        self.rows = {}
        return out

    def remove(self):
        for handle in self.handles:
            handle.remove()


def local_complexity(model, points, frame, radius, dtype="float64", chunk=16, include_output=False, maxpool=False,
                     diagnostics=True):
    """Per-sample counts for one radius: dict with names, counts [N, L], zeros [N, L] (units with an exactly
    zero pre-activation at some vertex), min_abs [N, L] (smallest |pre-activation| over units and vertices);
    margin [N, L] (the smallest |pre-activation| whose sign alone decides whether its unit counts); without
    `diagnostics` only the counts are computed (zeros 0, min_abs and margin NaN)."""
    torch_dtype = DTYPES[dtype]
    frame = torch.as_tensor(frame, dtype=torch.float64)
    offsets = torch.cat([frame, -frame]) * radius  # [2P, D]; vertex order x + r·v_1..P, then x − r·v_1..P
    counter = SignChangeCounter(model, include_output, maxpool, diagnostics)
    counter.vertices = offsets.shape[0]
    sample_shape = model_input_shape(model, frame.shape[1])
    counts, zeros, min_abs, margins = [], [], [], []
    try:
        with torch.no_grad():
            for start in range(0, len(points), chunk):
                x = torch.as_tensor(points[start:start + chunk], dtype=torch.float64)
                vertices = (x[:, None, :] + offsets[None]).reshape([-1] + sample_shape).to(torch_dtype)
                model(vertices)
                rows = counter.take()
                counts.append(torch.stack([r[0] for r in rows], 1))
                zeros.append(torch.stack([r[1] for r in rows], 1))
                min_abs.append(torch.stack([r[2].to(torch.float64) for r in rows], 1))
                margins.append(torch.stack([r[3] for r in rows], 1))
    finally:
        counter.remove()
    return {"names": list(counter.names), "counts": torch.cat(counts).numpy().astype(np.int64),
            "zeros": torch.cat(zeros).numpy().astype(np.int64), "min_abs": torch.cat(min_abs).numpy(),
            "margin": torch.cat(margins).numpy()}


def model_input_shape(model, dimension):
    """[C, H, W] for a convolutional first layer, [D] otherwise."""
    first = next(m for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)))
    if isinstance(first, torch.nn.Conv2d):
        side = int(round((dimension / first.in_channels) ** 0.5))
        if first.in_channels * side * side != dimension:
            raise BadInput(f"points of dimension {dimension} are not {first.in_channels}×H×H images")
        return [first.in_channels, side, side]
    return [dimension]


def summary(result, radius, directions):
    """tessera's `lc --json` entry for one radius."""
    counts = result["counts"].astype(np.float64)
    totals = counts.sum(1)
    return {"lc": {"mean": float(totals.mean()), "std": float(totals.std())},
            "layers": [{"index": i + 1, "name": name, "mean": float(counts[:, i].mean()), "std": float(counts[:, i].std())}
                       for i, name in enumerate(result["names"])],
            "samples": int(len(counts)), "directions": int(directions), "radius": float(radius),
            "zero_preactivations": int(result["zeros"].sum())}


# ---------------------------------------------------------------------------------------------- inputs

def random_frame(directions, dimension, seed):
    """P orthonormal rows: the Q factor of a seeded Gaussian [D, P] matrix, transposed."""
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.standard_normal((dimension, directions)))
    return (q * np.sign(np.diag(r))).T.copy()


def read_frame(path, dimension):
    frame = np.load(path).astype(np.float64)
    if frame.ndim != 2 or frame.shape[1] != dimension:
        raise BadInput(f"{path}: the frame must be [P, {dimension}], got {list(frame.shape)}")
    gram = frame @ frame.T
    if np.abs(gram - np.eye(len(frame))).max() > 1e-6:
        raise BadInput(f"{path}: the frame's rows are not orthonormal (|V·Vᵀ − I| = {np.abs(gram - np.eye(len(frame))).max():.1e})")
    return frame


def read_points(args, dimension):
    if args.points:
        points = np.load(args.points)
        points = points.reshape(len(points), -1).astype(np.float64)
    elif args.random:
        points = np.random.default_rng(args.seed + 1).uniform(0, 1, size=(args.random, dimension))
    else:
        images, _ = load_split(args.data, args.split, args.samples)
        points = images.reshape(len(images), -1).astype(np.float64)
    if points.shape[1] != dimension:
        raise BadInput(f"points have dimension {points.shape[1]}, the model takes {dimension}")
    return points


def parse_radii(values):
    radii = []
    for item in ",".join(values).split(","):
        try:
            radius = float(item)
        except ValueError:
            raise BadInput(f"--radius '{item}' is not a number")
        if not (radius >= 0 and np.isfinite(radius)):
            raise BadInput(f"--radius must be finite and non-negative, got {item}")
        radii.append(radius)
    return radii


# ---------------------------------------------------------------------------------------------- commands

def estimate(model, points, frame, radii, args):
    start = time.perf_counter()
    entries = []
    for radius in radii:
        result = local_complexity(model, points, frame, radius, args.dtype, args.chunk, args.include_output, args.maxpool)
        entry = summary(result, radius, len(frame))
        if args.counts:
            entry["counts"] = result["counts"].tolist()
        entries.append(entry)
    seconds = time.perf_counter() - start
    report = dict(entries[0])
    report.update(radii=entries, include_output=args.include_output, dtype=args.dtype, threads=torch.get_num_threads(),
                  seconds=seconds)
    return report


def he_initialised_cnn(seed=0):
    """The paper's CNN (depth 5, width 32) He-initialised with N(0, 0.1²) biases, as tessera's CNN workload."""
    torch.manual_seed(seed)
    model = build("cnn:depth=5,width=32")
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
                torch.nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                module.bias.normal_(0.0, 0.1)
    return model.eval()


def bench(args):
    """Seconds per checkpoint for `--samples` samples (default 1,000), P = 25, one radius, on the paper's CNN
    (He-initialised), or on `--model` (PyTorch's default initialisation, seeded)."""
    samples = args.samples or 1000
    directions = args.directions or 25
    if args.model:
        torch.manual_seed(args.seed)
        make_model, label = (lambda: build(args.model).eval()), args.model
    else:
        make_model, label = he_initialised_cnn, "paper CNN (depth 5, width 32)"
    try:
        images, _ = load_split(args.data, "train", samples)
        points = images.reshape(len(images), -1).astype(np.float64)
        source = f"{args.data} train[0:{samples}]"
    except FileNotFoundError:
        points = np.random.default_rng(1).uniform(0, 1, size=(samples, 784))
        source = "uniform [0,1]^784"
    dimension = int(np.prod(input_shape(args.model))) if args.model else 784
    if points.shape[1] != dimension:
        raise BadInput(f"--bench feeds Fashion-MNIST-sized points (784); {args.model} takes {dimension}")
    frame = random_frame(directions, dimension, args.seed)
    radius = parse_radii(args.radius or ["0.005"])[0]
    results = {}
    for dtype in (["float32", "float64"] if args.dtype_given is None else [args.dtype]):
        model = make_model().to(DTYPES[dtype])
        local_complexity(model, points[:args.chunk], frame, radius, dtype, args.chunk, diagnostics=False)  # warm-up
        start, cpu_start = time.perf_counter(), time.process_time()
        result = local_complexity(model, points, frame, radius, dtype, args.chunk, diagnostics=False)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        results[dtype] = {"seconds": seconds, "cpu_seconds": cpu, "lc_mean": float(result["counts"].sum(1).mean())}
        print(f"PyTorch {torch.__version__} LC, {label}, {samples} samples ({source}), "
              f"P = {directions}, r = {radius}, {dtype}, {torch.get_num_threads()} threads, chunk {args.chunk}: "
              f"{seconds:.2f} s per checkpoint ({cpu:.2f} s CPU; mean LC {results[dtype]['lc_mean']:.2f}; "
              f"load average {os.getloadavg()[0]:.1f})", flush=True)
    if args.json:
        write_json(args.json, {"bench": "lc_pytorch", "samples": samples, "directions": directions, "radius": radius,
                               "threads": torch.get_num_threads(), "results": results})


def write_json(path, value):
    text = json.dumps(value, indent=1)
    if path == "-":
        print(text)
        return
    temporary = path + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(text + "\n")
    os.replace(temporary, path)


def run_checkpoints(run):
    with open(os.path.join(run, "run.json")) as handle:
        info = json.load(handle)
    if "architecture" not in info:
        raise BadInput(f"{run}/run.json names no architecture (not a PyTorch graph run); use --model and --weights")
    folder = os.path.join(run, "checkpoints")
    names = sorted(n for n in os.listdir(folder) if n.startswith("step-") and n.endswith(".safetensors"))
    if not names:
        raise BadInput(f"{run} has no checkpoints/step-*.safetensors")
    return info["architecture"], [(int(n[5:-12]), os.path.join(folder, n)) for n in names]


def main(argv=None):
    parser = argparse.ArgumentParser(description="The paper's LC estimator in PyTorch (forward hooks on ReLU inputs).")
    parser.add_argument("--model", help="architecture, e.g. cnn:depth=5,width=32,batchnorm=1 (examples/models.py)")
    parser.add_argument("--weights", help=".safetensors state_dict or .onnx with state_dict-named initializers")
    parser.add_argument("--run", help="a run directory (run.json names the architecture; every checkpoint)")
    parser.add_argument("--points", help="[N, D] .npy (or [N, C, H, W]), flattened in C order")
    parser.add_argument("--data", default=FASHION_MNIST, help="IDX dataset directory")
    parser.add_argument("--split", default="train", choices=["train", "test"])
    parser.add_argument("--samples", type=int, help="samples from --data (default 1000)")
    parser.add_argument("--random", type=int, help="N uniform random points in [0,1]^D instead")
    parser.add_argument("--frame", help="[P, D] .npy of orthonormal rows (the LC directions)")
    parser.add_argument("--directions", type=int, help="P when no --frame (default 25)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--radius", action="append", help="radius; repeat or comma-separate (default 0.005,0.05,0.5)")
    parser.add_argument("--include-output", action="store_true", help="also count the final layer's outputs")
    parser.add_argument("--maxpool", action="store_true", help="also count max-pool windows whose winner changes")
    parser.add_argument("--dtype", choices=list(DTYPES), default=None, help="float64 (default) or float32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=16, help="samples per forward pass (2P vertices each)")
    parser.add_argument("--counts", action="store_true", help="include per-sample per-layer counts in the JSON")
    parser.add_argument("--json", help="write the JSON here ('-' = stdout; the default prints it)")
    parser.add_argument("--bench", action="store_true", help="time 1,000 samples, P = 25 on the paper's CNN, or on --model "
                        "(float32 and float64 unless --dtype)")
    args = parser.parse_args(argv)
    args.dtype_given = args.dtype
    args.dtype = args.dtype or "float64"
    torch.set_num_threads(args.threads)
    if args.bench:
        bench(args)
        return
    if bool(args.run) == bool(args.model):
        raise BadInput("give --model SPEC [--weights FILE] or --run DIR")
    if args.run:
        spec, checkpoints = run_checkpoints(args.run)
    else:
        spec, checkpoints = args.model, [(None, args.weights)]
    try:
        shape = input_shape(spec)
    except ValueError as error:
        raise BadInput(str(error))
    dimension = int(np.prod(shape))
    if args.samples is None and not (args.points or args.random):
        args.samples = 1000
    points = read_points(args, dimension)
    frame = read_frame(args.frame, dimension) if args.frame else random_frame(args.directions or 25, dimension, args.seed)
    radii = parse_radii(args.radius or ["0.005,0.05,0.5"])
    reports = []
    for step, weights in checkpoints:
        report = estimate(load_model(spec, weights, args.dtype), points, frame, radii, args)
        if step is not None:
            report["step"] = step
            print(f"step {step}: LC {report['lc']['mean']:.3f} ± {report['lc']['std']:.3f}  ({report['seconds']:.2f} s)",
                  file=sys.stderr)
        reports.append(report)
    value = reports[0] if len(reports) == 1 else {"architecture": spec, "checkpoints": reports}
    write_json(args.json or "-", value)


if __name__ == "__main__":
    try:
        main()
    except (BadInput, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)

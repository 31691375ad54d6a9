"""Trains the paper's CNN or a pre-activation ResNet18 on Fashion-MNIST (CPU, PyTorch) and writes a run directory
that every tessera command reads: `model.onnx` (the architecture, batch norm kept), `checkpoints/step-<9
digits>.safetensors` (tensors named as the graph's initializers, on a log-spaced schedule), `metrics.csv` and
`run.json`.

    python examples/train_cnn.py --arch cnn --out output/cnn                 # depth 5, width 32
    python examples/train_cnn.py --arch cnn --batchnorm --out output/cnn-bn
    python examples/train_cnn.py --arch cnn --weight-decay 0.1 --out output/cnn-wd0.1
    python examples/train_cnn.py --arch resnet --k 16 --batchnorm --out output/resnet-bn
    python examples/train_cnn.py --arch cnn --out output/cnn --resume        # continue a stopped or killed run
    tessera inspect output/cnn/model.onnx
    tessera lc output/cnn --radius 0.005 --samples 200 --plot output/cnn/lc.png

The setting follows the paper's CIFAR-10 experiments on Fashion-MNIST read from the IDX files (no downloads):
cross-entropy, AdamW (lr 1e-3, weight decay 0.01 unless --weight-decay), PyTorch's default initialisation,
pixels in [0, 1] without normalisation, `--train-size` training images (the first ones), seeded batches.
Metrics are measured in eval mode (batch norm with its running statistics), as the checkpoint is sliced, on the
first 500 training and test images (--train-eval-size, --test-size).

A run survives interruption: beside each checkpoint, and every --save-every steps, it writes `resume.pt` (the
model with its batch-norm counters, AdamW's state, the batch sampler's generator, the metrics so far), and
`--resume` continues from it with the same flags (`--steps` may grow) to the same weights, bit for bit, that one
uninterrupted process reaches.
"""
import argparse
import contextlib
import copy as copy_module
import io
import json
import math
import os
import signal
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idx_data import FASHION_MNIST, load_split, read_idx, split_files  # noqa: E402
from models import build, format_spec, parameter_count, parse_spec, randomize_batchnorm  # noqa: E402

METRICS_HEADER = "step,train_loss,train_accuracy,test_loss,test_accuracy"


class BadInput(Exception):
    """One clear line for the user; the script exits non-zero."""


def log_spaced_steps(per_decade, final_step):
    """Steps 0…10, then round(10 · 10^(k/per_decade)) up to `final_step`, then `final_step` (tessera train's
    schedule), sorted without duplicates."""
    steps = set(range(0, min(10, final_step) + 1))
    k = 1
    while final_step > 10:
        step = int(math.floor(10 * 10 ** (k / per_decade) + 0.5))
        if step > final_step:
            break
        steps.add(step)
        k += 1
    steps.add(final_step)
    return sorted(steps)


def architecture_spec(args):
    if args.arch == "cnn":
        spec = f"cnn:depth={args.depth},width={args.width},batchnorm={int(args.batchnorm)}"
    else:
        spec = f"resnet:k={args.k},blocks={args.blocks},batchnorm={int(args.batchnorm)}"
    try:
        return format_spec(*parse_spec(spec))
    except ValueError as error:
        raise BadInput(str(error))


def export_onnx(model, path):
    """TorchScript export that keeps batch norm as BatchNormalization nodes and every state_dict tensor as an
    initializer of the same name (the default export folds batch norm into the convolutions)."""
    example = torch.zeros(2, 1, 28, 28)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), path, dynamo=False, opset_version=17, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.PRESERVE, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    import onnx
    graph = onnx.load(path).graph
    return [i.name for i in graph.initializer]


def distinct_copy(model):
    """A copy in eval mode whose batch-norm tensors all differ: the exporter merges initializers with equal values
    (a fresh batch norm's weights are all ones, its running means all zeros), which would lose their names."""
    copy = copy_module.deepcopy(model).eval()
    return randomize_batchnorm(copy, torch.Generator().manual_seed(12345))


def checkpoint_tensors(model, names):
    """The state_dict tensors the graph holds as initializers (float32, contiguous)."""
    state = model.state_dict()
    missing = [n for n in names if n not in state]
    if missing:
        raise RuntimeError(f"the ONNX export has initializers that are not state_dict tensors: {missing[:3]}")
    return {n: state[n].detach().to(torch.float32).contiguous().clone() for n in names}


def evaluate(model, images, labels, batch=500):
    """(mean cross-entropy, accuracy) in eval mode."""
    was_training = model.training
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(images), batch):
            logits = model(images[start:start + batch])
            loss += F.cross_entropy(logits, labels[start:start + batch], reduction="sum").item()
            correct += (logits.argmax(1) == labels[start:start + batch]).sum().item()
    model.train(was_training)
    return loss / len(images), correct / len(images)


def check_export(directory, spec, names, step, images):
    """The checkpoint substituted into model.onnx gives PyTorch's float64 logits (onnxruntime, float32)."""
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
    from safetensors.torch import load_file
    state = load_file(os.path.join(directory, "checkpoints", f"step-{step:09d}.safetensors"))
    reference = build(spec)
    reference.load_state_dict(state, strict=False)
    reference = reference.eval().double()
    with torch.no_grad():
        expected = reference(images.double()).numpy()
    model = onnx.load(os.path.join(directory, "model.onnx"))
    for init in model.graph.initializer:
        init.CopyFrom(numpy_helper.from_array(state[init.name].numpy(), init.name))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    got = session.run(None, {"input": images.numpy()})[0]
    return float(np.abs(got - expected).max() / max(np.abs(expected).max(), 1e-30))


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


RESUME_FILE = "resume.pt"
# The flags that decide the weights a step reaches: a resume must repeat them.
RESUME_FLAGS = ("batch", "lr", "weight_decay", "train_size", "seed", "checkpoints_per_decade")


def save_resume(directory, step, model, optimizer, generator, rows, seconds, spec, args, names):
    """resume.pt, written atomically: everything the next step depends on."""
    state = {"step": step, "architecture": spec, "flags": {k: getattr(args, k) for k in RESUME_FLAGS},
             "model": model.state_dict(), "optimizer": optimizer.state_dict(), "generator": generator.get_state(),
             "torch_rng": torch.get_rng_state(), "rows": list(rows), "seconds": seconds, "names": list(names)}
    temporary = os.path.join(directory, RESUME_FILE + ".tmp")
    torch.save(state, temporary)
    os.replace(temporary, os.path.join(directory, RESUME_FILE))


def load_resume(directory, spec, args):
    path = os.path.join(directory, RESUME_FILE)
    if not os.path.exists(path):
        raise BadInput(f"{directory} holds no {RESUME_FILE} to resume from (a run made before --resume existed, or none)")
    state = torch.load(path, weights_only=False)
    if state["architecture"] != spec:
        raise BadInput(f"{path} was made by {state['architecture']}, the flags give {spec}")
    for key, value in state["flags"].items():
        if getattr(args, key) != value:
            raise BadInput(f"{path} was made with --{key.replace('_', '-')} {value}, not {getattr(args, key)}")
    if state["step"] > args.steps:
        raise BadInput(f"{path} is at step {state['step']}, past --steps {args.steps}")
    return state


def run_info(args, spec, steps_done, schedule, seconds, exporter_check, parameters):
    """run.json: tessera's run fields (so `tessera` reads the data provenance and configuration as for its own
    MLP runs) plus the architecture and how the model was made."""
    name, settings = parse_spec(spec)
    paths = {s: split_files(args.data, s) for s in ("train", "test")}
    files = [os.path.basename(f) for s in ("train", "test") for f in paths[s]]
    available = {s: int(read_idx(paths[s][1]).shape[0]) for s in paths}
    return {
        "tessera_version": "examples/train_cnn.py",
        "framework": "pytorch", "torch_version": torch.__version__,
        "architecture": spec, "model": "model.onnx", "model_exporter": "torchscript",
        "parameters": parameters,
        "config": {
            "arch": args.arch, "depth": args.depth if args.arch == "cnn" else 18, "width": args.width if args.arch == "cnn" else args.k,
            "batchnorm": bool(args.batchnorm), "activation": "relu", "loss": "cross_entropy", "optimizer": "AdamW",
            "train_size": args.train_size, "train_subset": "first", "test_size": args.test_size,
            "train_metrics_size": min(args.train_eval_size, args.train_size),
            "steps": steps_done, "requested_steps": args.steps, "batch": args.batch, "learning_rate": args.lr,
            "weight_decay": args.weight_decay, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "init_scale": 1.0,
            "seed": args.seed, "dtype": "f32", "checkpoints_per_decade": args.checkpoints_per_decade,
            "checkpoint_steps": [s for s in schedule if s <= steps_done], "threads": args.threads,
            "time_limit_minutes": args.time_limit, "training_seconds": None if seconds is None else round(seconds, 1),
        },
        "data": {
            "directory": args.data, "files": files, "train_available": available["train"], "test_available": available["test"],
            "train_size": args.train_size, "test_size": args.test_size, "classes": 10, "input_dimension": 784,
            "input_shape": [1, 28, 28], "train_subset": "first", "train_indices": list(range(args.train_size)),
            "scaling": "pixel / 255, no normalisation",
        },
        "onnx_check_max_relative_error": exporter_check,
    }


def finalize(args):
    """run.json for a run whose training process was killed before writing it: its checkpoints and metrics.csv
    stand; the last checkpoint (made with the same flags) is checked against model.onnx as at the end of training."""
    from safetensors import safe_open
    spec = architecture_spec(args)
    directory = os.path.join(args.out, "checkpoints")
    steps = sorted(int(f[5:14]) for f in os.listdir(directory) if f.startswith("step-")) if os.path.isdir(directory) else []
    if not steps or not os.path.exists(os.path.join(args.out, "model.onnx")):
        raise BadInput(f"{args.out} holds no model.onnx and checkpoints to finalize")
    if os.path.exists(os.path.join(args.out, "run.json")) and not args.overwrite:
        raise BadInput(f"{args.out} already holds run.json (pass --overwrite to replace it)")
    step = steps[-1]
    with safe_open(os.path.join(directory, f"step-{step:09d}.safetensors"), "pt") as handle:
        made_by = handle.metadata().get("architecture")
        names = list(handle.keys())
    if made_by != spec:
        raise BadInput(f"the checkpoints were made by {made_by}, the flags give {spec}")
    test_x, _ = load_split(args.data, "test", 8)
    error = check_export(args.out, spec, names, step, torch.from_numpy(test_x))
    if error > 1e-4:
        raise RuntimeError(f"model.onnx with the last checkpoint differs from PyTorch by {error:.2e} (relative)")
    info = run_info(args, spec, step, log_spaced_steps(args.checkpoints_per_decade, args.steps), None, error,
                    parameter_count(build(spec)))
    info["finalized_after_interruption"] = True
    write_atomically(os.path.join(args.out, "run.json"), json.dumps(info, indent=1) + "\n")
    print(f"{args.out}: finalized at step {step}; onnxruntime vs PyTorch {error:.1e}", file=sys.stderr)


def train(args):
    spec = architecture_spec(args)
    if args.steps < 0 or min(args.batch, args.train_size, args.test_size, args.train_eval_size) < 1:
        raise BadInput("--steps must be ≥ 0 and --batch, --train-size, --test-size, --train-eval-size ≥ 1")
    if not (args.lr > 0 and args.weight_decay >= 0):
        raise BadInput("--lr must be positive and --weight-decay non-negative")
    if os.path.exists(os.path.join(args.out, "run.json")) and not (args.overwrite or args.resume):
        raise BadInput(f"{args.out} already holds a run (pass --overwrite to replace it, --resume to continue it)")
    if args.resume and args.overwrite:
        raise BadInput("--resume continues the run in --out, --overwrite replaces it: pass one")
    torch.set_num_threads(args.threads)
    try:
        train_x, train_y = load_split(args.data, "train", args.train_size)
        test_x, test_y = load_split(args.data, "test", args.test_size)
    except (FileNotFoundError, ValueError) as error:
        raise BadInput(str(error))
    if len(train_x) < args.train_size or len(test_x) < args.test_size:
        raise BadInput(f"{args.data} holds {len(train_x)} training and {len(test_x)} test images")
    train_x, train_y = torch.from_numpy(train_x), torch.from_numpy(train_y)
    test_x, test_y = torch.from_numpy(test_x), torch.from_numpy(test_y)

    torch.manual_seed(args.seed)
    model = build(spec)
    checkpoints = os.path.join(args.out, "checkpoints")
    os.makedirs(checkpoints, exist_ok=True)
    schedule = log_spaced_steps(args.checkpoints_per_decade, args.steps)
    wanted = set(schedule)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    generator = torch.Generator().manual_seed(args.seed + 1)
    rows = [METRICS_HEADER]
    step, seconds_before = 0, 0.0
    if args.resume:
        state = load_resume(args.out, spec, args)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        generator.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])
        step, seconds_before = state["step"], state["seconds"]
        # Checkpoints past the resume point, or off the schedule (a stop's last one), are not the run's.
        rows = [METRICS_HEADER] + [r for r in state["rows"][1:] if int(r.split(",")[0]) in wanted and int(r.split(",")[0]) <= step]
        names = state["names"]
        for stale in os.listdir(checkpoints):
            if stale.startswith("step-") and (int(stale[5:14]) > step or int(stale[5:14]) not in wanted):
                os.remove(os.path.join(checkpoints, stale))
        print(f"resuming at step {step}", file=sys.stderr)
    else:
        for stale in os.listdir(checkpoints) + [RESUME_FILE]:
            if stale.startswith("step-") or stale == RESUME_FILE:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(checkpoints if stale != RESUME_FILE else args.out, stale))
        names = export_onnx(distinct_copy(model), os.path.join(args.out, "model.onnx"))
        expected = sorted(k for k in model.state_dict() if not k.endswith("num_batches_tracked"))
        if sorted(names) != expected:
            raise RuntimeError(f"the ONNX export renamed or dropped state_dict tensors: {sorted(set(expected) - set(names))[:3]}")
    resumed_at = step if args.resume else None
    process_start = time.perf_counter()
    start = process_start - seconds_before  # the run's training time counts every process that worked on it
    # SIGTERM or Ctrl-C ends the run like --time-limit: a last checkpoint, the export check and run.json.
    stop = {"requested": False}

    def request_stop(signum, frame):
        stop["requested"] = True
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, request_stop)
    print(f"{spec}: {parameter_count(model):,} parameters, {len(schedule)} checkpoints up to step {args.steps}",
          file=sys.stderr)
    while True:
        over_time = (args.time_limit is not None and time.perf_counter() - process_start > 60 * args.time_limit) or stop["requested"]
        checkpoint_due = (step in wanted or step == args.steps or over_time) and step != resumed_at
        if checkpoint_due:
            from safetensors.torch import save_file
            save_file(checkpoint_tensors(model, names), os.path.join(checkpoints, f"step-{step:09d}.safetensors"),
                      metadata={"step": str(step), "architecture": spec})
            train_metrics = evaluate(model, train_x[:args.train_eval_size], train_y[:args.train_eval_size])
            test_metrics = evaluate(model, test_x, test_y)
            rows.append(f"{step},{train_metrics[0]},{train_metrics[1]},{test_metrics[0]},{test_metrics[1]}")
            write_atomically(os.path.join(args.out, "metrics.csv"), "\n".join(rows) + "\n")
            print(f"step {step}: train loss {train_metrics[0]:.4f} acc {train_metrics[1]:.3f}  test loss "
                  f"{test_metrics[0]:.4f} acc {test_metrics[1]:.3f}  ({time.perf_counter() - start:.0f} s)",
                  file=sys.stderr, flush=True)
        if checkpoint_due or (args.save_every and step % args.save_every == 0 and step != resumed_at):
            save_resume(args.out, step, model, optimizer, generator, rows, time.perf_counter() - start, spec, args, names)
        if step == args.steps or over_time:
            break
        batch = torch.randint(0, len(train_x), (args.batch,), generator=generator)
        loss = F.cross_entropy(model(train_x[batch]), train_y[batch])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        step += 1
    seconds = time.perf_counter() - start
    if over_time:
        why = "on a signal" if stop["requested"] else f"after the {args.time_limit}-minute limit"
        print(f"stopped at step {step} {why}", file=sys.stderr)
    error = check_export(args.out, spec, names, step, test_x[:8])
    if error > 1e-4:
        raise RuntimeError(f"model.onnx with the last checkpoint differs from PyTorch by {error:.2e} (relative)")
    info = run_info(args, spec, step, schedule, seconds, error, parameter_count(model))
    write_atomically(os.path.join(args.out, "run.json"), json.dumps(info, indent=1) + "\n")
    print(f"{args.out}: {step} steps in {seconds:.0f} s ({step / max(seconds, 1e-9):.1f} steps/s); "
          f"onnxruntime vs PyTorch {error:.1e}", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Train the paper's CNN or a pre-activation ResNet18 on Fashion-MNIST "
                                     "into a tessera run directory.")
    parser.add_argument("--arch", choices=["cnn", "resnet"], default="cnn")
    parser.add_argument("--depth", type=int, default=5, help="CNN: weight layers (depth − 1 convolutions + one Linear)")
    parser.add_argument("--width", type=int, default=32, help="CNN: channels of every convolution")
    parser.add_argument("--k", type=int, default=16, help="ResNet: width of the first stage (k, 2k, 4k, 8k)")
    parser.add_argument("--blocks", default="2-2-2-2", help="ResNet: basic blocks per stage (2-2-2-2 = ResNet18)")
    parser.add_argument("--batchnorm", action="store_true", help="batch norm after every convolution (CNN) / in every block (ResNet)")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--train-size", type=int, default=1000, help="the first N training images")
    parser.add_argument("--test-size", type=int, default=500, help="the first N test images, evaluated per checkpoint")
    parser.add_argument("--train-eval-size", type=int, default=500, help="the training metrics are measured on the first N "
                        "training images (all of them when N ≥ --train-size)")
    parser.add_argument("--checkpoints-per-decade", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--time-limit", type=float, help="minutes; stop (with a last checkpoint) when exceeded")
    parser.add_argument("--data", default=FASHION_MNIST, help="IDX dataset directory")
    parser.add_argument("--out", required=True, help="run directory to write")
    parser.add_argument("--overwrite", action="store_true", help="replace a run already in --out")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run in --out from its resume.pt (same flags; --steps may grow)")
    parser.add_argument("--save-every", type=int, default=1000,
                        help="also write resume.pt every N steps between checkpoints (0: at checkpoints only)")
    parser.add_argument("--finalize", action="store_true",
                        help="write run.json for a run in --out whose training was killed (same flags as the training)")
    args = parser.parse_args(argv)
    if args.checkpoints_per_decade < 1:
        raise BadInput("--checkpoints-per-decade must be at least 1")
    finalize(args) if args.finalize else train(args)


if __name__ == "__main__":
    try:
        main()
    except BadInput as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)

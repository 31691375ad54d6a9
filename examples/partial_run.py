"""A run directory of some checkpoints of another run, for `tessera lc` on a run still training or in batches:
`model.onnx` and the chosen checkpoints as symbolic links, and the run's run.json (or, while the run trains and
has none yet, the run.json train_cnn.py will write, made from the same flags).

    python examples/partial_run.py RUN OUT --steps 0,1,2 -- <train_cnn.py flags of RUN>
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_cnn  # noqa: E402
from models import build, parameter_count  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("out")
    parser.add_argument("--steps", required=True, help="comma-separated checkpoint steps of RUN")
    args, flags = parser.parse_known_args()
    flags = [f for f in flags if f != "--"]
    run, out = os.path.abspath(args.run), args.out
    os.makedirs(os.path.join(out, "checkpoints"), exist_ok=True)
    for name in ("model.onnx",):
        target = os.path.join(out, name)
        if not os.path.lexists(target):
            os.symlink(os.path.join(run, name), target)
    for step in (int(s) for s in args.steps.split(",") if s):
        name = f"step-{step:09d}.safetensors"
        source = os.path.join(run, "checkpoints", name)
        if not os.path.exists(source):
            raise SystemExit(f"error: {source} does not exist")
        target = os.path.join(out, "checkpoints", name)
        if not os.path.lexists(target):
            os.symlink(source, target)
    if os.path.exists(os.path.join(run, "run.json")):
        info = json.load(open(os.path.join(run, "run.json")))
    else:
        captured = {}
        original = train_cnn.argparse.ArgumentParser.parse_args

        def capture(self, argv=None, namespace=None):
            captured["args"] = original(self, flags + ["--out", run], namespace)
            raise SystemExit(0)
        train_cnn.argparse.ArgumentParser.parse_args = capture
        try:
            train_cnn.main()
        except SystemExit:
            pass
        train_cnn.argparse.ArgumentParser.parse_args = original
        a = captured["args"]
        spec = train_cnn.architecture_spec(a)
        info = train_cnn.run_info(a, spec, 0, train_cnn.log_spaced_steps(a.checkpoints_per_decade, a.steps), None, None,
                                  parameter_count(build(spec)))
        info["still_training"] = True
    with open(os.path.join(out, "run.json"), "w") as handle:
        json.dump(info, handle, indent=1)


if __name__ == "__main__":
    main()

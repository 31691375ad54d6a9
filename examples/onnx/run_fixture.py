"""A small graph run: a tiny CNN trained a few steps on Fashion-MNIST, written as a run directory
(model.onnx + checkpoints/step-<9 digits>.safetensors named as the graph's initializers, metrics.csv,
run.json)."""
import contextlib
import io
import json
import os
import sys
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from idx_data import FASHION_MNIST, load_split, split_files  # noqa: E402
from models import build  # noqa: E402

SPEC = "cnn:depth=3,width=4,batchnorm=0"
CONFIG = {"steps": 10, "batch": 32, "learning_rate": 1e-3, "weight_decay": 0.01, "optimizer": "AdamW",
          "loss": "cross_entropy", "train_size": 256, "test_size": 256, "seed": 7, "checkpoint_steps": [0, 10]}


def evaluate(model, images, labels):
    with torch.no_grad():
        logits = model(images)
        loss = torch.nn.functional.cross_entropy(logits, labels).item()
        accuracy = (logits.argmax(1) == labels).double().mean().item()
    return loss, accuracy


def export(model, path):
    """The dynamo export when it keeps the state_dict names as initializer names, else TorchScript."""
    example = torch.zeros(2, 1, 28, 28)
    state = set(model.state_dict())
    for exporter in ("dynamo", "torchscript"):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            if exporter == "dynamo":
                torch.onnx.export(model, (example,), path, dynamo=True, input_names=["input"], output_names=["logits"],
                                  dynamic_shapes=({0: torch.export.Dim("batch")},), external_data=False)
            else:
                torch.onnx.export(model, (example,), path, dynamo=False, opset_version=17, input_names=["input"],
                                  output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        names = {i.name for i in onnx.load(path).graph.initializer}
        if state <= names:
            return exporter
    raise RuntimeError("neither exporter kept the state_dict names")


def with_checkpoint(onnx_model, state):
    """The graph with its initializers replaced by a checkpoint's tensors (what a run reader does)."""
    model = onnx.ModelProto()
    model.CopyFrom(onnx_model)
    for init in model.graph.initializer:
        if init.name in state:
            init.CopyFrom(numpy_helper.from_array(state[init.name].numpy(), init.name))
    return model


def make_run(directory):
    os.makedirs(os.path.join(directory, "checkpoints"), exist_ok=True)
    torch.manual_seed(CONFIG["seed"])
    model = build(SPEC)
    train_x, train_y = load_split(FASHION_MNIST, "train", CONFIG["train_size"])
    test_x, test_y = load_split(FASHION_MNIST, "test", CONFIG["test_size"])
    train_x, train_y = torch.from_numpy(train_x), torch.from_numpy(train_y)
    test_x, test_y = torch.from_numpy(test_x), torch.from_numpy(test_y)
    optimizer = torch.optim.AdamW(model.parameters(), lr=CONFIG["learning_rate"], weight_decay=CONFIG["weight_decay"])
    generator = torch.Generator().manual_seed(CONFIG["seed"])
    rows = []
    states = {}
    for step in range(CONFIG["steps"] + 1):
        if step in CONFIG["checkpoint_steps"]:
            model.eval()
            state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
            states[step] = state
            save_file(state, os.path.join(directory, "checkpoints", f"step-{step:09d}.safetensors"),
                      metadata={"step": str(step), "architecture": SPEC})
            rows.append((step,) + evaluate(model, train_x, train_y) + evaluate(model, test_x, test_y))
        if step == CONFIG["steps"]:
            break
        model.train()
        batch = torch.randint(0, len(train_x), (CONFIG["batch"],), generator=generator)
        loss = torch.nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    exporter = export(model, os.path.join(directory, "model.onnx"))
    with open(os.path.join(directory, "metrics.csv"), "w") as handle:
        handle.write("step,train_loss,train_accuracy,test_loss,test_accuracy\n")
        for row in rows:
            handle.write(",".join(str(v) for v in row) + "\n")
    # Check: each checkpoint substituted into model.onnx gives PyTorch's outputs on test images.
    onnx_model = onnx.load(os.path.join(directory, "model.onnx"))
    checks = {}
    for step, state in states.items():
        reference = build(SPEC)
        reference.load_state_dict(state)
        reference = reference.eval().double()
        with torch.no_grad():
            expected = reference(test_x[:4].double()).numpy()
        session = ort.InferenceSession(with_checkpoint(onnx_model, state).SerializeToString(), providers=["CPUExecutionProvider"])
        got = session.run(None, {"input": test_x[:4].numpy()})[0]
        checks[step] = float(np.abs(got - expected).max() / np.abs(expected).max())
        assert checks[step] < 1e-5, checks
    info = {
        "framework": "pytorch", "torch_version": torch.__version__, "architecture": SPEC,
        "model": "model.onnx", "model_exporter": exporter,
        "config": CONFIG,
        "data": {"directory": FASHION_MNIST,
                 "files": [os.path.basename(f) for s in ("train", "test") for f in split_files(FASHION_MNIST, s)],
                 "train_size": CONFIG["train_size"], "test_size": CONFIG["test_size"], "train_subset": "first",
                 "classes": 10, "input_shape": [1, 28, 28], "input_dimension": 784,
                 "scaling": "pixel / 255, no normalisation"},
    }
    with open(os.path.join(directory, "run.json"), "w") as handle:
        json.dump(info, handle, indent=1)
        handle.write("\n")
    print(f"run {directory}: exporter {exporter}, metrics {rows}, checkpoint check {checks}")
    return {"directory": os.path.basename(directory), "architecture": SPEC, "model_exporter": exporter,
            "checkpoints": [f"checkpoints/step-{s:09d}.safetensors" for s in CONFIG["checkpoint_steps"]],
            "initializers_are_state_dict_names": True,
            "max_relative_error_ort_with_checkpoint": {str(k): v for k, v in checks.items()}}

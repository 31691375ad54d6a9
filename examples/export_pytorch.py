"""Train a small MLP in PyTorch and save checkpoints that tessera reads unchanged.

    pip install torch safetensors
    python examples/export_pytorch.py --out run-torch
    tessera slice --model run-torch/step-000001000.safetensors --data /usr/share/datasets/fashion-mnist --indices 0,1,2 --png s.png

The checkpoint is the plain state_dict of an nn.Sequential (keys 0.weight [out, in], 0.bias, 2.weight, ...),
saved with safetensors.torch.save_file; the activation goes into the metadata (tessera reads it; otherwise
pass --activation).
"""
import argparse
import os

import torch
from safetensors.torch import save_file


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="run-torch")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--width", type=int, default=200)
    args = parser.parse_args()
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, args.width), torch.nn.ReLU(),
        torch.nn.Linear(args.width, args.width), torch.nn.ReLU(),
        torch.nn.Linear(args.width, args.width), torch.nn.ReLU(),
        torch.nn.Linear(args.width, 10),
    )
    # Any data works; random images keep the example self-contained.
    x = torch.rand(1000, 784)
    y = torch.nn.functional.one_hot(torch.randint(0, 10, (1000,)), 10).float()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    os.makedirs(args.out, exist_ok=True)
    for step in range(args.steps + 1):
        if step in (0, 1, 10, 100, 1000) or step == args.steps:
            state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
            save_file(state, f"{args.out}/step-{step:09d}.safetensors", metadata={"activation": "relu", "step": str(step)})
        batch = torch.randint(0, 1000, (200,))
        loss = torch.nn.functional.mse_loss(model(x[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()

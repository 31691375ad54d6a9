"""Two small PyTorch CNNs that differ only by a 2x2 max pool, exported to ONNX, with three anchors.

    python examples/maxpool_pair.py --out output/maxpool-pair
    tessera slice --model output/maxpool-pair/pool.onnx   --points output/maxpool-pair/anchors.npy --domain disk:0.3@1
    tessera slice --model output/maxpool-pair/nopool.onnx --points output/maxpool-pair/anchors.npy --domain disk:0.3@1

pool.onnx:   conv(1->8, 3x3, pad 1) -> ReLU -> MaxPool2d(2) -> conv(8->8) -> ReLU -> Flatten -> Linear(1568, 10)
nopool.onnx: conv(1->8, 3x3, pad 1) -> ReLU ->                 conv(8->8) -> ReLU -> Flatten -> Linear(6272, 10)
Weights are PyTorch's default initialisation (seed 0); the anchors are uniform random 28x28 images.
Slicing both on the same disk compares what a max pool costs per region against ReLU alone.
"""
import argparse
import os

import numpy as np
import torch


def network(pool):
    layers = [torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU()]
    if pool:
        layers.append(torch.nn.MaxPool2d(2))
    side = 14 if pool else 28
    layers += [torch.nn.Conv2d(8, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(),
               torch.nn.Linear(8 * side * side, 10)]
    return torch.nn.Sequential(*layers).eval()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="output/maxpool-pair")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    example = torch.zeros(1, 1, 28, 28)
    for name, pool in (("pool", True), ("nopool", False)):
        torch.manual_seed(args.seed)
        torch.onnx.export(network(pool), (example,), os.path.join(args.out, f"{name}.onnx"), dynamo=False,
                          opset_version=17, input_names=["input"], output_names=["logits"])
    rng = np.random.default_rng(args.seed)
    np.save(os.path.join(args.out, "anchors.npy"), rng.random((3, 784)))


if __name__ == "__main__":
    main()

"""Writes a PyTorch-layout MLP state_dict with the reference safetensors implementation
(safetensors.numpy.save_file writes the same format as safetensors.torch.save_file), anchors, and
the logits numpy computes at the anchors, so the reader is checked against the format's own writer.

    python -m venv v && v/bin/pip install safetensors numpy && v/bin/python make_safetensors_fixture.py
"""
import numpy as np
from safetensors.numpy import save_file

rng = np.random.default_rng(7)
sizes = [784, 8, 8, 10]
state = {}
for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
    bound = 1 / np.sqrt(n_in)
    state[f"net.layers.{2 * i}.weight"] = rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32)
    state[f"net.layers.{2 * i}.bias"] = rng.uniform(-bound, bound, (n_out,)).astype(np.float32)
save_file(state, "pytorch_layout.safetensors", metadata={"format": "pt"})
anchors = rng.uniform(0, 1, (3, 784)).astype(np.float32)
np.save("pytorch_layout_anchors.npy", anchors)
x = anchors.astype(np.float64)
for i in range(3):
    x = x @ state[f"net.layers.{2 * i}.weight"].astype(np.float64).T + state[f"net.layers.{2 * i}.bias"]
    if i < 2:
        x = np.maximum(x, 0)
np.save("pytorch_layout_logits.npy", x)

"""Reads MNIST-format (IDX) datasets, plain or gzip, without downloads.

    from idx_data import load_split
    images, labels = load_split("/usr/share/datasets/fashion-mnist", "train", count=1000)

Images come back as float32 arrays [N, 1, H, W] scaled to [0, 1] (pixel / 255), labels as int64 [N].
"""
import gzip
import os

import numpy as np

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
PREFIX = {"train": "train", "test": "t10k"}


def _open(path):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _find(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"no {stem}[.gz] in {directory}")


def read_idx(path):
    """The array an IDX file holds (unsigned bytes only, as MNIST-format datasets use)."""
    with _open(path) as handle:
        data = handle.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file")
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank, count=int(np.prod(shape))).reshape(shape)


def split_files(directory, split):
    return (_find(directory, f"{PREFIX[split]}-images-idx3-ubyte"), _find(directory, f"{PREFIX[split]}-labels-idx1-ubyte"))


def load_split(directory=FASHION_MNIST, split="train", count=None):
    """(images float32 [N, 1, H, W] in [0, 1], labels int64 [N]): the first `count` samples of the split."""
    image_path, label_path = split_files(directory, split)
    images = read_idx(image_path)
    labels = read_idx(label_path)
    if count is not None:
        images, labels = images[:count], labels[:count]
    images = (images.astype(np.float32) / np.float32(255.0))[:, None, :, :]
    return images, labels.astype(np.int64)

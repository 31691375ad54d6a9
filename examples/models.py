"""PyTorch architectures shared by the ONNX fixtures, the PyTorch LC estimator and the training scripts.

    from models import build, parse_spec
    model = build("cnn:depth=5,width=32,batchnorm=1")

Every activation is its own nn.ReLU module (never reused), so a forward hook on each ReLU sees one layer's
pre-activations exactly once per forward pass, in topological order.

Architectures (the spec string is `name:key=value,...`):
- `cnn`: the paper's CNN. `depth` weight layers: depth − 1 blocks [Conv2d 3×3, `width` channels, stride 1,
  padding 1 → optional BatchNorm2d → ReLU], then Flatten and Linear(width·H·W → classes).
  Keys: depth (5), width (32), batchnorm (0), channels (1), size (28), classes (10).
- `lenet`: conv 5×5 (pad 2) → ReLU → MaxPool 2 → conv 5×5 → ReLU → AvgPool 2 → Flatten → Linear → ReLU → Linear.
  Keys: c1 (6), c2 (16), hidden (32), channels (1), size (28), classes (10).
- `resnet`: a pre-activation ResNet (He et al. 2016, ResNet18 layout with blocks=2-2-2-2). A 3×3 stem conv of
  width k, then stages of basic blocks [BN →] ReLU → conv 3×3 → [BN →] ReLU → conv 3×3 plus a shortcut
  (identity, or a 1×1 conv of the pre-activated input when the shape changes), widths k, 2k, 4k, 8k, ...
  with stride 2 from the second stage on; then [BN →] ReLU → global average pool → Linear.
  Keys: k (16), blocks ("2-2-2-2"), batchnorm (1), channels (1), size (28), classes (10).
- `mlp`: nn.Sequential(Linear, ReLU, ..., Linear) with PyTorch's Sequential state_dict keys (`0.weight`, ...).
  Keys: sizes ("784-200-200-200-10").
"""
import torch
from torch import nn

DEFAULTS = {
    "cnn": {"depth": 5, "width": 32, "batchnorm": 0, "channels": 1, "size": 28, "classes": 10},
    "lenet": {"c1": 6, "c2": 16, "hidden": 32, "channels": 1, "size": 28, "classes": 10},
    "resnet": {"k": 16, "blocks": "2-2-2-2", "batchnorm": 1, "channels": 1, "size": 28, "classes": 10},
    "mlp": {"sizes": "784-200-200-200-10"},
}


class PaperCNN(nn.Module):
    """The paper's CNN: convolutions of one width and one final Linear layer."""

    def __init__(self, depth=5, width=32, batchnorm=False, channels=1, size=28, classes=10):
        super().__init__()
        if depth < 2:
            raise ValueError("cnn depth must be at least 2 (one convolution and the Linear layer)")
        layers = []
        previous = channels
        for _ in range(depth - 1):
            layers.append(nn.Conv2d(previous, width, 3, stride=1, padding=1))
            if batchnorm:
                layers.append(nn.BatchNorm2d(width))
            layers.append(nn.ReLU())
            previous = width
        self.features = nn.Sequential(*layers)
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(width * size * size, classes)

    def forward(self, x):
        return self.classifier(self.flatten(self.features(x)))


class LeNet(nn.Module):
    """A LeNet-style CNN with one max pool and one average pool."""

    def __init__(self, c1=6, c2=16, hidden=32, channels=1, size=28, classes=10):
        super().__init__()
        after = ((size // 2) - 4) // 2
        self.features = nn.Sequential(
            nn.Conv2d(channels, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 5), nn.ReLU(), nn.AvgPool2d(2),
        )
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(nn.Linear(c2 * after * after, hidden), nn.ReLU(), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.classifier(self.flatten(self.features(x)))


def _norm(channels, batchnorm):
    return nn.BatchNorm2d(channels) if batchnorm else nn.Identity()


class PreActBlock(nn.Module):
    """Basic pre-activation block: [BN →] ReLU → conv → [BN →] ReLU → conv, plus the shortcut."""

    def __init__(self, inputs, outputs, stride, batchnorm):
        super().__init__()
        self.bn1 = _norm(inputs, batchnorm)
        self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=not batchnorm)
        self.bn2 = _norm(outputs, batchnorm)
        self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(outputs, outputs, 3, stride=1, padding=1, bias=not batchnorm)
        self.shortcut = None
        if stride != 1 or inputs != outputs:
            self.shortcut = nn.Conv2d(inputs, outputs, 1, stride=stride, bias=not batchnorm)

    def forward(self, x):
        activated = self.relu1(self.bn1(x))
        # As in He et al.'s pre-activation ResNet: a projection shortcut reads the pre-activated input.
        shortcut = x if self.shortcut is None else self.shortcut(activated)
        out = self.conv1(activated)
        out = self.conv2(self.relu2(self.bn2(out)))
        return out + shortcut


class PreActResNet(nn.Module):
    """Pre-activation ResNet; blocks=(2, 2, 2, 2) is the ResNet18 layout."""

    def __init__(self, k=16, blocks=(2, 2, 2, 2), batchnorm=True, channels=1, size=28, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(channels, k, 3, stride=1, padding=1, bias=not batchnorm)
        stages = []
        previous = k
        for index, count in enumerate(blocks):
            width = k * (2 ** index)
            stage = []
            for block in range(count):
                stride = 2 if (index > 0 and block == 0) else 1
                stage.append(PreActBlock(previous, width, stride, batchnorm))
                previous = width
            stages.append(nn.Sequential(*stage))
        self.stages = nn.Sequential(*stages)
        self.bn = _norm(previous, batchnorm)
        self.relu = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(previous, classes)

    def forward(self, x):
        out = self.stages(self.stem(x))
        out = self.pool(self.relu(self.bn(out)))
        return self.classifier(self.flatten(out))


def mlp(sizes):
    """nn.Sequential(Linear, ReLU, ..., Linear) for the layer sizes [in, hidden..., out]."""
    layers = []
    for index in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[index], sizes[index + 1]))
        if index < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def parse_spec(spec):
    """`name:key=value,...` → (name, dict of settings with defaults filled in)."""
    name, _, rest = spec.partition(":")
    if name not in DEFAULTS:
        raise ValueError(f"unknown architecture '{name}' (known: {', '.join(DEFAULTS)})")
    settings = dict(DEFAULTS[name])
    for item in filter(None, rest.split(",")):
        key, equals, value = item.partition("=")
        if not equals or key not in settings:
            raise ValueError(f"architecture '{name}' has no setting '{key}' (settings: {', '.join(settings)})")
        settings[key] = value if isinstance(settings[key], str) else int(value)
    return name, settings


def format_spec(name, settings):
    """The inverse of parse_spec."""
    return name + ":" + ",".join(f"{key}={value}" for key, value in settings.items())


def build(spec):
    """The architecture a spec string names, with PyTorch's default initialisation (seed it first)."""
    name, s = parse_spec(spec)
    if name == "cnn":
        return PaperCNN(s["depth"], s["width"], bool(s["batchnorm"]), s["channels"], s["size"], s["classes"])
    if name == "lenet":
        return LeNet(s["c1"], s["c2"], s["hidden"], s["channels"], s["size"], s["classes"])
    if name == "resnet":
        blocks = tuple(int(b) for b in str(s["blocks"]).split("-"))
        return PreActResNet(s["k"], blocks, bool(s["batchnorm"]), s["channels"], s["size"], s["classes"])
    return mlp([int(v) for v in str(s["sizes"]).split("-")])


def input_shape(spec):
    """The per-sample input shape: [C, H, W] for the CNNs, [D] for the MLP."""
    name, s = parse_spec(spec)
    if name == "mlp":
        return [int(str(s["sizes"]).split("-")[0])]
    return [s["channels"], s["size"], s["size"]]


def randomize_batchnorm(model, generator):
    """Gives every BatchNorm layer non-trivial running statistics and affine parameters (so that a reader
    that ignores one of them gets different numbers), in place."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.running_mean.copy_(0.2 * torch.randn(c, generator=generator))
                module.running_var.copy_(0.5 + 1.5 * torch.rand(c, generator=generator))
                module.weight.copy_(0.5 + torch.rand(c, generator=generator))
                module.bias.copy_(0.2 * torch.randn(c, generator=generator))
    return model


def seeded(spec, seed=0, batchnorm_statistics=True):
    """The architecture, initialised from `seed`, with random batch-norm statistics, in eval mode."""
    torch.manual_seed(seed)
    model = build(spec)
    if batchnorm_statistics:
        randomize_batchnorm(model, torch.Generator().manual_seed(seed + 1))
    return model.eval()


def zero_biases(model):
    """Sets every convolution and Linear bias to zero, in place (pre-activations are then exactly 0 wherever
    a unit's receptive field is all zero, e.g. on an image's black background)."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)) and module.bias is not None:
                module.bias.zero_()
    return model


def relu_modules(model):
    """(qualified name, module) of every ReLU-family module, in registration order."""
    family = (nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.GELU, nn.SiLU, nn.Tanh, nn.Sigmoid, nn.ELU, nn.Softplus)
    return [(name, module) for name, module in model.named_modules() if isinstance(module, family)]


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    for spec in ["cnn", "cnn:batchnorm=1", "lenet", "resnet", "resnet:batchnorm=0", "resnet:k=4,blocks=1-1", "mlp"]:
        model = seeded(spec)
        shape = input_shape(spec)
        out = model(torch.zeros([2] + shape))
        print(f"{spec:28s} params {parameter_count(model):>9,d}  relus {len(relu_modules(model)):2d}  out {list(out.shape)}")

"""matplotlib pictures of a Partition (matplotlib is an optional dependency)."""

import colorsys
import hashlib
import io

import matplotlib  # an ImportError here means matplotlib is not installed
import matplotlib.colors
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection

# Light tints of matplotlib's default colour cycle: data drawn with c="C<k>" match class k's fill.
CLASS_COLOURS = [tuple(0.62 + 0.38 * channel for channel in matplotlib.colors.to_rgb(f"C{k}")) for k in range(10)]


def pattern_colour(pattern):
    """A light colour from a hash of the activation pattern: a region keeps its colour while it keeps its pattern."""
    digest = hashlib.blake2b("/".join(pattern).encode(), digest_size=8).digest()
    hue = int.from_bytes(digest[:4], "little") / 2**32
    lightness = 0.72 + 0.14 * digest[4] / 255
    saturation = 0.40 + 0.30 * digest[5] / 255
    return colorsys.hls_to_rgb(hue, lightness, saturation)


def plot_partition(partition, ax=None, fill="pattern", edges=True, boundary=True, anchors=True, title=None):
    partition._require_geometry()
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(6, 6))
    _draw(partition, ax, fill, edges, boundary, anchors, title)
    return ax


def png_bytes(partition, size_inches=6, dpi=100):
    """The default picture as PNG bytes, drawn without pyplot (no figure is left open)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    figure = Figure(figsize=(size_inches, size_inches), dpi=dpi)
    FigureCanvasAgg(figure)
    _draw(partition, figure.add_subplot(), "pattern", True, True, True, None)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _draw(partition, ax, fill, edges, boundary, anchors, title):
    if fill == "pattern":
        faces = [pattern_colour(pattern) for pattern in partition.patterns]
    elif fill == "class":
        faces = [CLASS_COLOURS[c % len(CLASS_COLOURS)] if c >= 0 else "#ffffff" for c in partition.classes]
    elif fill is None:
        faces = "none"
    else:
        raise ValueError(f"fill must be 'pattern', 'class' or None, not {fill!r}")
    # Each face also outlined in its own colour: no anti-aliasing seams between neighbours.
    ax.add_collection(PolyCollection(partition.regions, facecolors=faces, edgecolors=faces, linewidths=0.3))
    if edges and len(partition.edges):
        width = 0.4 if len(partition.edges) < 5000 else 0.2  # thinner where thousands of edges crowd
        ax.add_collection(LineCollection(partition.edges, colors="#303030", linewidths=width))
    if boundary and len(partition.boundary):
        ax.add_collection(LineCollection(partition.boundary, colors="#d62728", linewidths=1.6))
    if partition.domain is not None:
        outline = np.vstack([partition.domain, partition.domain[:1]])
        ax.plot(outline[:, 0], outline[:, 1], color="#303030", linewidth=0.8)
    if anchors:
        ax.scatter(partition.anchors[:, 0], partition.anchors[:, 1], s=36, c="black", zorder=3)
        for index, (x, y) in enumerate(partition.anchors, start=1):
            ax.annotate(str(index), (x, y), textcoords="offset points", xytext=(5, 5), fontsize=10, zorder=4)
    lower, upper = partition.domain.min(axis=0), partition.domain.max(axis=0)
    ax.set_xlim(lower[0], upper[0])
    ax.set_ylim(lower[1], upper[1])
    ax.set_aspect("equal")
    ax.set_title(title if title is not None else f"{partition.n_regions:,} regions")
    return ax


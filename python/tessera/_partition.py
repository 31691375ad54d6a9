"""The result of ``tessera.slice``: a partition of the slice plane into linear regions."""

import numpy as np

from ._geojson import pattern_bits


class Partition:
    """The exact linear regions of a network on a 2-D slice, as numpy arrays.

    Coordinates are input-space units in the slice plane: (u, v) = (s·|d1|, t·|d2|) with anchor 1
    at the origin, d1 = x2 − x1 and d2 the part of x3 − x1 orthogonal to d1; so the input point of
    (u, v) is x1 + u·d1/|d1| + v·d2/|d2| (``to_input_space``; ``to_plane`` projects the other way).

    Statistics (always present): ``summary`` (the slice's JSON summary as a dict), ``n_regions``,
    ``n_vertices``, ``n_edges``, ``layers`` (per hidden layer: index, neurons, neurons_cut, regions),
    ``boundary_segments``, ``boundary_length``, ``domain_area``, ``arithmetic``, ``seconds``.

    Geometry (None when sliced with ``geometry=False``):
    - ``regions``: list of [k, 2] polygons (open rings, counter-clockwise), with per region
      ``patterns`` (one hex string per hidden layer; unit i is bit i), ``classes`` (the predicted
      class; where the decision boundary crosses a region, the class of its largest part),
      ``areas`` and ``slopes``;
    - ``edges``: [E, 2, 2] segments made by neurons, with ``edge_layers`` and ``edge_units``;
      ``domain_edges``: the partition's edges on the domain's boundary;
    - ``boundary``: [B, 2, 2] decision-boundary segments; ``domain``: [k, 2] polygon.
    ``anchors`` ([3, 2]) are always there.
    With ``exact_vertices=True``: ``exact_vertices``, per region its vertices' exact plane parameters
    (s, t) as ``fractions.Fraction`` pairs, the input point being x1 + s·d1 + t·d2.
    """

    def __init__(self, summary, geometry=None, frame=None):
        self.summary = summary
        self.n_regions = summary["regions"]
        self.n_vertices = summary["vertices"]
        self.n_edges = summary["edges"]
        self.layers = summary["layers"]
        self.arithmetic = summary["arithmetic"]
        self.seconds = summary.get("seconds")
        self.boundary_segments = summary["decision_boundary"]["segments"]
        self.boundary_length = summary["decision_boundary"]["length"]
        self.domain_area = summary["domain"]["area"]
        self.anchors = np.asarray(summary["anchors"], dtype=np.float64)
        self._frame = frame
        geometry = geometry or {}
        self.regions = geometry.get("regions")
        self.patterns = geometry.get("patterns")
        self.classes = geometry.get("classes")
        self.areas = geometry.get("areas")
        self.slopes = geometry.get("slopes")
        self.edges = geometry.get("edges")
        self.edge_layers = geometry.get("edge_layers")
        self.edge_units = geometry.get("edge_units")
        self.boundary = geometry.get("boundary")
        self.domain_edges = geometry.get("domain_edges")
        polygon = summary["domain"].get("polygon")
        self.domain = geometry.get("domain")
        if self.domain is None and polygon is not None:
            self.domain = np.asarray(polygon, dtype=np.float64)
        self.anchor_labels = geometry.get("anchor_labels")
        self.exact_vertices = geometry.get("exact_vertices")

    @property
    def has_geometry(self):
        return self.regions is not None

    @property
    def neurons_cut(self):
        """Per hidden layer, the neurons whose zero set meets the domain's interior."""
        return np.array([layer["neurons_cut"] for layer in self.layers], dtype=np.int64)

    @property
    def vertex_counts(self):
        """Vertices per region."""
        self._require_geometry()
        return np.array([len(polygon) for polygon in self.regions], dtype=np.int64)

    @property
    def widths(self):
        """Neurons per hidden layer."""
        return [layer["neurons"] for layer in self.layers]

    def __len__(self):
        return self.n_regions

    def __repr__(self):
        return (f"Partition({self.n_regions:,} regions, {self.n_vertices:,} vertices, {self.n_edges:,} edges, "
                f"{self.boundary_segments:,} boundary segments, neurons cut per layer {self.neurons_cut.tolist()}, "
                f"{self.arithmetic})")

    def pattern(self, region):
        """Region ``region``'s activation pattern: one boolean array per hidden layer (True = positive)."""
        self._require_geometry()
        return pattern_bits(self.patterns[region], self.widths)

    def centroids(self):
        """[R, 2] area centroids of the regions (interior points: regions are convex)."""
        self._require_geometry()
        result = np.empty((len(self.regions), 2))
        for index, polygon in enumerate(self.regions):
            x, y = polygon[:, 0], polygon[:, 1]
            x1, y1 = np.roll(x, -1), np.roll(y, -1)
            cross = x * y1 - x1 * y
            area = cross.sum() / 2
            result[index] = ((x + x1) * cross).sum() / (6 * area), ((y + y1) * cross).sum() / (6 * area)
        return result

    def to_input_space(self, points):
        """Plane coordinates [..., 2] → input points [..., D] (float64)."""
        if self._frame is None:
            raise ValueError("this partition does not know its anchors in input space")
        origin, e1, e2 = self._frame
        points = np.asarray(points, dtype=np.float64)
        return origin + points[..., :1] * e1 + points[..., 1:2] * e2

    def to_plane(self, points):
        """Input points [..., D] → their orthogonal projections onto the plane, in plane coordinates [..., 2]."""
        if self._frame is None:
            raise ValueError("this partition does not know its anchors in input space")
        origin, e1, e2 = self._frame
        offsets = np.asarray(points, dtype=np.float64) - origin
        return np.stack([offsets @ e1, offsets @ e2], axis=-1)

    def plot(self, ax=None, fill="pattern", edges=True, boundary=True, anchors=True, title=None):
        """Draws the partition with matplotlib on ``ax`` (a new figure's axes when None); returns ax.

        fill: "pattern" (a colour per activation pattern, stable across checkpoints), "class"
        (by predicted class, light tints of matplotlib's "C0", "C1", ...; a region the decision
        boundary crosses takes the class of its largest part) or None. Neuron edges thin and dark, the decision boundary red,
        the anchors numbered.
        """
        from ._plot import plot_partition
        return plot_partition(self, ax=ax, fill=fill, edges=edges, boundary=boundary, anchors=anchors, title=title)

    def _repr_png_(self):
        """The plot as PNG bytes, for Jupyter (None without matplotlib or geometry)."""
        if not self.has_geometry:
            return None
        try:
            from ._plot import png_bytes
        except ImportError:
            return None
        return png_bytes(self)

    def _require_geometry(self):
        if not self.has_geometry:
            raise ValueError("this partition was sliced with geometry=False: it has statistics only")

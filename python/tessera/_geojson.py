"""Reading the partition GeoJSON that ``tessera slice --regions`` writes."""

import json
from fractions import Fraction

import numpy as np


def read_partition_geojson(path):
    """The features of a partition GeoJSON file, grouped by kind, as numpy arrays.

    Each feature has a ``kind`` property: ``region`` (Polygon with pattern, class, area, vertices),
    ``edge`` (LineString with the hidden ``layer`` and ``unit`` that made it), ``domain_edge``
    (LineString on the domain's boundary), ``decision_boundary`` (LineString), ``domain`` (Polygon)
    and ``anchor`` (Point with its ``index``). Rings are returned
    open (GeoJSON repeats the first vertex at the end; it is dropped).
    """
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    regions, patterns, classes, areas, slopes, exact = [], [], [], [], [], []
    edges, edge_layers, edge_units, boundary, domain_edges = [], [], [], [], []
    domain, anchors, labels = None, {}, {}
    for feature in document.get("features", []):
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        kind = properties.get("kind")
        coordinates = geometry.get("coordinates")
        if kind == "region":
            regions.append(_open_ring(coordinates[0]))
            pattern = properties.get("pattern", [])
            patterns.append(tuple(pattern) if isinstance(pattern, list) else (pattern,))
            classes.append(properties.get("class", -1))
            areas.append(properties.get("area", np.nan))
            slopes.append(properties.get("slope", np.nan))
            if "exact_vertices" in properties:
                exact.append([(Fraction(s), Fraction(t)) for s, t in properties["exact_vertices"]])
        elif kind == "edge":
            edges.append(coordinates)
            edge_layers.append(properties.get("layer", 0))
            edge_units.append(properties.get("unit", -1))
        elif kind == "decision_boundary":
            boundary.append(coordinates)
        elif kind == "domain_edge":
            domain_edges.append(coordinates)
        elif kind == "domain":
            domain = _open_ring(coordinates[0])
        elif kind == "anchor":
            index = properties.get("index", len(anchors) + 1)
            anchors[index] = coordinates
            if "label" in properties:
                labels[index] = properties["label"]
    edge_segments, per_edge = _segments(edges)
    return {
        "metadata": document.get("tessera", {}),
        "regions": regions,
        "patterns": patterns,
        "classes": np.asarray(classes, dtype=np.int64),
        "areas": np.asarray(areas, dtype=np.float64),
        "slopes": np.asarray(slopes, dtype=np.float64),
        "edges": edge_segments,
        "edge_layers": np.repeat(np.asarray(edge_layers, dtype=np.int64), per_edge),
        "edge_units": np.repeat(np.asarray(edge_units, dtype=np.int64), per_edge),
        "boundary": _segments(boundary)[0],
        "domain_edges": _segments(domain_edges)[0],
        "domain": domain,
        "anchors": np.asarray([anchors[key] for key in sorted(anchors)], dtype=np.float64).reshape(-1, 2),
        "anchor_labels": [labels.get(key) for key in sorted(anchors)],
        "exact_vertices": exact if exact else None,
    }


def _open_ring(ring):
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    return np.asarray(ring, dtype=np.float64).reshape(-1, 2)


def _segments(lines):
    """LineStrings as one [n, 2, 2] array of segments (a line of k points gives k - 1), and the
    number of segments of each line."""
    if all(len(line) == 2 for line in lines):  # what tessera writes: one segment per line, read at once
        return np.asarray(lines, dtype=np.float64).reshape(-1, 2, 2), np.ones(len(lines), dtype=np.int64)
    segments, counts = [], []
    for line in lines:
        points = np.asarray(line, dtype=np.float64).reshape(-1, 2)
        segments.extend(np.stack([points[:-1], points[1:]], axis=1))
        counts.append(max(len(points) - 1, 0))
    return np.asarray(segments, dtype=np.float64).reshape(-1, 2, 2), np.asarray(counts, dtype=np.int64)


def pattern_bits(pattern, widths):
    """A region's activation pattern as one boolean array per hidden layer.

    ``pattern`` holds one hex string per layer; unit i of a layer is bit i of its number.
    """
    layers = []
    for text, width in zip(pattern, widths):
        number = int(text, 16)
        layers.append(np.array([(number >> unit) & 1 for unit in range(width)], dtype=bool))
    return layers

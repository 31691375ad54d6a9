#!/usr/bin/env python3
"""Compares a merged sharded slice's JSON or GeoJSON with one process's: the same keys, arrays,
strings and integers, and the same floats up to their last bits (the stitched vertices are the same
exact points, but the engine's float coordinates of a vertex depend on the order regions were split
in). Timings ("seconds") and sign-decision counts ("decisions") are skipped. Decision-boundary
segments are sorted by their float coordinates, so two that start at the same exact point may come
in either order: they are matched as a set.
    compare-slice.py A B     exit status 0 when they agree; else prints the first difference."""
import json
import sys


def difference(x, y, path=""):
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            return f"{path}: keys {sorted(x)} vs {sorted(y)}"
        for key in sorted(x):
            if key not in ("seconds", "decisions"):
                found = difference(x[key], y[key], f"{path}.{key}")
                if found:
                    return found
        return None
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return f"{path}: {len(x)} vs {len(y)} items"
        for i, (a, b) in enumerate(zip(x, y)):
            found = difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(x, float) or isinstance(y, float):
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and (
                x == y or abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))):
            return None
        return f"{path}: {x} vs {y}"
    return None if x == y else f"{path}: {x} vs {y}"


def match_segments(x, y):
    """Reorders y's decision-boundary features to follow x's where they agree."""
    def segments(doc):
        return [f for f in doc.get("features", []) if f.get("properties", {}).get("kind") == "decision_boundary"]
    mine, theirs = segments(x), segments(y)
    rest = list(theirs)
    ordered = []
    for f in mine:
        same = next((g for g in rest if difference(f, g) is None), None)
        if same is None:
            return
        rest.remove(same)
        ordered.append(same)
    positions = [i for i, f in enumerate(y["features"]) if f.get("properties", {}).get("kind") == "decision_boundary"]
    for i, f in zip(positions, ordered):
        y["features"][i] = f


with open(sys.argv[1]) as a, open(sys.argv[2]) as b:
    first, second = json.load(a), json.load(b)
if isinstance(first, dict) and "features" in first and isinstance(second, dict) and "features" in second:
    match_segments(first, second)
found = difference(first, second)
if found:
    print(found[:300])
    sys.exit(1)

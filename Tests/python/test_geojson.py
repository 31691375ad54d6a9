"""The GeoJSON partition read with shapely, against tessera's own JSON summary of the same slice.

GeoJSON coordinates are doubles: each vertex is the nearest floating-point approximation of an exact
intersection, and shapely/GEOS compute areas and unions in floating point. So area and union checks
compare floating-point numbers, with a tolerance a few orders of magnitude above double rounding
(2^-53 relative per operation) and far below the area of any region that could be missing or doubled.
The exact vertices (--exact-vertices) are checked exactly, with Python fractions.
"""
import json
import math
from fractions import Fraction

import pytest
from shapely.geometry import LineString, Polygon, shape
from shapely.ops import unary_union

from conftest import load_geojson

EPS = 2.0 ** -53


@pytest.fixture(scope="module", params=["slice", "exact"])
def sliced(request, outputs):
    document, kinds = load_geojson(outputs / f"{request.param}.geojson")
    with open(outputs / f"{request.param}.json") as f:
        summary = json.load(f)
    return document, kinds, summary


def extent(kinds):
    (domain,) = kinds["domain"]
    return max(abs(c) for point in domain["geometry"]["coordinates"][0] for c in point)


def test_polygons_are_valid_counterclockwise_and_convex(sliced):
    _, kinds, _ = sliced
    for feature in kinds["region"]:
        polygon = shape(feature["geometry"])
        assert polygon.is_valid, feature["properties"]["id"]
        assert polygon.exterior.is_ccw
        assert polygon.convex_hull.area == pytest.approx(polygon.area, rel=1e-9)
        assert feature["properties"]["vertices"] == len(feature["geometry"]["coordinates"][0]) - 1


def test_areas_equal_tesseras(sliced):
    _, kinds, summary = sliced
    bound = 64 * EPS * extent(kinds) ** 2
    areas = []
    for feature in kinds["region"]:
        polygon = shape(feature["geometry"])
        area = feature["properties"]["area"]
        # The same doubles through a shoelace formula: equal up to rounding of n products.
        assert abs(polygon.area - area) <= bound * feature["properties"]["vertices"]
        areas.append(area)
    areas.sort()
    expected = summary["region_area"]
    assert areas[0] == expected["min"] and areas[-1] == expected["max"]
    assert areas[len(areas) // 2] == expected["median"]
    assert math.fsum(areas) / len(areas) == pytest.approx(expected["mean"], rel=1e-12)


def test_union_is_the_domain(sliced):
    _, kinds, summary = sliced
    polygons = [shape(f["geometry"]) for f in kinds["region"]]
    (domain_feature,) = kinds["domain"]
    domain = shape(domain_feature["geometry"])
    domain_area = summary["domain"]["area"]
    assert domain.area == pytest.approx(domain_area, rel=1e-12)
    # Rounding every vertex moves each side by a few ulps of the largest coordinate: the area can
    # change by about that times the total side length; allow 8 times as much.
    perimeter = math.fsum(p.length for p in polygons)
    tolerance = 8 * EPS * extent(kinds) * perimeter
    union = unary_union(polygons)
    # No overlaps (the areas add up to the union's) and no gaps (the union is the domain).
    assert abs(math.fsum(p.area for p in polygons) - union.area) <= tolerance
    assert abs(union.area - domain_area) <= tolerance
    assert union.symmetric_difference(domain).area <= tolerance
    # A missing or doubled region larger than the tolerance would fail the checks above. A trained
    # network can leave a few slivers below it (lines that nearly meet: 8e-12 against 8e-11 in one
    # training run); float areas cannot see those, so they must be rare, and the counts and Euler's
    # formula (test_counts_equal_tesseras) account for every region.
    slivers = [p for p in polygons if p.area <= tolerance]
    assert len(slivers) <= max(1, len(polygons) // 200)


def test_counts_equal_tesseras(sliced):
    document, kinds, summary = sliced
    regions, edges = kinds["region"], kinds.get("edge", [])
    assert len(regions) == summary["regions"] == document["tessera"]["regions"]
    assert len(edges) + len(kinds["domain_edge"]) == summary["edges"]
    assert len(kinds.get("decision_boundary", [])) == summary["decision_boundary"]["segments"]
    assert len(kinds["anchor"]) == 3
    vertices = {tuple(p) for f in regions for p in f["geometry"]["coordinates"][0]}
    assert len(vertices) == summary["vertices"]
    # A planar subdivision of a disk: V − E + F = 1.
    assert summary["vertices"] - summary["edges"] + summary["regions"] == 1
    length = math.fsum(LineString(f["geometry"]["coordinates"]).length for f in kinds.get("decision_boundary", []))
    assert length == pytest.approx(summary["decision_boundary"]["length"], rel=1e-9, abs=1e-12)


def pattern_bit(pattern, layer, unit):
    return (int(pattern[layer - 1], 16) >> unit) & 1


def test_patterns_differ_exactly_across_their_edge(sliced):
    document, kinds, _ = sliced
    widths = document["tessera"]["layers"]
    side_regions = {}
    for feature in kinds["region"]:
        ring = [tuple(p) for p in feature["geometry"]["coordinates"][0]]
        patterns = feature["properties"]["pattern"]
        assert [len(p) for p in patterns] == [(w + 3) // 4 for w in widths]
        for a, b in zip(ring, ring[1:]):
            side_regions.setdefault(frozenset((a, b)), []).append(patterns)
    assert len({tuple(f["properties"]["pattern"]) for f in kinds["region"]}) == len(kinds["region"])
    for edge in kinds["edge"]:
        a, b = (tuple(p) for p in edge["geometry"]["coordinates"])
        sides = side_regions[frozenset((a, b))]
        assert len(sides) == 2
        layer, unit = edge["properties"]["layer"], edge["properties"]["unit"]
        assert pattern_bit(sides[0], layer, unit) != pattern_bit(sides[1], layer, unit)


def test_exact_vertices_tile_the_domain_exactly(outputs):
    document, kinds = load_geojson(outputs / "exact.geojson")
    anchors = {f["properties"]["index"]: f["geometry"]["coordinates"] for f in kinds["anchor"]}
    length1, length2 = anchors[2][0], anchors[3][1]
    exact_of = {}
    total = Fraction(0)
    for feature in kinds["region"]:
        ring = feature["geometry"]["coordinates"][0][:-1]
        exact = [(Fraction(s), Fraction(t)) for s, t in feature["properties"]["exact_vertices"]]
        assert len(exact) == len(ring)
        twice = Fraction(0)
        for i, (p, q, r) in enumerate(zip(exact, exact[1:] + exact[:1], exact[2:] + exact[:2])):
            # Convex and counter-clockwise exactly (collinear vertices, where a neighbour's edge ends, give 0).
            assert (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]) >= 0
            twice += p[0] * q[1] - p[1] * q[0]
        assert twice > 0
        total += twice / 2
        for point, (s, t) in zip(ring, exact):
            # The same vertex has one exact value wherever it appears, near its double coordinates.
            assert exact_of.setdefault(tuple(point), (s, t)) == (s, t)
            assert abs(float(s) * length1 - point[0]) <= 1e-9 * (1 + abs(point[0]))
            assert abs(float(t) * length2 - point[1]) <= 1e-9 * (1 + abs(point[1]))
    assert len(set(exact_of.values())) == len(exact_of)
    # The regions' exact areas add up to the exact area of the domain polygon (its corners are vertices).
    (domain,) = kinds["domain"]
    corners = [min(exact_of.items(), key=lambda item: (item[0][0] - u) ** 2 + (item[0][1] - v) ** 2)[1]
               for u, v in domain["geometry"]["coordinates"][0][:-1]]
    domain_twice = sum(p[0] * q[1] - p[1] * q[0] for p, q in zip(corners, corners[1:] + corners[:1]))
    assert total == domain_twice / 2


def test_render_writes_one_geojson_per_checkpoint(outputs):
    rows = (outputs / "frames" / "partition.csv").read_text().splitlines()[1:]
    files = sorted((outputs / "frames").glob("frame-*.geojson"))
    assert len(files) == len(rows) == 5
    for path, row in zip(files, rows):
        step, regions = (int(x) for x in row.split(",")[:2])
        document, kinds = load_geojson(path)
        assert document["tessera"]["step"] == step == int(path.stem.split("-")[1])
        assert len(kinds["region"]) == regions

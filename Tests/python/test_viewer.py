"""The viewer page (render's view.html) in real headless Chromium, driven by selenium."""
import time

import numpy as np
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from shapely.geometry import shape

from conftest import load_geojson, open_viewer


@pytest.fixture(scope="module")
def page(browser, outputs):
    open_viewer(browser, outputs / "frames" / "view.html", "of the 5-checkpoint test run")
    return browser


def frame_rows(outputs):
    rows = (outputs / "frames" / "partition.csv").read_text().splitlines()[1:]
    return [tuple(int(x) for x in row.split(",")[:2]) for row in rows]


def screenshot_rgb(driver, element_id):
    """The element's pixels as an [h, w, 3] array, from a PNG screenshot decoded without extra packages."""
    import struct
    import zlib

    png = driver.find_element(By.ID, element_id).screenshot_as_png
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, color_type = header[:4]
    assert depth == 8 and color_type in (2, 6)
    channels = 3 if color_type == 2 else 4
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8).reshape(height, 1 + width * channels)
    image = np.zeros((height, width * channels), dtype=np.int32)
    previous = np.zeros(width * channels, dtype=np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        out = np.zeros_like(line)
        if kind == 0:
            out = line
        elif kind == 2:
            out = (line + previous) & 255
        else:  # Sub, Average, Paeth: sequential in x.
            for x in range(len(line)):
                left = out[x - channels] if x >= channels else 0
                up, corner = previous[x], previous[x - channels] if x >= channels else 0
                if kind == 1:
                    predictor = left
                elif kind == 3:
                    predictor = (left + up) // 2
                else:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                out[x] = (line[x] + predictor) & 255
        image[y] = out
        previous = out
    return image.reshape(height, width, channels)[:, :, :3]


def count_color(image, hex_color, distance=80):
    target = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image - target).sum(axis=2) < distance).sum())


def test_loads_without_console_errors(page):
    errors = [entry for entry in page.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    assert page.execute_script("return window.tesseraViewer.frames") == 5
    # No external resources: every script is inline and nothing is fetched.
    assert page.execute_script("return [...document.scripts].every(s => !s.src)")
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    # Frames are decoded off the page's thread, in a worker made from an inline blob.
    assert page.execute_script("return window.tesseraViewer.decodesInWorker") is True


def test_slider_changes_frame_and_title(page, outputs):
    rows = frame_rows(outputs)
    slider = page.find_element(By.ID, "slider")
    title = page.find_element(By.ID, "title")
    assert page.execute_script("return window.tesseraViewer.frame") == len(rows) - 1
    assert f"{rows[-1][1]:,} regions" in title.text
    slider.send_keys(Keys.HOME)
    assert page.execute_script("return window.tesseraViewer.frame") == 0
    assert title.text.startswith(f"step {rows[0][0]:,} ") and f"{rows[0][1]:,} regions" in title.text
    slider.send_keys(Keys.ARROW_RIGHT)
    assert page.execute_script("return window.tesseraViewer.frame") == 1
    assert f"{rows[1][1]:,} regions" in title.text
    assert rows[0][1] != rows[1][1]
    slider.send_keys(Keys.END)
    assert f"{rows[-1][1]:,} regions" in title.text


def test_hover_shows_class_and_area(page, outputs):
    rows = frame_rows(outputs)
    page.execute_script("window.tesseraViewer.setFrame(arguments[0])", len(rows) - 1)
    _, kinds = load_geojson(outputs / "frames" / f"frame-{rows[-1][0]:09d}.geojson")
    region = max(kinds["region"], key=lambda f: f["properties"]["area"])
    inside = shape(region["geometry"]).representative_point()
    point = page.execute_script("return window.tesseraViewer.clientPoint(arguments[0], arguments[1])", inside.x, inside.y)
    overlay = page.find_element(By.ID, "overlay")
    rect = page.execute_script("return arguments[0].getBoundingClientRect().toJSON()", overlay)
    ActionChains(page).move_to_element_with_offset(
        overlay, int(point["x"] - rect["left"] - rect["width"] / 2), int(point["y"] - rect["top"] - rect["height"] / 2)).perform()
    tip = page.find_element(By.ID, "tip")
    assert tip.is_displayed()
    assert f"({region['properties']['class']})" in page.find_element(By.ID, "tip-class").text
    assert float(page.find_element(By.ID, "tip-area").text) == pytest.approx(region["properties"]["area"], rel=1e-3)
    assert int(page.find_element(By.ID, "tip-vertices").text) == region["properties"]["vertices"]
    assert f"region {region['properties']['id']:,}" in tip.text
    assert "L" in page.find_element(By.ID, "tip-neighbours").text


def test_layer_toggle_hides_its_edges(page):
    page.execute_script("document.getElementById('edge-style').value = 'layer';"
                        "document.getElementById('edge-style').dispatchEvent(new Event('change'))")
    colors = page.execute_script("return JSON.parse(document.getElementById('tessera-data').textContent).layerColors")
    # No hovered region (an earlier test's) drawn over the edges being counted.
    page.execute_script("document.getElementById('overlay').dispatchEvent(new MouseEvent('mouseleave'))")
    before = screenshot_rgb(page, "view")
    page.find_element(By.ID, "layer-1").click()
    after = screenshot_rgb(page, "view")
    page.find_element(By.ID, "layer-1").click()
    restored = screenshot_rgb(page, "view")
    first_before, first_after = count_color(before, colors[0]), count_color(after, colors[0])
    assert first_before > 500
    assert first_after < 0.05 * first_before
    # The other layers stay.
    for color in colors[1:]:
        assert count_color(after, color) >= 0.8 * count_color(before, color)
    assert count_color(restored, colors[0]) == pytest.approx(first_before, rel=0.02)


def test_curves_click_jumps_to_frame_and_play_advances(page, outputs):
    rows = frame_rows(outputs)
    point = page.execute_script("return window.tesseraViewer.curvePoint(arguments[0])", rows[2][0])
    curves = page.find_element(By.ID, "curves")
    rect = page.execute_script("return arguments[0].getBoundingClientRect().toJSON()", curves)
    ActionChains(page).move_to_element_with_offset(
        curves, int(point["x"] - rect["left"] - rect["width"] / 2), int(point["y"] - rect["top"] - rect["height"] / 2)).click().perform()
    assert page.execute_script("return window.tesseraViewer.frame") == 2
    play = page.find_element(By.ID, "play")
    play.click()
    seen, deadline = 2, time.time() + 10
    while time.time() < deadline and seen == 2:
        seen = page.execute_script("return window.tesseraViewer.frame")
        time.sleep(0.02)
    if "pause" in play.text:
        play.click()
    assert seen == 3


def fnv(hash_value, value):
    for k in range(4):
        hash_value = ((hash_value ^ ((value >> (8 * k)) & 255)) * 16777619) & 0xFFFFFFFF
    return hash_value


def geojson_geometry(path, grid):
    """Counts and the page's geometry hash of a GeoJSON frame, its coordinates put on the page's grid:
    q = round(x / 2^e) - origin, ties to even (x / 2^e is exact)."""
    import math

    exponent, origin_x, origin_y = grid
    _, kinds = load_geojson(path)
    regions = sorted(kinds["region"], key=lambda f: f["properties"]["id"])
    points, hash_value, classes = set(), 2166136261, 2166136261
    for region in regions:
        ring = region["geometry"]["coordinates"][0][:-1]
        hash_value = fnv(hash_value, len(ring))
        for x, y in ring:
            qx, qy = round(math.ldexp(x, -exponent)) - origin_x, round(math.ldexp(y, -exponent)) - origin_y
            hash_value = fnv(fnv(hash_value, qx), qy)
            points.add((x, y))
        classes = fnv(classes, region["properties"]["class"])
    edges = len(kinds.get("edge", [])) + len(kinds.get("domain_edge", []))
    return {"regions": len(regions), "vertices": len(points), "edges": edges,
            "boundary": len(kinds.get("decision_boundary", [])), "hash": hash_value, "classes": classes}


def test_compressed_frames_decode_to_the_regions_tessera_wrote(page, outputs):
    """Every frame the page inflates (DecompressionStream) holds the GeoJSON file's regions: the same
    counts, the same corners on the same grid points in the same order, the same classes."""
    rows = frame_rows(outputs)
    assert page.execute_script("return window.tesseraViewer.frames") == len(rows)
    for index, (step, regions) in enumerate(rows):
        decoded = page.execute_script("return window.tesseraViewer.geometry(arguments[0])", index)
        expected = geojson_geometry(outputs / "frames" / f"frame-{step:09d}.geojson", decoded["grid"])
        assert decoded["regions"] == regions
        for key, value in expected.items():
            assert decoded[key] == value, f"frame {index} (step {step}): {key}"


def test_layout_stays_put_and_curves_are_on_screen(page):
    """At 1400×1000 the controls keep one row, the canvas does not move when the fill (and so the
    legend) changes, the curves panel fits in the window, and the partition is the page's main thing:
    at least 70 % of the window's height and more than twice the curves panel's area."""
    page.set_window_size(1400, 1000)
    time.sleep(0.5)
    try:
        tops = []
        for fill in ["pattern", "class", "slope", "pattern"]:
            tops.append(page.execute_script(
                "const s = document.getElementById('fill'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));"
                "return document.querySelector('.stage').getBoundingClientRect().top", fill))
        assert len(set(tops)) == 1, tops
        reset, play = page.execute_script("return ['reset', 'play'].map(id => document.getElementById(id).getBoundingClientRect().top)")
        assert reset == play
        bottom, height = page.execute_script("return [document.getElementById('curves').getBoundingClientRect().bottom, window.innerHeight]")
        assert bottom <= height
        stage, curves = page.execute_script(
            "return ['view', 'curves'].map(id => { const r = document.getElementById(id).getBoundingClientRect(); return [r.width, r.height, r.bottom]; })")
        assert stage[1] >= 0.7 * height and stage[2] <= height, (stage, height)
        assert stage[0] * stage[1] > 2 * curves[0] * curves[1], (stage, curves)
    finally:
        page.set_window_size(1200, 1400)
        time.sleep(0.3)

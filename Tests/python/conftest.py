"""Shared fixtures: the outputs scripts/run-python-tests.sh makes, and a headless Chromium."""
import json
import os
import pathlib
import shutil
import time

import pytest

TIMINGS = {}


def test_dir() -> pathlib.Path:
    value = os.environ.get("TESSERA_TEST_DIR")
    if not value:
        raise RuntimeError("TESSERA_TEST_DIR is not set: run scripts/run-python-tests.sh")
    return pathlib.Path(value)


@pytest.fixture(scope="session")
def outputs() -> pathlib.Path:
    return test_dir()


def load_geojson(path):
    with open(path) as f:
        document = json.load(f)
    kinds = {}
    for feature in document["features"]:
        kinds.setdefault(feature["properties"]["kind"], []).append(feature)
    return document, kinds


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1200,1400", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    binary = shutil.which("chromium")
    if binary:
        options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Return from get() at once: the page becomes usable before the browser has read all of it.
    options.page_load_strategy = "none"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def open_viewer(driver, path, label):
    """Loads a viewer page and waits until it is usable; records the time it took."""
    start = time.perf_counter()
    driver.get(pathlib.Path(path).resolve().as_uri())
    deadline = start + 60
    while time.perf_counter() < deadline:
        if driver.execute_script("return !!(window.tesseraViewer && window.tesseraViewer.ready)"):
            break
        time.sleep(0.02)
    else:
        raise AssertionError(f"{path} did not become ready within 60 s")
    TIMINGS[label] = (time.perf_counter() - start, driver.execute_script("return window.tesseraViewer.usableMs"),
                      os.path.getsize(path))
    # The other frames follow the script in the file: wait until the browser has read them all.
    while driver.execute_script("return document.readyState") == "loading":
        if time.perf_counter() > deadline:
            raise AssertionError(f"{path} did not finish loading within 60 s")
        time.sleep(0.02)


def pytest_terminal_summary(terminalreporter):
    for label, (seconds, usable_ms, size) in TIMINGS.items():
        terminalreporter.write_line(
            f"viewer {label}: usable {seconds:.2f} s after the load started "
            f"(page's own clock: {usable_ms / 1000:.2f} s), {size / 1e6:.1f} MB")

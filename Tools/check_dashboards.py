#!/usr/bin/env python3
"""Loads each `ledger serve` dashboard in real headless Chromium (selenium + chromium-driver)
and checks what a person would see: the page loads with the bearer token given once as
`?token=` (then a cookie), its headings and its inline SVG charts are there, nothing was
fetched from anywhere else, and the browser logged no error (SEVERE). Saves a full-page
screenshot of each. Exit 0 when every page passes, 1 with the failures listed otherwise.

    python3 Tools/check_dashboards.py --url http://127.0.0.1:8480 --token lgr_... --out DIR
"""
import argparse
import os
import sys
import tempfile
from urllib.parse import urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

# Each page: its h1, the section headings it must show, the fewest charts it must draw.
PAGES = {
    "exec": ("Executive overview", ["Key figures", "Week by week", "Latency by environment and action (all time)"], 3),
    "oncall": ("On-call", ["Right now", "Pending requests", "Where the queue is", "What awaits each group"], 2),
    "debug": ("Debug", ["Signals", "Who is refused, who votes, through what", "Rejected attempts by identity", "Recent events"], 3),
}


def browser(binary, driver_path):
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def severe(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def check_page(driver, base, name, out, failures):
    title, headings, charts = PAGES[name]
    driver.get(f"{base}/dashboards/{name}")
    problems = []
    h1 = [element.text for element in driver.find_elements(By.TAG_NAME, "h1")]
    if h1 != [title]:
        problems.append(f"h1 is {h1}, not [{title!r}]")
    h2 = [element.text for element in driver.find_elements(By.TAG_NAME, "h2")]
    problems += [f"no section {heading!r} (has {h2})" for heading in headings if not any(text.startswith(heading) for text in h2)]
    svgs = driver.find_elements(By.CSS_SELECTOR, "figure.chart > svg[role=img]")
    if len(svgs) < charts:
        problems.append(f"{len(svgs)} charts, expected at least {charts}")
    for svg in svgs:
        marks = svg.find_elements(By.CSS_SELECTOR, "rect, path, circle")
        size = svg.size
        if not marks or size["width"] < 200 or size["height"] < 40:
            problems.append(f"chart {svg.get_attribute('aria-label')!r} is empty or not laid out ({len(marks)} marks, {size})")
    # Nothing but this origin (and data: URLs) may have been fetched.
    origin = urlparse(base).netloc
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    problems += [f"fetched {url}" for url in resources if not url.startswith("data:") and urlparse(url).netloc != origin]
    problems += [f"console: {message}" for message in severe(driver)]
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    driver.set_window_size(1400, max(800, min(height + 20, 6000)))
    path = os.path.join(out, f"dashboard-{name}.png")
    driver.save_screenshot(path)
    driver.set_window_size(1400, 1000)
    print(f"{name}: {len(svgs)} charts, {len(h2)} sections, screenshot {path}" + ("" if not problems else f", {len(problems)} problems"))
    failures += [f"{name}: {problem}" for problem in problems]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8480")
    parser.add_argument("--token", required=True, help="a bearer token the server accepts")
    parser.add_argument("--out", required=True, help="directory for the screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    base = arguments.url.rstrip("/")
    failures = []
    driver = browser(arguments.chromium, arguments.chromedriver)
    try:
        # The token once in the address: the server answers 303 to /dashboards with a cookie.
        driver.get(f"{base}/dashboards?token={arguments.token}")
        if urlparse(driver.current_url).query:
            failures.append(f"the token stayed in the address: {driver.current_url}")
        if [element.text for element in driver.find_elements(By.TAG_NAME, "h1")] != ["Dashboards"]:
            failures.append(f"the index did not load: {driver.page_source[:300]}")
        if not any(cookie["name"] == "ledger_dashboard" and cookie.get("httpOnly") for cookie in driver.get_cookies()):
            failures.append(f"no HttpOnly ledger_dashboard cookie: {driver.get_cookies()}")
        failures += [f"index console: {message}" for message in severe(driver)]
        for name in PAGES:
            check_page(driver, base, name, arguments.out, failures)
    finally:
        driver.quit()
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

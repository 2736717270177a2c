"""Headless Chromium for the console tests, driven over WebDriver by selenium.

Uses Debian's `chromium` and `chromium-driver` (compat/console/install.sh installs them). The
flags keep Chromium from reaching for the network in the background, which this closed machine
refuses; every browser gets a fresh profile directory.
"""

import os
import shutil
import tempfile
import time

CHROMIUM = os.environ.get("ORGD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ORGD_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def missing():
    """What is missing to run a browser, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "python's selenium is not installed"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing"
    return None


class Browser:
    """One headless Chromium with its own profile; `driver` is the selenium WebDriver."""

    def __init__(self, width=1400, height=900):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="orgd-console-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def console_errors(self):
        """The browser console's error lines since the last call (a script error shows here)."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]


def wait_until(predicate, timeout=15.0, what="a condition"):
    """Polls `predicate` until it returns something truthy; returns it."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as err:  # the page changes under us while it renders
            last_error = err
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}" + (f" ({last_error!r})" if last_error else ""))

"""A real browser for tests: Debian's headless ``chromium`` driven by playwright.

Import the fixture into a test module and mark its tests ``@pytest.mark.browser``::

    from .browser_fixtures import browser  # noqa: F401

    @pytest.mark.browser
    def test_journey(browser):
        page = browser.new_page()

``browser`` (one per test) runs ``scripts/install-browser.sh`` first (instant when chromium and
the CJK fonts are there; a failed install fails the test, never skips it) and launches
``/usr/bin/chromium`` headless. playwright never downloads a browser here.
Screenshots go through :func:`screenshot` (docs/screenshots/ with ``make screenshots``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / "docs" / "screenshots"


def install_browser() -> None:
    done = subprocess.run(["bash", str(REPO / "scripts" / "install-browser.sh")], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"scripts/install-browser.sh failed:\n{done.stdout}\n{done.stderr}")


@pytest.fixture
def browser() -> Iterator[Any]:
    # One per test, not per session: playwright's sync API keeps an asyncio loop running in
    # this thread while it is open, which would break every later test that calls
    # asyncio.run (Datasette's), and a second module importing the fixture would start a
    # second playwright inside the first one's loop.
    install_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot as NAME.png: into docs/screenshots/ (the README shows them) when
    FACTCHECK_UPDATE_SCREENSHOTS=1 (`make screenshots`), else into a temporary folder, so a
    test run leaves the checkout as it was."""
    folder = SCREENSHOTS if os.environ.get("FACTCHECK_UPDATE_SCREENSHOTS") == "1" else Path(
        tempfile.gettempdir()) / "factcheck-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path

"""The analyst's journey in a real browser (issue 18): `factcheck serve` on a store built
from examples/ with a verdict and its evidence; headless Chromium searches 石油出口 in the
search box, opens the claim and sees its verdict and evidence. Saves the two screenshots
the README shows (docs/screenshots/datasette-search.png, datasette-claim.png; `make screenshots`)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.store.db import open_db

from .browser_fixtures import browser, screenshot  # noqa: F401
from .conftest import REPO
from .processes import interrupt

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
EVIDENCE = "https://www.eia.gov/international/analysis/country/IRN"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A store of examples/ with one reviewed claim about 石油出口, served on a free port."""
    tmp = tmp_path_factory.mktemp("datasette")
    db_path = tmp / "examples.db"
    runner = CliRunner()
    extracted = subprocess.run([sys.executable, "-m", "factcheck", "extract", "examples/", "--db", str(db_path),
                                "--format", "summary"], cwd=REPO, capture_output=True, text=True)
    assert extracted.returncode == 0, extracted.stderr
    db = open_db(db_path)
    claim_id, text = db.execute("select id, text from claims where is_claim = 1 and text like '%石油出口%' "
                                "order by start limit 1").fetchone()
    db.close()
    export = [{"id": 1, "project": 1, "data": {"claim_id": claim_id}, "annotations": [
        {"id": 7, "completed_by": {"email": "analyst@example.org"}, "created_at": "2026-11-20T09:00:00Z",
         "updated_at": "2026-11-20T09:00:00Z", "result": [
             {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": ["supported"]}},
             {"from_name": "evidence", "to_name": "claim", "type": "textarea",
              "value": {"text": [f"{EVIDENCE} | EIA: Iran's crude exports by year"]}}]}]}]
    (tmp / "export.json").write_text(json.dumps(export), encoding="utf-8")
    result = runner.invoke(cli, ["verdicts", "import", str(tmp / "export.json"), "--format", "labelstudio",
                                 "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "serve", "--db", str(db_path), "--port", str(port)],
                            cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                with NO_PROXY.open(f"{base}/-/versions.json", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "factcheck serve did not answer within 60 s"
            time.sleep(0.2)
        yield {"base": base, "db": db_path.stem, "claim_id": claim_id, "text": text}
    finally:
        interrupt(proc)
        proc.stderr.close()


@pytest.mark.browser
@pytest.mark.model  # extraction scores the examples with the check-worthiness model
@pytest.mark.issue(18)
def test_an_analyst_searches_opens_the_claim_and_sees_verdict_and_evidence(browser, served):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page.goto(f"{served['base']}/{served['db']}")
        page.get_by_role("link", name="Search claims").click()  # the first thing the database page offers
        page.fill("input[name=_search]", "石油出口")
        page.keyboard.press("Enter")
        page.wait_for_url("**_search=*")
        rows = page.locator("table.rows-and-columns tbody tr")
        assert rows.count() >= 1
        assert all("石油出口" in text for text in rows.locator("td.col-claim").all_inner_texts())
        screenshot(page, "datasette-search")
        page.get_by_role("link", name=served["claim_id"]).first.click()
        page.wait_for_url(f"**/claims/{served['claim_id']}")
        card = page.locator("article.factcheck-card")
        assert card.locator("h1").inner_text() == served["text"]
        assert "supported" in card.locator(".factcheck-verdict").inner_text()
        evidence = card.locator(f'.factcheck-evidence a[href="{EVIDENCE}"]')
        assert evidence.is_visible() and "EIA: Iran's crude exports by year" in card.inner_text()
        assert "analyst@example.org" in card.inner_text()
        screenshot(page, "datasette-claim")
    finally:
        page.close()

"""The annotator's journey in a real browser (issue 18): headless Chromium against a real
Label Studio server, on a store whose claims the promoted model scored.

Log in with what ``factcheck labelstudio login`` prints, open the queue (claims in the first
columns), open a task (context, source, the matched verdict with its evidence), give a
verdict with evidence by keyboard only, and find it in the store after a pull. Saves
docs/screenshots/labelstudio-queue.png and labelstudio-task.png.
"""

from __future__ import annotations

import time
import uuid

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.model.registry import require_model
from factcheck.review import labelstudio as fls
from factcheck.store.db import open_db, save_extraction
from factcheck.store.matching import ClaimIndex

from .browser_fixtures import browser, screenshot  # noqa: F401
from .labelstudio_fixtures import ls_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.labelstudio, pytest.mark.model, pytest.mark.issue(18)]

EARLIER = "By the end of 2024, China's installed solar capacity reached 890 million kilowatts.\n"
ARTICLE = ("光伏装机再创新高\n\n"
           "国家能源局1月20日发布2024年全国电力工业统计数据。截至2024年底，全国光伏装机容量达到8.9亿千瓦，"
           "同比增长45%。风电装机约5.2亿千瓦。\n\n"
           "分析人士认为，明年新增装机将放缓。\n")
CLAIM = "截至2024年底，全国光伏装机容量达到8.9亿千瓦"
EVIDENCE = "https://www.nea.example.gov.cn/2025-01/stats | 887 GW at the end of 2024"


@pytest.fixture
def project(ls_server, tmp_path):  # noqa: F811
    """A store with an earlier checked English claim and a Chinese article that repeats it,
    scored by the promoted model and pushed to a fresh project: ``(ls, db, project id)``."""
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)
    db = open_db(tmp_path / "store.db")
    earlier = parse_text(EARLIER, "wire.txt", "txt")
    save_extraction(db, earlier, extract_article(earlier))
    checked = db.execute("select id from claims where article_id = ?", [earlier.article_id]).fetchone()[0]
    db["verdicts"].insert({"annotation_id": 1, "project_id": 0, "task_id": 0, "claim_id": checked,
                           "verdict": "supported", "annotator": "lead@example.org",
                           "created_at": "2025-01-21T10:00:00"})
    db["evidence"].insert({"annotation_id": 1, "idx": 0, "claim_id": checked,
                           "url": "https://www.nea.example.gov.cn/2025-01/stats", "note": "NEA year-end statistics"})
    article = parse_text(ARTICLE, "solar.txt", "txt")
    article.title, article.url, article.published = ("光伏装机再创新高", "https://www.energy.example.cn/news/0120",
                                                     "2025-01-20")
    save_extraction(db, article, extract_article(article))
    fls.rescore(db, require_model(None))
    project_id = fls.setup_project(ls, f"annotator journey {uuid.uuid4().hex[:6]}", db)
    report = fls.push(db, ls, project_id, index=ClaimIndex(db))
    assert report.prefilled >= 1
    yield ls, db, project_id
    ls.projects.delete(id=project_id)


def log_in(page, ls_server) -> None:  # noqa: F811
    """Log in with exactly what `factcheck labelstudio login` prints."""
    printed = CliRunner().invoke(cli, ["labelstudio", "login"],
                                 env={"FACTCHECK_LABELSTUDIO_CONFIG": str(ls_server.config_path)})
    login = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in printed.stdout.splitlines())}
    page.goto(login["URL"])
    page.fill("input[name=email]", login["username"])
    page.fill("input[name=password]", login["password"])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/user/login" not in url)


def test_an_annotator_reviews_a_claim_by_keyboard(browser, ls_server, project):  # noqa: F811
    ls, db, project_id = project
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    log_in(page, ls_server)

    # The queue: one readable tab; the claim and what a lead scans come first.
    page.goto(f"{ls_server.url}/projects/{project_id}/data")
    page.wait_for_selector(f"text={CLAIM}")
    assert page.inner_text(".lsf-tabs-dm__item_active").strip() == "Review queue"
    columns = [c.strip() for c in page.locator(".lsf-th-content").all_inner_texts()]
    assert columns[:6] == ["claim", "lang", "kind", "score", "article", "uncertainty"]
    screenshot(page, "labelstudio-queue")

    # The task: title once, source and date, the paragraph, the earlier verdict and its evidence.
    page.get_by_text(CLAIM, exact=True).first.click()
    page.wait_for_selector("text=Earlier checked claims that match")
    page.wait_for_timeout(500)  # the editor binds its hotkeys after it renders
    body = page.inner_text("body")
    assert body.count("光伏装机再创新高") == 1
    assert "energy.example.cn" in body and "published 2025-01-20" in body
    context = page.inner_text(".fc-context")
    assert context.startswith("国家能源局1月20日发布") and "风电装机约5.2亿千瓦" in context
    matches = page.inner_text(".fc-matches")
    assert "SUPPORTED" in matches.upper() and "890 million kilowatts" in matches
    assert page.locator(".fc-matches a", has_text="NEA year-end statistics").get_attribute("href") == \
        "https://www.nea.example.gov.cn/2025-01/stats"
    screenshot(page, "labelstudio-task")

    # By keyboard only: 2 = refuted, Tab into the evidence box, Shift+Enter adds, Tab out, Ctrl+Enter submits.
    page.keyboard.press("2")
    assert page.locator("input[type=radio][value=refuted], label:has-text('refuted') input").first.is_checked()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "evidence":
            break
    else:
        pytest.fail("Tab never reached the evidence box")
    page.keyboard.type(EVIDENCE)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+Enter")

    task_id = next(t.id for t in ls.tasks.list(project=project_id, fields="all") if t.data["claim"] == CLAIM)
    deadline = time.monotonic() + 15
    while not ls.annotations.list(id=task_id) and time.monotonic() < deadline:
        time.sleep(0.3)
    report = fls.pull(db, ls, project_id)
    assert report.verdicts == 1 and report.invalid == 0
    stored = next(db.query("select v.verdict, e.url, e.note from verdicts v join claims c on c.id = v.claim_id "
                           "join evidence e on e.annotation_id = v.annotation_id where c.text = ?", [CLAIM]))
    assert stored == {"verdict": "refuted", "url": "https://www.nea.example.gov.cn/2025-01/stats",
                      "note": "887 GW at the end of 2024"}

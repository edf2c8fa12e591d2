"""Task building and annotation parsing (pure), checked against the real labelling config; and
one task as an annotator sees it, in Label Studio and chromium."""

from __future__ import annotations

import uuid

import pytest
from click.testing import CliRunner
from label_studio_sdk.label_interface import LabelInterface

import factcheck
from factcheck.cli import cli
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review import labelstudio as fls
from factcheck.review.tasks import (
    CONTEXT_CHARS,
    VERDICTS,
    annotation_guideline,
    build_task,
    context_html,
    from_utf16,
    labelling_config,
    normalise_url,
    paragraph_around,
    parse_annotation,
    task_fingerprint,
    to_utf16,
)
from factcheck.store.claims import claim_from_row
from factcheck.store.db import open_db, save_extraction

from .browser_fixtures import browser  # noqa: F401
from .labelstudio_fixtures import ls_server  # noqa: F401


@pytest.fixture(scope="module")
def interface():
    return LabelInterface(labelling_config())


def test_utf16_offsets_round_trip_outside_the_bmp():
    text = "𠮷野家在2024年开了𩸽店😀共300家"
    for i in range(len(text) + 1):
        assert from_utf16(text, to_utf16(text, i)) == i
    assert to_utf16(text, 1) == 2  # 𠮷 is two UTF-16 units in JavaScript
    assert to_utf16(text, text.index("300")) == text.index("300") + 3


def test_task_carries_claim_id_and_a_valid_prediction(interface):
    claim = factcheck.extract("截至2019年9月，伊朗石油出口降至不足13万桶/日，通胀率一度高达50%以上。")[1]
    task = build_task(claim, title="示例", url="https://example.org/a?b=1")
    assert task["data"]["claim_id"] == task["meta"]["claim_id"] == claim.claim_id
    assert "不足13万桶/日" in task["data"]["parts"] or "50%以上" in task["data"]["parts"]
    prediction = task["predictions"][0]
    assert interface.validate_prediction(prediction)
    regions = {r["value"]["labels"][0]: r["value"] for r in prediction["result"] if r["type"] == "labels"}
    sentence = task["data"]["sentence"]
    assert sentence[regions["claim"]["start"] : regions["claim"]["end"]] == "通胀率一度高达50%以上"
    assert regions["quantity"]["text"] == "50%以上"
    assert '<a href="https://example.org/a?b=1"' in task["data"]["source_html"]


def test_spans_are_right_for_characters_outside_the_bmp(interface):
    text = "𠮷野家去年在日本开设了300家分店。"
    claim = factcheck.extract(text)[0]
    task = build_task(claim)
    q = next(r for r in task["predictions"][0]["result"] if r["value"].get("labels") == ["quantity"])
    js_like = text.encode("utf-16-le")
    assert js_like[2 * q["value"]["start"] : 2 * q["value"]["end"]].decode("utf-16-le") == "300家"
    assert interface.validate_prediction(task["predictions"][0])


def test_fingerprint_changes_with_the_claim_text():
    claim = factcheck.extract("The plant produced 400 MW in 2023.")[0]
    before = task_fingerprint(build_task(claim))
    claim.text = "The plant produced 450 MW in 2023."
    assert task_fingerprint(build_task(claim)) != before


def test_prior_verdict_is_pre_annotated(interface):
    claim = factcheck.extract("The plant produced 400 MW in 2023.")[0]
    task = build_task(claim, prior_verdict={"verdict": "refuted", "claim_id": "abc", "similarity": 0.93})
    chosen = [r for r in task["predictions"][0]["result"] if r["from_name"] == "verdict"]
    assert chosen[0]["value"]["choices"] == ["refuted"]
    assert interface.validate_prediction(task["predictions"][0])


def _task():
    return {"id": 7, "data": {"claim_id": "c1", "sentence": "𠮷野家开了300家店"}, "meta": {"claim_id": "c1"}}


def test_parse_a_full_annotation():
    annotation = {
        "id": 11, "lead_time": 12.5, "completed_by": {"id": 1, "email": "a@x.org"},
        "created_at": "2026-11-23T08:00:00Z", "updated_at": "2026-11-23T08:01:00Z",
        "result": [
            {"from_name": "verdict", "to_name": "claim", "type": "choices", "value": {"choices": ["refuted"]}},
            {"from_name": "checkworthy", "to_name": "claim", "type": "choices", "value": {"choices": ["check-worthy"]}},
            {"from_name": "evidence", "to_name": "claim", "type": "textarea",
             "value": {"text": ["HTTPS://Example.ORG/report#p3 | table 2", "ftp://bad.example/x | nope"]}},
            {"from_name": "corrected_claim", "to_name": "claim", "type": "textarea",
             "value": {"text": ["开了280家店"]}},
            {"from_name": "span", "to_name": "sentence", "type": "labels",
             "value": {"start": 6, "end": 10, "labels": ["quantity"]}},
        ],
    }
    verdict = parse_annotation(_task(), annotation)
    assert verdict.verdict == "refuted" and verdict.checkworthy is True
    assert [(e.url, e.note) for e in verdict.evidence] == [("https://example.org/report", "table 2")]
    assert verdict.corrected_claim == "开了280家店"
    assert verdict.span_corrections == [{"label": "quantity", "start": 5, "end": 9, "text": "300家"}]
    assert verdict.annotator == "a@x.org" and verdict.lead_time == 12.5
    assert verdict.problems == ["evidence link 'ftp://bad.example/x' is not an http(s) URL"]


def test_invalid_results_are_reported_not_raised():
    annotation = {"id": 12, "result": [
        {"from_name": "verdict", "value": {"choices": ["bogus-label"]}},
        {"from_name": "span", "value": {"start": 50, "end": 60, "labels": ["time"]}},
    ]}
    verdict = parse_annotation(_task(), annotation)
    assert verdict.verdict is None
    assert verdict.problems == ["unknown verdict 'bogus-label'", "span 50–60 is outside the sentence"]


def test_foreign_task_is_an_annotation_error():
    with pytest.raises(factcheck.AnnotationError, match="not created by factcheck"):
        parse_annotation({"id": 1, "data": {}}, {"id": 2, "result": []})


def test_url_normalisation():
    assert normalise_url(" <HTTP://News.Example.com> ") == "http://news.example.com/"
    with pytest.raises(ValueError):
        normalise_url("javascript:alert(1)")


def test_config_offers_exactly_the_five_verdicts(interface):
    assert tuple(interface.get_control("verdict").labels) == VERDICTS


@pytest.mark.issue(19)
@pytest.mark.parametrize(("result", "verdict", "problems"), [
    ([{"from_name": "verdict", "value": {"choices": "refuted"}}], "refuted", []),
    ([{"from_name": "verdict", "value": {"choices": None}}], None, ["verdict: choices is null, not a list of strings"]),
    ([{"from_name": "verdict", "value": {"choices": [3]}}], None,
     ["verdict: choices is a list, not a list of strings"]),
    ([{"from_name": "verdict", "value": {"choices": ["refuted"]}},
      {"from_name": "span", "value": {"start": "x", "end": 4, "labels": ["time"]}}],
     "refuted", ["span start/end 'x'–4 are not whole numbers"]),
    ([{"from_name": "verdict", "value": "refuted"}], None, ["verdict: value is the string 'refuted', not an object"]),
    (["refuted"], None, ["a result is the string 'refuted', not an object"]),
    ({"verdict": "refuted"}, None, ["result is an object, not a list of results"]),
    ([{"from_name": "evidence", "value": {"text": "https://example.org/x | one link"}},
      {"from_name": "verdict", "value": {"choices": ["supported"]}}], "supported", []),
])
def test_malformed_pieces_are_problems_and_the_rest_is_read(result, verdict, problems):
    parsed = parse_annotation(_task(), {"id": 13, "result": result})
    assert (parsed.verdict, parsed.problems) == (verdict, problems)


def test_triage_needs_no_verdict():
    def triage(choice):
        return parse_annotation(_task(), {"id": 14, "result": [
            {"from_name": "checkworthy", "value": {"choices": [choice]}}]})

    assert (triage("not check-worthy").checkworthy, triage("not check-worthy").verdict) == (False, None)
    assert (triage("not a claim").checkworthy, triage("not a claim").verdict) == (False, "not a claim")
    assert triage("not check-worthy").problems == [] and triage("not a claim").problems == []
    assert parse_annotation(_task(), {"id": 15, "result": []}).problems == [
        "neither a verdict nor a triage choice given"]


ARTICLE = ("2023年国内新能源汽车市场份额排名如下。\n"
           "比亚迪为30.1%，吉利为18.8%。\n"
           "分析人士认为明年格局不变。\n")


@pytest.mark.issue(18)
def test_a_sentence_alone_in_its_paragraph_comes_with_the_one_before():
    start = ARTICLE.index("比亚迪")
    end = ARTICLE.index("\n", start)
    shown, s, e = paragraph_around(ARTICLE, start, end)
    assert shown == "2023年国内新能源汽车市场份额排名如下。\n比亚迪为30.1%，吉利为18.8%。"
    assert shown[s:e] == ARTICLE[start:end]
    html_ = context_html(ARTICLE, start, end)
    assert '<mark class="fc-sentence">比亚迪为30.1%，吉利为18.8%。</mark>' in html_ and "市场份额排名" in html_


@pytest.mark.issue(18)
def test_a_sentence_opening_its_paragraph_comes_with_the_paragraph_before():
    text = "The company reported its market shares.\nIt held 18.8% in 2023. Rivals fell behind.\n"
    start = text.index("It held")
    shown, s, e = paragraph_around(text, start, text.index("2023.") + 5)
    assert shown == "The company reported its market shares.\nIt held 18.8% in 2023. Rivals fell behind."
    assert shown[s:e] == "It held 18.8% in 2023."
    later = text.index("Rivals")  # a sentence inside its paragraph has what it needs before it there
    assert paragraph_around(text, later, len(text) - 1)[0] == "It held 18.8% in 2023. Rivals fell behind."


@pytest.mark.issue(18)
def test_a_long_paragraph_is_cut_at_sentence_ends_around_the_claim():
    text = "First. " + "Filler words here. " * 100 + "The plant made 5 MW in 2023. " + "More filler. " * 100
    start = text.index("The plant")
    shown, s, e = paragraph_around(text, start, start + len("The plant made 5 MW in 2023."))
    assert shown[s:e] == "The plant made 5 MW in 2023."
    assert len(shown) <= CONTEXT_CHARS + 2 and shown.startswith("…") and shown.endswith("…")
    assert shown[1:].lstrip().startswith("Filler") and shown[:-1].endswith("filler.")


@pytest.mark.issue(18)
def test_the_task_shows_title_once_source_date_context_and_matches(interface):
    text = "The ministry said on Monday that crude exports fell to 120,000 barrels a day in September."
    article = "Oil exports slump\n" + text + "\n"
    claim = factcheck.extract(article)[0]
    match = {"verdict": "refuted", "claim_id": "c9", "similarity": 0.91, "text": "伊朗石油出口降至不足13万桶/日",
             "article": "Earlier report", "evidence": [("https://stats.example.gov/t3", "table 3: 410,000 bpd")],
             "review_url": "https://factcheck.example.org/oil"}
    task = build_task(claim, title="Oil exports slump", url="https://www.news.example.com/oil?id=1",
                      published="2024-10-02", source="oil.json", article_text=article, matches=[match])
    data = task["data"]
    assert data["publisher"] == "news.example.com" and data["published"] == "2024-10-02"
    assert "news.example.com" in data["source_html"] and "published 2024-10-02" in data["source_html"]
    assert "Oil exports slump" not in data["source_html"]  # the title is the header, shown once
    assert "<mark" in data["context_html"] and "120,000 barrels" in data["context_html"]
    matches = data["matches_html"]
    assert "refuted" in matches and "伊朗石油出口降至不足13万桶/日" in matches and "Earlier report" in matches
    assert '<a href="https://stats.example.gov/t3"' in matches and "table 3: 410,000 bpd" in matches
    assert '<a href="https://factcheck.example.org/oil"' in matches
    verdicts = [r for r in task["predictions"][0]["result"] if r["from_name"] == "verdict"]
    assert verdicts[0]["value"]["choices"] == ["refuted"]  # the closest match pre-fills, to confirm
    assert interface.validate_prediction(task["predictions"][0])
    assert list(data)[:6] == ["claim_id", "claim", "lang", "kind", "score", "article"]


def test_html_in_article_fields_is_escaped():
    claim = factcheck.extract("The plant produced 400 MW in 2023.")[0]
    task = build_task(claim, title="<script>x</script>", url="javascript:alert(1)", source="<b>a</b>.txt",
                      matches=[{"verdict": "supported", "claim_id": "c", "similarity": 1.0, "text": "<img src=x>",
                                "evidence": [("javascript:alert(2)", "x")]}])
    shown = task["data"]["source_html"] + task["data"]["matches_html"] + task["data"]["context_html"]
    assert "<script" not in shown and "<img" not in shown and "javascript:" not in shown


def test_config_pins_every_hotkey_and_the_guideline_defines_each_verdict(interface):
    import re

    config = labelling_config()
    controls = re.findall(r"<(?:Choice|Label) value=\"([^\"]+)\"([^>]*)/>", config)
    assert controls and all("hotkey=" in attrs for _, attrs in controls)
    keys = [re.search(r'hotkey="([^"]+)"', attrs).group(1) for _, attrs in controls]
    assert len(keys) == len(set(keys))
    guideline = annotation_guideline()
    for (value, _), key in zip(controls, keys):
        assert f"<kbd>{key}</kbd>" in guideline, f"the guideline does not name key {key} ({value})"
    for verdict in VERDICTS:
        assert f"<b>{verdict}</b>" in guideline
    assert "<i>" in guideline.split("<b>refuted</b>")[1].split("</li>")[0]  # each verdict has an example


def test_triage_and_a_verdict_are_both_optional_in_the_config(interface):
    assert 'required="true"' not in labelling_config()
    assert tuple(interface.get_control("checkworthy").labels) == ("check-worthy", "not check-worthy")


def test_the_annotating_guide_lists_every_pinned_key():
    import re
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "annotating.md").read_text("utf-8")
    for key in re.findall(r'hotkey="([^"]+)"', labelling_config()):
        assert f"`{key}`" in guide, f"docs/annotating.md does not list key {key}"


RANKING = "今年前十个月，国内新能源乘用车的零售份额排名出炉。"
SHARES = f"{RANKING}\n比亚迪为30.2%，吉利为18.8%。\n长城汽车今年共售出120万辆。"


def test_a_claim_that_leaves_its_subject_to_the_sentence_before_shows_that_sentence(interface, tmp_path):
    # Stored and read back as `factcheck push` reads it: the antecedent survives the store.
    ranking = RANKING
    article = parse_text(SHARES, "shares.txt", "txt")
    db = open_db(tmp_path / "store.db")
    save_extraction(db, article, extract_article(article))
    rows = {r["text"]: r for r in db.query("select * from claims")}
    elliptical = build_task(claim_from_row(db, rows["吉利为18.8%"]), article_text=article.text)
    assert elliptical["data"]["antecedent"] == ranking
    assert elliptical["data"]["antecedent_html"] == f'<div class="fc-antecedent">Before this sentence: {ranking}</div>'
    # every value the config names is in the task (the SDK's validate_task cannot take predictions)
    assert interface.validate_task({"data": elliptical["data"]})
    assert interface.validate_prediction(elliptical["predictions"][0])
    alone = build_task(claim_from_row(db, rows["长城汽车今年共售出120万辆"]), article_text=article.text)
    assert alone["data"]["antecedent"] == alone["data"]["antecedent_html"] == ""
    assert '<HyperText name="antecedent" value="$antecedent_html"' in labelling_config()


@pytest.mark.labelstudio
@pytest.mark.browser
def test_an_annotator_sees_the_sentence_before_a_claim_that_needs_it(ls_server, browser, tmp_path):  # noqa: F811
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=ls_server.url, api_key=ls_server.api_key)
    db = open_db(tmp_path / "store.db")
    article = parse_text(SHARES, "shares.txt", "txt")
    save_extraction(db, article, extract_article(article))
    project_id = fls.setup_project(ls, f"antecedent {uuid.uuid4().hex[:6]}", db)
    try:
        fls.push(db, ls, project_id)
        tasks = {t.data["claim"]: t.id for t in ls.tasks.list(project=project_id, fields="all")}
        printed = CliRunner().invoke(cli, ["labelstudio", "login"],
                                     env={"FACTCHECK_LABELSTUDIO_CONFIG": str(ls_server.config_path)})
        login = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in printed.stdout.splitlines())}
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(login["URL"])
        page.fill("input[name=email]", login["username"])
        page.fill("input[name=password]", login["password"])
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/user/login" not in url)

        page.goto(f"{ls_server.url}/projects/{project_id}/data?task={tasks['吉利为18.8%']}")
        page.wait_for_selector(".fc-antecedent")
        assert page.inner_text(".fc-antecedent").strip() == f"Before this sentence: {RANKING}"
        page.goto(f"{ls_server.url}/projects/{project_id}/data?task={tasks['长城汽车今年共售出120万辆']}")
        page.wait_for_selector(".fc-context")
        assert page.locator(".fc-antecedent").count() == 0
        page.close()
    finally:
        ls.projects.delete(id=project_id)

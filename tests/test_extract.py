"""The extractor end to end: hand-labelled example articles, the seed articles and the API."""

from __future__ import annotations

import dataclasses
import json

import pytest

import factcheck
from factcheck.extraction.ingest import read_article
from factcheck.extraction.pipeline import extract_article

from .conftest import EXAMPLES, SEEDS
from .oracle import evaluate, load_expectations

EXPECTATIONS = load_expectations()


@pytest.fixture(scope="module")
def reports():
    return {name: evaluate(name, spec) for name, spec in EXPECTATIONS.items()}


def test_every_example_article_is_labelled():
    shipped = {p.name for p in EXAMPLES.iterdir() if p.is_file()}
    assert shipped == set(EXPECTATIONS)
    assert sum(1 for n in shipped if n.startswith("zh")) >= 3 and sum(1 for n in shipped if n.startswith("en")) >= 2


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_every_labelled_claim_is_extracted_with_its_kind(reports, name):
    report = reports[name]
    assert report.missing_claims == []
    assert report.wrong_kind == []


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_every_labelled_quantity_is_normalised_exactly(reports, name):
    assert reports[name].wrong_quantities == []


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_every_labelled_time_anchor_is_found(reports, name):
    assert reports[name].wrong_times == []


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_boilerplate_never_becomes_a_claim(reports, name):
    assert reports[name].boilerplate_claims == []


# Opinions phrased as plain comparisons: no rule marker separates them from facts.
# They are the check-worthiness classifier's job (issue 3); strict xfail tells us when
# that lands.
HARD_NEGATIVES = {
    "消费信心的修复远比数据反弹来得缓慢",
    "have produced more optimism than substance",
}


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_opinions_questions_and_predictions_are_rejected(reports, name):
    accepted = [item for item in reports[name].accepted_rejects if item[0] not in HARD_NEGATIVES]
    assert accepted == []


@pytest.mark.xfail(strict=True,
                   reason="rules alone cannot tell; the classifier handles the Chinese one (test_classifier)")
@pytest.mark.parametrize("substring", sorted(HARD_NEGATIVES))
def test_hard_negative_opinions_are_rejected(reports, substring):
    accepted = {item[0] for report in reports.values() for item in report.accepted_rejects}
    assert substring not in accepted


def _all_articles():
    paths = sorted(EXAMPLES.iterdir())
    if SEEDS.is_dir():
        paths += sorted(SEEDS.glob("*.txt"))
    return paths


@pytest.mark.parametrize("path", _all_articles(), ids=lambda p: p.name)
def test_offsets_round_trip(path):
    article = read_article(path)[0]
    text = article.text
    candidates = extract_article(article)
    assert candidates, "no candidates at all"
    for claim in candidates:
        assert text[claim.sentence_start : claim.sentence_end] == claim.sentence
        assert claim.sentence_start <= claim.start < claim.end <= claim.sentence_end
        assert text[claim.start : claim.end].strip() == text[claim.start : claim.end]
        for part in [*claim.quantities, *claim.times, *claim.entities]:
            assert text[part.start : part.end] == part.text, part


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_seed_articles_give_the_key_facts():
    claims = []
    for path in sorted(SEEDS.glob("*.txt")):
        claims += [c for c in extract_article(read_article(path)[0]) if c.is_claim]
    quantities = [(c, q) for c in claims for q in c.quantities]
    # Military sites 150–500 m underground: a range, never a midpoint.
    assert any(q.low == 150 and q.high == 500 and q.unit == "meter" and q.value is None for _, q in quantities)
    # Oil exports under 130,000 barrels a day by September 2019.
    exports = [c for c, q in quantities if q.value == 130000 and q.comparator == "<" and q.per == "day"]
    assert exports and any(t.value == "2019-09" for t in exports[0].times)
    # The inflation clause keeps the country and the time anchor of its sentence.
    inflation = [c for c, q in quantities if q.unit == "percent" and q.value == 50 and q.comparator == ">"]
    assert inflation and "伊朗" in inflation[0].text and any(t.value == "2019-09" for t in inflation[0].times)
    # Enrichment capped at 3.67% and a 300 kg stockpile.
    assert any(q.value == 3.67 and q.unit == "percent" for _, q in quantities)
    assert any(q.value == 300 and q.unit == "kilogram" and q.comparator == "<=" for _, q in quantities)


def test_python_api_returns_standalone_claims_with_carried_subject_and_time():
    text = "截至2023年6月，阿根廷外汇储备从400亿美元降至不足270亿美元，年通胀率一度超过110%。"
    claims = factcheck.extract(text)
    assert [text[c.start : c.end] for c in claims] == [
        "截至2023年6月，阿根廷外汇储备从400亿美元降至不足270亿美元",
        "年通胀率一度超过110%",
    ]
    second = claims[1]
    assert second.text == "截至2023年6月，阿根廷年通胀率一度超过110%"
    assert second.carried == {"time": "截至2023年6月", "subject": "阿根廷"}
    assert [t.value for t in second.times] == ["2023-06"]
    assert [(q.value, q.unit, q.comparator) for q in second.quantities] == [(110, "percent", ">")]
    assert all(isinstance(c, factcheck.Claim) and c.is_claim for c in claims)


def test_english_claims_and_rejections():
    text = (
        "By March 2024, the utility had installed 1.2 GW of solar capacity, and its coal output fell by 15%. "
        "Critics say the plan will fail. Is this really progress?"
    )
    candidates = factcheck.extract(text, include_rejected=True)
    kinds = [(c.kind, c.is_claim) for c in candidates]
    assert kinds[:2] == [("numeric", True), ("numeric", True)]
    assert candidates[1].text.startswith("By March 2024, ")
    assert {k for k, _ in kinds[2:]} == {"prediction", "question"}
    assert not any(ok for _, ok in kinds[2:])


def test_relative_times_resolve_only_with_a_publication_date():
    text = "去年全省粮食产量增长2.1%。"
    unresolved = factcheck.extract(text)[0].times[0]
    assert (unresolved.value, unresolved.resolved, unresolved.relative) == (None, False, True)
    resolved = factcheck.extract(text, published="2025-02-01")[0].times[0]
    assert (resolved.value, resolved.resolved) == ("2024", True)


def test_claim_ids_are_stable_and_depend_on_article_text():
    text = "The plant produced 400 MW in 2023. Output doubled in 2024."
    first = [c.claim_id for c in factcheck.extract(text)]
    assert first == [c.claim_id for c in factcheck.extract(text)]
    assert len(set(first)) == len(first)
    assert not set(first) & {c.claim_id for c in factcheck.extract(text + " It closed in 2025.")}


def test_forced_language_overrides_detection():
    claims = factcheck.extract("2024年发电量为9.4万亿千瓦时。", lang="zh")
    assert claims[0].lang == "zh"


def test_captions_are_kept_and_marked():
    text = "图片\n2024年5月3日，工人在港口装卸集装箱。\n图源：新华社\n今年港口吞吐量增长8%。"
    claims = factcheck.extract(text)
    caption = [c for c in claims if c.is_caption]
    assert caption and caption[0].times[0].value == "2024-05-03"
    assert not any("新华社" in c.text for c in claims)


def test_claim_serialises_to_the_documented_fields():
    claim = factcheck.extract("Iran holds about 200 billion barrels of proven reserves.")[0]
    row = claim.to_dict()
    for key in ("claim_id", "article_id", "lang", "text", "sentence", "start", "end", "kind", "is_claim",
                "checkworthiness", "model_version", "quantities", "times", "entities"):
        assert key in row
    assert row["checkworthiness"] is None and row["model_version"] is None
    assert set(row["quantities"][0]) >= {"text", "start", "end", "value", "low", "high", "unit", "per",
                                         "comparator", "approximate"}
    assert dataclasses.is_dataclass(claim)


class _FixedScorer:
    version = "test-1"

    def score(self, texts, langs):
        return [0.9 if "ministry" in t else 0.1 for t in texts]


def test_scorer_sets_checkworthiness_and_threshold_decides():
    text = "The ministry approved the grid code in Berlin. The regulator opened an inquiry into Enel in Rome."
    candidates = factcheck.extract(text, scorer=_FixedScorer(), include_rejected=True)
    assert [c.checkworthiness for c in candidates] == [0.9, 0.1]
    assert [c.model_version for c in candidates] == ["test-1", "test-1"]
    assert [c.is_claim for c in candidates] == [True, False]
    assert "below threshold" in candidates[1].reasons[-1]
    lenient = factcheck.extract(text, scorer=_FixedScorer(), thresholds=factcheck.Thresholds(default=0.05))
    assert len(lenient) == 2


def test_scorer_cannot_veto_numbers_and_dates():
    text = "The grid added 3 GW of capacity in 2024. Output fell 4% last year."
    candidates = factcheck.extract(text, scorer=_FixedScorer(), include_rejected=True)
    assert [c.checkworthiness for c in candidates] == [0.1, 0.1]
    assert all(c.is_claim and c.kind == "numeric" for c in candidates)


@pytest.mark.model
def test_extract_with_the_promoted_model_never_imports_torch():
    # spaCy's thinc would import torch (seconds of start-up) and scoring runs on ONNX
    # Runtime, so `factcheck extract` needs torch nowhere; training still imports it.
    import os
    import subprocess
    import sys

    snippet = (
        "import sys\n"
        "from factcheck.cli import cli\n"
        "sys.argv = ['factcheck', 'extract', sys.argv[1], '--no-store', '--format', 'jsonl']\n"
        "try:\n"
        "    cli()\n"
        "except SystemExit as end:\n"
        "    print('torch' in sys.modules, end.code, file=sys.stderr)\n"
        "import torch\n"
        "print(float(torch.ones(2).sum()), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_ENCODER_BACKEND"}
    done = subprocess.run([sys.executable, "-c", snippet, str(EXAMPLES / "en_energy.json")], capture_output=True,
                          text=True, env=env, check=True)
    claims = [json.loads(line) for line in done.stdout.splitlines()]
    assert claims and all(c["checkworthiness"] is not None for c in claims)  # scored by the model
    assert done.stderr.splitlines()[-2:] == ["False 0", "2.0"]


@pytest.mark.issue(19)
def test_a_long_article_extracted_in_windows_gives_the_candidates_of_one_pass():
    """Windows of paragraphs bound memory on long articles; each sentence keeps the
    context it had in one pass, across window edges too."""
    from factcheck.extraction.pipeline import iter_candidate_windows

    article = read_article(EXAMPLES / "zh_public_health.txt")[0]
    whole = [c for window in iter_candidate_windows(article, window_chars=10**9) for c in window]
    windows = list(iter_candidate_windows(article, window_chars=200))
    assert len(windows) > 3
    pieces = [c for window in windows for c in window]
    assert [dataclasses.asdict(c) for c in pieces] == [dataclasses.asdict(c) for c in whole]

"""Claim matching: the same claim in other words or the other language is recognised,
near-misses (other number, year, name, rate) are not, and disagreeing numbers are conflicts.

Store-level tests use real SQLite files and the real encoder."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.extraction.ingest import parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.records import Quantity
from factcheck.store import matching
from factcheck.store.conflicts import find_conflicts
from factcheck.store.db import open_db, save_extraction
from factcheck.store.matching import ClaimIndex, amount, compare, make_facts, match_claims, sentence_facts

from .conftest import REPO

pytestmark = pytest.mark.model  # real model weights (the e5 encoder built by `factcheck models prepare`)

# Our own short articles: the same facts told in Chinese and in English, plus one
# article whose numbers disagree with them.
ZH = ("截至2019年9月，伊朗原油出口已降至不足13万桶/日。伊核协议规定，伊朗铀浓缩丰度上限为3.67%。"
      "双方谈判历时两年。")
EN = ("By September 2019, Iran's crude exports had fallen below 130,000 barrels per day. "
      "Under the nuclear deal, Iran's enrichment was capped at 3.67%. The negotiations took 20 months.")
OTHER = "A new desalination plant in Oman produces 40,000 cubic metres of water a day."


def q(value=None, unit=None, per=None, comparator=None, low=None, high=None, text="", approximate=False):
    return Quantity(text=text or str(value), start=0, end=0, value=value, low=low, high=high, unit=unit, per=per,
                    comparator=comparator, approximate=approximate)


def facts(text, lang, quantities=(), times=(), names=()):
    return make_facts(text, lang, quantities, times, names)


# --- the pure core -------------------------------------------------------------------


def test_amounts_compare_across_units_and_formats():
    two_years, twenty_months = amount(q(2, "year")), amount(q(20, "month"))
    assert two_years.dimension == twenty_months.dimension
    assert not matching.amounts_agree(two_years, twenty_months)
    assert matching.amounts_agree(amount(q(1.5, "gigawatt")), amount(q(1500, "megawatt")))
    assert matching.amounts_agree(amount(q(2 / 3, "fraction")), amount(q(66.67, "percent", approximate=True)))
    # A rate is part of the dimension: per day and per year never compare as equal.
    assert amount(q(10, "cubic_meter", per="day")).dimension != amount(q(10, "cubic_meter", per="year")).dimension
    # Temperatures convert with their offset: 45 °C is 113 °F, not 45 × 274.15 K.
    assert matching.amounts_agree(amount(q(45, "degree_Celsius")), amount(q(113, "degree_Fahrenheit")))
    assert not matching.amounts_agree(amount(q(45, "degree_Celsius")), amount(q(45, "degree_Fahrenheit")))
    # Under 130,000 and over 130,000 are opposite claims.
    assert not matching.amounts_agree(amount(q(130000, "oil_barrel", "day", "<")),
                                      amount(q(130000, "oil_barrel", "day", ">")))


def test_a_rate_stated_apart_from_its_number_still_counts():
    apart = sentence_facts("More than 40,000 people leave the island each year, the census office says.")
    beside = sentence_facts("Over 40,000 people a year leave the island, according to the census office.")
    assert [a.dimension for a in apart.amounts] == [("count", None)]
    assert [a.dimension for a in beside.amounts] == [("count", "year")]
    assert matching.compare(apart, beside, 0.97).outcome == "match"
    assert matching.compare(beside, apart, 0.97).outcome == "match"
    monthly = sentence_facts("Over 40,000 people a month leave the island, according to the census office.")
    assert matching.compare(apart, monthly, 0.97).outcome != "match"


def test_ranges_compare_bounds_never_midpoints():
    deep = amount(q(low=150, high=500, unit="meter"))
    assert matching.amounts_agree(deep, amount(q(low=150, high=500, unit="meter")))
    assert not matching.amounts_agree(deep, amount(q(325, "meter")))


def test_time_anchors_overlap_by_granularity():
    assert matching.times_agree(["2019"], ["2019-09"]) is True
    assert matching.times_agree(["2019-09"], ["2019-10"]) is False
    assert matching.times_agree(["2015/2018"], ["2017-03"]) is True
    assert matching.times_agree(["201X"], ["2015"]) is True
    assert matching.times_agree([], ["2019"]) is None


def test_same_claim_across_languages_matches_and_other_numbers_conflict():
    zh = facts("伊朗原油出口降至不足13万桶/日", "zh", [q(130000, "oil_barrel", "day", "<", text="不足13万桶/日")],
               ["2019-09"], [("伊朗", "GPE")])
    en = facts("Iran's exports fell below 130,000 barrels per day", "en",
               [q(130000, "oil_barrel", "day", "<", text="below 130,000 barrels per day")], ["2019-09"],
               [("Iran", "GPE")])
    thirty = facts("Iran's exports fell below 300,000 barrels per day", "en",
                   [q(300000, "oil_barrel", "day", "<", text="below 300,000 barrels per day")], ["2019-09"],
                   [("Iran", "GPE")])
    assert compare(zh, en, 0.88).outcome == "match"
    conflict = compare(en, thirty, 0.97)
    assert conflict.outcome == "conflict" and "130,000" in conflict.reason and "300,000" in conflict.reason
    later = facts(en.text, "en", [q(130000, "oil_barrel", "day", "<")], ["2020-09"])
    assert compare(en, later, 0.97).outcome == "different"


def test_same_language_near_misses_are_not_matches():
    microsoft = facts("Microsoft said it would invest $10 billion in OpenAI.", "en", [q(1e10, "USD")], [],
                      [("Microsoft", "ORG"), ("OpenAI", "ORG")])
    google = facts("Google said it would invest $10 billion in OpenAI.", "en", [q(1e10, "USD")], [],
                   [("Google", "ORG"), ("OpenAI", "ORG")])
    assert "different people" in compare(microsoft, google, 0.96).reason
    # Numbers the parsers do not structure are still compared as written.
    a = facts("京沪高铁最快列车全程运行约4小时18分。", "zh")
    b = facts("京沪高铁最快列车全程运行约4小时48分。", "zh")
    assert compare(a, b, 0.997).outcome == "different"
    per_year = facts("The pipeline will carry 10 billion cubic metres of gas per year.", "en")
    per_month = facts("The pipeline will carry 10 billion cubic metres of gas per month.", "en")
    assert "different rates" in compare(per_year, per_month, 0.99).reason


def test_low_similarity_is_never_a_match_even_with_equal_numbers():
    a = facts("Unemployment was 5%.", "en", [q(5, "percent")])
    b = facts("Inflation was 5%.", "en", [q(5, "percent")])
    assert compare(a, b, 0.70).outcome == "different"


# --- matching quality on the project's own bilingual pair set ------------------------


@pytest.fixture(scope="module")
def pair_results():
    lines = (REPO / "annotations" / "claim_matching.jsonl").read_text("utf-8").splitlines()
    pairs = [json.loads(line) for line in lines]
    # The thresholds were chosen on the even ids; the odd ids are the test half.
    test = [p for p in pairs if int(p["id"][1:]) % 2 == 1]
    return matching.pair_metrics(test, matching.judge_pairs(test))


def test_matching_precision_and_recall_on_held_out_pairs(pair_results):
    overall = pair_results["all"]
    assert overall["pairs"] >= 100
    # Measured 0.82 / 0.84 when the thresholds were set; a drop below 0.75 is a regression.
    assert overall["precision"] >= 0.75 and overall["recall"] >= 0.75, overall
    by_type = pair_results["by_type"]
    assert by_type["translation"]["recall"] >= 0.8
    assert by_type["different_year"]["accuracy"] == 1.0
    assert by_type["different_number"]["accuracy"] >= 0.85


# --- the store: vectors, index file, matches and conflicts ---------------------------


def store(db, text, source):
    article = parse_text(text, source, "txt")
    claims = extract_article(article)
    save_extraction(db, article, claims)
    return claims


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "kb.db")
    store(db, ZH, "zh/iran.txt")
    store(db, OTHER, "en/oman.txt")
    return db


def verdict_for(db, claim_id, verdict="supported", annotation_id=1):
    db["verdicts"].insert({"annotation_id": annotation_id, "project_id": 1, "task_id": annotation_id,
                           "claim_id": claim_id, "verdict": verdict, "annotator": "a@example.org",
                           "created_at": "2026-11-01T10:00:00"})


def test_a_claim_checked_in_chinese_is_recognised_in_english(db):
    oil = db.execute("select id from claims where text like '%13万桶%'").fetchone()[0]
    verdict_for(db, oil)
    claims = store(db, EN, "en/iran.txt")
    found = match_claims(db, claims)
    en_oil = next(c for c in claims if "130,000" in c.text)
    assert [m.claim_id for m in found[en_oil.claim_id]] == [oil]
    assert found[en_oil.claim_id][0].verdict == "supported"
    assert "same numbers" in found[en_oil.claim_id][0].reason
    unrelated = next(c for c in claims if "20 months" in c.text)
    assert found[unrelated.claim_id] == []  # 20 months vs two years is a conflict, not a match


def test_claims_of_the_same_article_are_not_matches_of_themselves(db):
    claims = extract_article(parse_text(ZH, "zh/iran.txt", "txt"))
    assert all(not m for m in match_claims(db, claims).values())


def test_conflicts_list_disagreeing_numbers_from_different_articles(db):
    store(db, EN, "en/iran.txt")
    found = find_conflicts(db)
    assert len(found) == 1
    texts = {db["claims"].get(found[0].claim_id)["text"], db["claims"].get(found[0].other_id)["text"]}
    assert any("两年" in t for t in texts) and any("20 months" in t for t in texts)


def test_the_index_file_is_a_rebuildable_cache(db, tmp_path):
    index = ClaimIndex(db)
    index.sync()
    assert index.path == tmp_path / "kb.db.vectors.usearch" and index.path.exists()
    n = db["claim_vectors"].count
    assert n == db["claims"].count_where("is_claim = 1")
    # A damaged or deleted file is rebuilt from the vectors table, with nothing re-embedded.
    index.path.write_bytes(b"not an index")
    fresh = ClaimIndex(db)
    assert fresh.sync() == 0
    vector = fresh.encoder.embed(["伊朗原油出口已降至不足13万桶/日"])
    (key, similarity), *_ = fresh.search(vector)[0]
    assert db.execute("select c.text from claim_keys k join claims c on c.id = k.claim_id where k.key = ?",
                      [key]).fetchone()[0].endswith("13万桶/日")
    assert similarity > 0.95


def test_vectors_of_another_encoder_are_re_embedded(db):
    ClaimIndex(db).sync()
    db.execute("update claim_vectors set model = 'some-older-encoder'")
    db.conn.commit()
    assert ClaimIndex(db).sync() == 0  # an ordinary sync only looks at new claims
    assert ClaimIndex(db).sync(full=True) == db["claim_vectors"].count


def test_claims_dropped_by_a_re_extraction_leave_vectors_keys_and_full_text(db):
    index = ClaimIndex(db)
    index.sync()
    article = parse_text(ZH, "zh/iran.txt", "txt")
    claims = extract_article(article)
    dropped = next(c for c in claims if "两年" in c.text)
    save_extraction(db, article, [c for c in claims if c is not dropped])  # e.g. a stricter model
    assert db.execute("select count(*) from claim_keys where claim_id = ?", [dropped.claim_id]).fetchone()[0] == 0
    assert db["claim_vectors"].count == db["claims"].count_where("is_claim = 1")
    assert db["claims_fts"].count == db["claims"].count
    assert not list(db.query("pragma foreign_key_check"))
    # The stale entry still in the index file is never returned as a match.
    en = store(db, EN, "en/iran.txt")
    found = match_claims(db, en, index=index)
    assert all(m.claim_id != dropped.claim_id for ms in found.values() for m in ms)


def test_extract_cli_adds_matches_and_conflicts_cli_names_both_sources(tmp_path):
    (tmp_path / "zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    dbp = str(tmp_path / "cli.db")
    runner = CliRunner()
    first = runner.invoke(cli, ["extract", str(tmp_path / "zh.txt"), "--db", dbp, "--model", "none", "--match"])
    assert first.exit_code == 0, first.output
    out = runner.invoke(cli, ["extract", str(tmp_path / "en.txt"), "--db", dbp, "--model", "none", "--match",
                              "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    oil = next(r for r in rows if "130,000" in r["text"])
    assert oil["matches"] and oil["matches"][0]["text"].endswith("13万桶/日")
    assert set(oil["matches"][0]) == {"claim_id", "verdict", "similarity", "reason", "article_id", "text"}
    listed = runner.invoke(cli, ["conflicts", "--db", dbp, "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    pair = json.loads(next(line for line in listed.stdout.splitlines() if line.startswith("{")))
    assert {c["source"].rsplit("/", 1)[-1] for c in pair["claims"]} == {"zh.txt", "en.txt"}
    assert pair["disagreeing"] == [["两年", "20 months"]] or pair["disagreeing"] == [["20 months", "两年"]]


def test_no_store_and_match_is_a_usage_error(tmp_path):
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "en.txt"), "--no-store", "--match"])
    assert result.exit_code == 2 and "--match needs the store" in result.output


def test_facts_of_a_stored_claim_equal_those_of_the_extracted_claim(db):
    claims = store(db, EN, "en/iran.txt")
    oil = next(c for c in claims if "130,000" in c.text)
    stored = matching.load_facts(db, [oil.claim_id])[oil.claim_id]
    assert stored == matching.facts_from_claim(oil)


def test_an_in_memory_store_keeps_its_index_in_memory():
    import sqlite_utils

    from factcheck.store.db import ensure_schema

    mem = sqlite_utils.Database(sqlite3.connect(":memory:"))
    ensure_schema(mem)
    assert matching.index_path_for(mem) is None


def test_a_lone_sentence_without_final_punctuation_still_has_its_parts():
    # In an article such a line would read as a heading; looked up by hand it is a claim.
    facts_ = matching.sentence_facts("伊朗原油出口不足13万桶/日")
    assert [a.text for a in facts_.amounts] == ["不足13万桶/日"]


def test_numerals_of_a_date_anchor_are_not_loose_numbers():
    anchored = facts("截至2019年9月，伊朗原油出口已降至不足13万桶/日", "zh",
                     [q(130000, "oil_barrel", "day", "<", text="不足13万桶/日")], ["2019-09"], [("伊朗", "GPE")])
    plain = facts("伊朗原油出口不足13万桶/日", "zh", [q(130000, "oil_barrel", "day", "<", text="不足13万桶/日")],
                  [], [("伊朗", "GPE")])
    assert anchored.loose == frozenset()
    assert compare(plain, anchored, 0.97).outcome == "match"


class CountingEncoder:
    """The real encoder, counting the texts it embeds."""

    def __init__(self, encoder):
        self.encoder, self.texts = encoder, []
        self.dim, self.path = encoder.dim, encoder.path

    def embed(self, texts, **kwargs):
        self.texts += list(texts)
        return self.encoder.embed(texts, **kwargs)


@pytest.mark.issue(15)
def test_a_scored_claim_is_embedded_once_for_scoring_and_matching(tmp_path):
    from factcheck.embed.encoder import shared_encoder
    from factcheck.model.registry import load_promoted

    promoted = load_promoted()
    encoder = CountingEncoder(shared_encoder())
    model = type(promoted)(promoted.dir, encoder=encoder)
    db = open_db(tmp_path / "kb.db")
    article = parse_text(ZH, "zh/iran.txt", "txt")
    claims = extract_article(article, scorer=model)
    assert all(c.vector is not None for c in claims)
    save_extraction(db, article, claims)
    scored = len(encoder.texts)
    found = match_claims(db, claims, index=ClaimIndex(db, encoder=encoder))
    assert set(found) == {c.claim_id for c in claims if c.is_claim}
    assert len(encoder.texts) == scored == len(claims)  # matching reused every vector
    stored = db.execute("select count(*) from claim_vectors").fetchone()[0]
    assert stored == sum(c.is_claim for c in claims)
    # The carried vector is working data: it is never printed.
    assert "vector" not in claims[0].to_dict()

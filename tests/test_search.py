"""Analyst queries (factcheck.store.search, `factcheck search`, `factcheck verdicts`) on one real store."""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.errors import CODES, InputError
from factcheck.extraction.ingest import parse_json, parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review.labelstudio import import_export
from factcheck.store import fts
from factcheck.store import search as search_module
from factcheck.store.db import open_db, save_extraction
from factcheck.store.export import verdicted_claims
from factcheck.store.search import (
    FINAL_VERDICT_SQL,
    Query,
    build_sql,
    explain,
    list_verdicts,
    make_query,
    parse_unit,
    search,
    time_overlaps,
    time_span,
)
from factcheck.store.verdicts import final_verdict

from .factories import annotation, task

# Short articles written for these tests.
ZH = ("据海关统计，2019年9月伊朗石油出口降至每日不足20万桶。\n\n"
      "2018年5月，美国宣布退出伊核协议并恢复对伊朗的制裁。\n\n"
      "伊朗的石油产量在2020年有所回升，但出口仍低于100万桶/日。\n\n"
      "欧佩克（OPEC）预计，2024年全球石油需求将增长约220万桶/日。\n\n"
      "笔者认为，制裁的效果被严重夸大了。")
EN = ("Norway exported 1.8 million barrels of crude oil per day in 2023, the energy ministry said.\n\n"
      "Exports of liquefied natural gas rose 12% to 120 billion cubic metres in 2022.\n\n"
      "The central bank cut its interest rate to 4.5% in March 2024.\n\n"
      "Unemployment stayed between 3% and 4% from 2015 to 2018.\n\n"
      "I think the new pipeline is a terrible idea.")
SAUDI = "沙特阿美公司表示，2019年其原油日产量约为980万桶。"


def claim_with(claims, fragment):
    return next(c for c in claims if fragment in c.text)


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """One store: a Chinese and an English article with URLs, a Chinese text file, verdicts."""
    path = tmp_path_factory.mktemp("search") / "kb.db"
    db = open_db(path)
    claims = []
    for text, title, url, published in [
        (ZH, "伊朗石油出口", "https://news.example.cn/iran-oil", "2019-10-02"),
        (EN, "Norway energy", "https://energy.example.com/norway", "2024-04-01"),
    ]:
        article = parse_json(json.dumps({"text": text, "title": title, "url": url, "published": published},
                                        ensure_ascii=False), "feed.json")[0]
        found = extract_article(article)
        save_extraction(db, article, found)
        claims += found
    saudi = parse_text(SAUDI, "reports/saudi.txt", "txt")
    found = extract_article(saudi)
    save_extraction(db, saudi, found)
    claims += found
    c = {
        "exports": claim_with(claims, "石油出口降至"), "sanctions": claim_with(claims, "退出伊核协议"),
        "output": claim_with(claims, "石油产量"), "below": claim_with(claims, "低于100万桶"),
        "opec": claim_with(claims, "石油需求"), "opinion": claim_with(claims, "夸大"),
        "norway": claim_with(claims, "Norway exported"), "lng": claim_with(claims, "liquefied"),
        "rate": claim_with(claims, "interest rate"), "jobs": claim_with(claims, "Unemployment"),
        "saudi": claim_with(claims, "沙特阿美"),
    }
    assert not c["opinion"].is_claim and c["jobs"].quantities[0].low == 3
    report = import_export(db, [
        task(1, c["exports"],  # refuted 2:0; the deleted "supported" below must not count
             annotation(11, "a@x", "refuted", "2024-09-01T10:00:00Z",
                        ["https://customs.example.cn/2019-09 | 海关月度数据 customs bulletin"]),
             annotation(12, "b@x", "refuted", "2024-09-02T10:00:00Z", ["https://customs.example.cn/2019-09"]),
             annotation(13, "d@x", "supported", "2024-09-03T10:00:00Z")),
        task(2, c["norway"],  # a tie: the most recent annotation (misleading) wins
             annotation(21, "a@x", "supported", "2024-09-05T10:00:00Z"),
             annotation(22, "b@x", "misleading", "2024-09-06T10:00:00Z", ["https://stats.example.no/oil"])),
        task(3, c["opinion"], annotation(31, "c@x", "not a claim", "2024-09-04T10:00:00Z")),
    ])
    assert report.verdicts == 6
    with db.conn:
        db.conn.execute("update verdicts set deleted_at = '2024-09-10T00:00:00Z' where annotation_id = 13")
        # An imported ClaimReview verdict, as the importers write it (negative id, own source).
        db.conn.execute(
            "insert into verdicts (annotation_id, claim_id, verdict, annotator, created_at, updated_at, pulled_at, "
            "source, rating, review_url, external_id) values (-7, ?, 'misleading', 'Example Checks', "
            "'2024-09-08T00:00:00Z', '2024-09-08T00:00:00Z', '2024-09-09T00:00:00Z', 'claimreview', 'Half true', "
            "'https://checks.example.org/lng', 'cr-1')", [c["lng"].claim_id])
        db.conn.execute("insert into evidence (annotation_id, idx, claim_id, url, note) values "
                        "(-7, 0, ?, 'https://lng.example.org/2022', 'terminal throughput table')",
                        [c["lng"].claim_id])
        db.conn.execute("update claims set model_version = 'cw-test' where id = ?", [c["rate"].claim_id])
        fts.reindex(db, [c["lng"].claim_id])
    return path, db, c


def ids(rows):
    return [r["claim_id"] for r in rows]


def texts(rows):
    return [r["text"] for r in rows]


# --- full text -------------------------------------------------------------------------

def test_two_character_chinese_word_finds_longer_compounds(kb):
    _, db, c = kb
    assert c["exports"].claim_id in ids(search(db, "石油"))  # 石油出口
    assert c["exports"].claim_id in ids(search(db, "出口"))
    assert c["saudi"].claim_id in ids(search(db, "原油"))  # 原油日产量
    assert search(db, "天然气") == []


def test_english_words_match_their_other_forms(kb):
    _, db, c = kb
    for query in ("export", "exports", "exporting", "EXPORTED"):
        assert {c["norway"].claim_id, c["lng"].claim_id} <= set(ids(search(db, query))), query
    assert c["norway"].claim_id in ids(search(db, "barrel"))
    assert c["lng"].claim_id in ids(search(db, "liquef"))  # prefix of the last word
    assert search(db, "gasoline") == []


def test_mixed_chinese_and_english_query(kb):
    _, db, c = kb
    assert ids(search(db, "OPEC 石油")) == [c["opec"].claim_id]  # OPEC is in the sentence, 石油 in both
    assert search(db, "Norway 石油") == []


def test_operators_phrases_and_exclusion(kb):
    _, db, c = kb
    either = set(ids(search(db, "Norway OR 沙特")))
    assert either == {c["norway"].claim_id, c["saudi"].claim_id}
    assert c["output"].claim_id not in ids(search(db, "石油 -产量"))
    assert c["exports"].claim_id in ids(search(db, "石油 -产量"))
    assert all("伊朗" not in r["sentence"] for r in search(db, "-伊朗", limit=None))
    assert ids(search(db, '"石油出口"')) == [c["exports"].claim_id]  # an exact substring
    assert search(db, '"oil crude"') == []  # words out of order


def test_user_punctuation_never_raises(kb):
    _, db, _ = kb
    odd = ['"', "(", ")", "*", "-", "AND", "OR", "NOT", '"石油', "oil*", "-oil", "words:oil", "chars:石",
           "NEAR(oil gas)", "^oil", "oil AND", "AND OR NOT", "{words}: x", "'", "\\", "石油)(", "'; drop table x",
           "“石油”", "－伊朗", "oil -", '""', "石油 OR", "a:b:c*"]
    for query in odd:
        assert isinstance(search(db, query), list), query
    random.seed(5)
    pieces = list('"()*-+:^{}[]., |&') + ["AND", "OR", "NOT", "NEAR", "石", "油", "oil", "x", "“", "－", "\x00"]
    for _ in range(300):
        search(db, "".join(random.choice(pieces) for _ in range(random.randint(1, 10))), limit=1)


def test_better_matches_rank_first(kb):
    _, db, c = kb
    rows = search(db, "石油出口")
    assert rows[0]["claim_id"] == c["exports"].claim_id  # the run in a row beats 石油…出口 apart
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(a["score"] >= b["score"] for a, b in zip(rows, rows[1:]))
    assert search(db, "oil exports")[0]["claim_id"] == c["norway"].claim_id


def test_evidence_notes_are_searchable(kb):
    _, db, c = kb
    assert ids(search(db, "bulletin")) == [c["exports"].claim_id]
    assert ids(search(db, "throughput")) == [c["lng"].claim_id]


def test_rejected_candidates_only_on_request(kb):
    _, db, c = kb
    assert c["opinion"].claim_id not in ids(search(db, "制裁"))
    assert c["opinion"].claim_id in ids(search(db, "制裁", include_rejected=True))
    rows = search(db, "制裁", kind="opinion")  # 笔者认为 shares the sentence
    assert rows[0]["claim_id"] == c["opinion"].claim_id and {r["kind"] for r in rows} == {"opinion"}


# --- filters -------------------------------------------------------------------------

def test_final_verdict_filter_uses_the_majority_of_live_annotations(kb):
    _, db, c = kb
    assert ids(search(db, verdict="refuted")) == [c["exports"].claim_id]
    assert search(db, verdict="supported") == []  # the deleted annotation does not count; the tie went on
    assert set(ids(search(db, verdict="misleading"))) == {c["norway"].claim_id, c["lng"].claim_id}
    row = search(db, "石油出口", verdict="refuted")[0]
    assert row["verdict"] == "refuted" and row["votes"] == {"refuted": 2} and row["annotators"] == ["a@x", "b@x"]


def test_each_filter_narrows(kb):
    _, db, c = kb
    everything = set(ids(search(db, limit=None)))
    cases = {
        "lang": ({"lang": "en"}, {"norway", "lng", "rate", "jobs"}),
        "article id prefix": ({"article": c["saudi"].article_id[:6]}, {"saudi"}),
        "article title": ({"article": "norway ENERGY"}, {"norway", "lng", "rate", "jobs"}),
        "article path": ({"article": "saudi.txt"}, {"saudi"}),
        "article source": ({"source": "news.example.cn"}, {"exports", "sanctions", "output", "below", "opec"}),
        "source path": ({"source": "reports/"}, {"saudi"}),
        "verdict source": ({"source": "claimreview"}, {"lng"}),
        "entity, any case": ({"entity": "norway"}, {"norway"}),
        "entity zh": ({"entity": "欧佩克"}, {"opec"}),
        "kind": ({"kind": "temporal"}, {"sanctions", "output"}),
        "annotator": ({"annotator": "b@x"}, {"exports", "norway"}),
        "model version": ({"model_version": "cw-test"}, {"rate"}),
        "barrels a day above 1.5 million": ({"unit": "oil_barrel/day", "min_value": 1.5e6}, {"norway", "opec"}),
        "surface form": ({"unit": "桶/日", "max_value": 500000}, {"exports"}),
        "unit without rate": ({"unit": "oil_barrel", "min_value": 5e6}, {"saudi"}),
        "range overlaps": ({"unit": "percent", "min_value": 3.5, "max_value": 3.6}, {"jobs"}),
        "value in range": ({"unit": "percent", "min_value": 10, "max_value": 20}, {"lng"}),
        "since/until": ({"since": "2019-06", "until": "2019-12"}, {"exports", "saudi"}),  # 2019-09 and 2019
        "until": ({"until": "2018-12"}, {"sanctions", "jobs"}),  # 2018-05 and 2015/2018
        "interval": ({"since": "2017", "until": "2017"}, {"jobs"}),
        "since": ({"since": "2023-06"}, {"opec", "norway", "rate"}),
        "reviewed since": ({"reviewed_since": "2024-09-05"}, {"norway", "lng"}),
        "reviewed until": ({"reviewed_until": "2024-09-02"}, {"exports"}),
    }
    for name, (filters, expected) in cases.items():
        found = set(ids(search(db, limit=None, **filters)))
        assert found == {c[k].claim_id for k in expected}, name
        assert found < everything, name
    assert ids(search(db, "石油", lang="zh", since="2024")) == [c["opec"].claim_id]  # filters and text combine


def test_without_query_lists_newest_article_first(kb):
    _, db, c = kb
    rows = search(db, kind="quote")  # OPEC's forecast is a quote: who forecast it is checkable (issue 21)
    assert ids(rows) == [c["saudi"].claim_id, c["norway"].claim_id, c["exports"].claim_id, c["opec"].claim_id]
    assert all(r["score"] is None for r in rows) and [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert len(search(db, limit=2)) == 2


def test_rows_carry_what_an_analyst_reads(kb):
    _, db, c = kb
    row = search(db, "Norway")[0]
    assert row["claim_id"] == c["norway"].claim_id and row["lang"] == "en" and row["kind"] == "quote"
    assert row["article_title"] == "Norway energy" and row["article_url"] == "https://energy.example.com/norway"
    assert row["times"][0]["value"] == "2023"
    assert row["quantities"][0]["unit"] == "oil_barrel" and row["quantities"][0]["per"] == "day"
    assert {"text": "Norway", "label": "GPE"} in row["entities"]
    assert row["evidence"] == [{"url": "https://stats.example.no/oil", "note": ""}]
    assert row["verdict"] == "misleading" and row["score"] > 0


def test_bad_filters_are_input_errors_with_codes(kb):
    _, db, _ = kb
    for filters, code in [({"since": "2019-13"}, "F601"), ({"until": "last year"}, "F601"),
                          ({"unit": "barrelz"}, "F602"), ({"min_value": 5, "max_value": 1}, "F603"),
                          ({"since": "2020", "until": "2019"}, "F603"), ({"limit": 0}, "F604"),
                          ({"verdict": "refuteed"}, "F605"), ({"kind": "numerics"}, "F606"),
                          ({"lang": "fr"}, "F606")]:
        with pytest.raises(InputError) as info:
            search(db, **filters)
        assert info.value.code == code and code in CODES, filters
    with pytest.raises(InputError, match="did you mean refuted"):
        search(db, verdict="refuteed")
    with pytest.raises(TypeError, match="unknown filter"):
        search(db, colour="red")


# --- verdicts --------------------------------------------------------------------------

def test_list_verdicts_newest_review_first_with_evidence(kb):
    _, db, c = kb
    rows = list_verdicts(db)
    assert ids(rows) == [c["lng"].claim_id, c["norway"].claim_id, c["opinion"].claim_id, c["exports"].claim_id]
    assert [r["reviewed_at"][:10] for r in rows] == ["2024-09-08", "2024-09-06", "2024-09-04", "2024-09-02"]
    exports = rows[3]
    assert exports["evidence"] == [
        {"url": "https://customs.example.cn/2019-09", "note": "海关月度数据 customs bulletin"}]
    assert rows[0]["reviews"][0]["review_url"] == "https://checks.example.org/lng"
    assert rows[0]["verdict_sources"] == ["claimreview"]
    assert ids(list_verdicts(db, lang="zh", verdict="refuted")) == [c["exports"].claim_id]
    assert ids(list_verdicts(db, "石油")) == [c["exports"].claim_id]
    assert ids(list_verdicts(db, limit=1)) == [c["lng"].claim_id]


def test_export_rows_come_from_the_same_query(kb):
    _, db, c = kb
    rows = verdicted_claims(db)
    assert [r["claim_id"] for r in rows] == ids(list_verdicts(db))
    lng = rows[0]
    assert lng["review_url"] == "https://checks.example.org/lng" and lng["reviewed_by"] == "Example Checks"
    assert rows[1]["claimant"] == "the energy ministry" and rows[1]["verdict"] == "misleading"
    assert rows[1]["review_url"] is None and rows[1]["reviewed_by"] is None  # Label Studio verdicts only


def final_in_sql(conn, claim_id):
    return conn.execute(f"select {FINAL_VERDICT_SQL} from (select ? as id) c", [claim_id]).fetchone()[0]


def test_final_verdict_in_sql_agrees_with_export_final_verdict():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table verdicts (annotation_id integer primary key, claim_id text, verdict text, "
                 "annotator text, created_at text, updated_at text, pulled_at text, deleted_at text)")
    rng = random.Random(7)
    for claim in range(400):
        rows = []
        for _ in range(rng.randint(1, 6)):
            rows.append({
                "annotation_id": rng.randint(-10**6, 10**6), "claim_id": str(claim),
                "verdict": rng.choice(["supported", "refuted", "misleading", "not a claim"]),
                "annotator": rng.choice(["a", "b", "c", None]),
                "created_at": rng.choice([None, "2024-01-01", "2024-01-02"]),
                "updated_at": rng.choice([None, None, "2024-01-02", "2024-01-03T00:00:00Z"]),
                "pulled_at": "2024-02-01", "deleted_at": rng.choice([None, None, None, "2024-02-02"]),
            })
        rows = list({r["annotation_id"]: r for r in rows}.values())
        conn.executemany("insert into verdicts values (:annotation_id, :claim_id, :verdict, :annotator, "
                         ":created_at, :updated_at, :pulled_at, :deleted_at)", rows)
        assert final_in_sql(conn, str(claim)) == final_verdict(rows)[0], rows


# --- indexes ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, query, index", [
    ("text", Query(text="石油出口"), "VIRTUAL TABLE INDEX"),
    ("verdict", Query(verdict="refuted"), "USING INDEX idx_verdicts_verdict (verdict=?)"),
    ("unit and value", Query(unit="oil_barrel/day", min_value=1e6),
     "USING INDEX idx_quantities_unit_value (unit=? AND value>?)"),
    ("entity", Query(entity="Norway"), "USING INDEX idx_entities_text_nocase (text=?)"),
    ("since", Query(since="2019-06", until="2019-12"), "USING INDEX idx_times_value_end"),
    ("until", Query(until="2019"), "USING INDEX idx_times_value (value<?)"),
    ("annotator", Query(annotator="a@x"), "USING INDEX idx_verdicts_annotator (annotator=?)"),
    ("text, top 20", Query(text="石油出口", limit=20), "VIRTUAL TABLE INDEX"),
    ("newest reviews", Query(order="reviewed", verdict="refuted", include_rejected=True, limit=50),
     "USING INDEX idx_verdicts_reviewed"),
    ("reviewed until", Query(order="reviewed", reviewed_until="2024-09-04", limit=5),
     "USING INDEX idx_verdicts_reviewed (<expr><?)"),
])
def test_main_queries_use_an_index(kb, name, query, index):
    _, db, _ = kb
    lines = explain(db, query)
    assert any(index in line for line in lines), lines
    assert not {"SCAN c", "SCAN claims", "SCAN t", "SCAN q", "SCAN e", "SCAN v"} & set(lines), lines  # no full scan


def test_filters_of_candidates_look_up_each_claim_by_its_id(kb):
    """Not by the filter's own index: that would read every row with the value, per candidate
    (the planner picks it in a store without ANALYZE statistics)."""
    _, db, _ = kb
    query = Query(text="oil", verdict="refuted", annotator="a@x", entity="Norway", since="2019",
                  unit="oil_barrel/day", min_value=1e6, source="claimreview", limit=5)
    lines = explain(db, query)
    lookups = [line for line in lines if line.startswith(("SEARCH v ", "SEARCH e ", "SEARCH t ", "SEARCH q "))]
    assert len(lookups) >= 6 and all("(claim_id=?)" in line for line in lookups), lines


# --- two phases ----------------------------------------------------------------------

def promised_hits(conn, query):
    """What the two phases promise: a query with a words-only form (a one-word Chinese term
    without its character phrase, an English prefix as the whole word) ranked by that form
    when it finds ``limit`` hits; otherwise, and always in review order, the statement's rows."""
    sql, params = build_sql(query)
    words_only = fts.parse_query(query.text).words_only if query.text else None
    if words_only and query.order == "rank":
        by_words = conn.execute(sql, {**params, "match": words_only}).fetchall()
        if len(by_words) >= query.limit:
            return by_words
    return conn.execute(sql, params).fetchall()


TWO_PHASE_QUERIES = [
    ("oil", {}), ("exports", {}), ("rate OR oil", {}), ("export -gas", {}), ("石油出口", {}), ('"石油"', {}),
    ("oil", {"lang": "en"}), ("barrels", {"unit": "oil_barrel/day", "min_value": 1.5e6}),
    ("export", {"verdict": "misleading"}), ("export", {"source": "claimreview"}), ("oil", {"annotator": "b@x"}),
    ("oil", {"entity": "norway"}), ("export", {"since": "2019"}), ("export", {"include_rejected": True}),
    ("oil", {"kind": "quote"}), ("oil", {"reviewed_since": "2024-09-05"}),
    (None, {"order": "reviewed"}), (None, {"order": "reviewed", "verdict": "refuted"}),
    (None, {"order": "reviewed", "lang": "zh"}), ("石油", {"order": "reviewed"}), ("-伊朗", {"order": "reviewed"}),
    (None, {"order": "reviewed", "reviewed_since": "2024-09-05"}),
    (None, {"order": "reviewed", "reviewed_until": "2024-09-04"}),
    (None, {"order": "reviewed", "annotator": "a@x"}), (None, {"order": "reviewed", "source": "claimreview"}),
]


@pytest.mark.parametrize("passes", [{"rank": (1,), "reviewed": (1,)}, {"rank": (2,), "reviewed": (1, 2, 4)}, None])
def test_two_phases_return_the_rows_of_the_single_statement(kb, monkeypatch, passes):
    _, db, _ = kb
    if passes:  # tiny passes, so that batches, further passes and the fallback all happen on a small store
        monkeypatch.setattr(search_module, "CANDIDATE_PASSES", passes)
        monkeypatch.setattr(search_module, "MIN_CANDIDATES", 1)
    monkeypatch.setattr(search_module, "TEXT_FIRST", 0)
    conn = search_module.prepare(db)
    two_phased = 0
    for text, filters in TWO_PHASE_QUERIES:
        for limit in (1, 2, 3, 5, 50):
            query = make_query(text, limit=limit, **{"include_rejected": True, **filters})
            hits = search_module._two_phase_hits(conn, query)
            assert hits is None or hits == promised_hits(conn, query), (text, filters, limit)
            two_phased += hits is not None
            expected = hits if hits is not None else conn.execute(*build_sql(query)).fetchall()
            assert [r["claim_id"] for r in search_module.run(db, query)] == [h[0] for h in expected]
    assert two_phased >= len(TWO_PHASE_QUERIES) * 3


def test_an_english_prefix_is_first_ranked_as_the_whole_word():
    match = fts.parse_query("oil exports")
    assert match.match == '(words : "oil" * AND words : "exports" *)'
    assert match.words_only == '(words : "oil" AND words : "exports")'
    assert fts.parse_query("GDP 2019").words_only == '(words : "GDP" AND words : "2019")'
    assert fts.parse_query("us 50").words_only is None  # no prefix: short words and numbers are exact


def test_a_common_chinese_word_is_ranked_by_the_word_alone(kb):
    _, db, _ = kb
    match = fts.parse_query("石油")
    assert match.words_only == '(words : "石油")' and fts.parse_query("石油出口").words_only is None
    assert fts.parse_query("石油 -伊朗").words_only == '((words : "石油")) NOT (((words : "伊朗" OR chars : "伊 朗")))'
    weights = ", ".join(str(w) for w in fts.BM25_WEIGHTS)
    ranked = (f"select k.claim_id, bm25(claims_fts, {weights}) from claims_fts join claim_keys k on "
              "k.key = claims_fts.rowid where claims_fts match ? order by 2, k.key")
    by_word = db.execute(ranked, [match.words_only]).fetchall()
    assert 1 < len(by_word) < 50
    rows = search(db, "石油", limit=1, include_rejected=True)
    assert [(r["claim_id"], r["score"]) for r in rows] == [(by_word[0][0], round(-by_word[0][1], 6))]
    # More wanted than the word finds: the whole query, character phrases too, as one statement ranks it.
    everything = db.execute(ranked, [match.match]).fetchall()
    rows = search(db, "石油", limit=50, include_rejected=True)
    assert [(r["claim_id"], r["score"]) for r in rows] == [(cid, round(-score, 6)) for cid, score in everything]


def test_equal_scores_go_in_the_order_the_claims_were_stored(tmp_path):
    db = open_db(tmp_path / "ties.db")
    db["articles"].insert({"id": "a1", "doc_key": "ties", "version": 1, "text": "Oil exports fell."})
    for claim_id in ("c3", "c1", "c2"):  # stored in this order, so keys 1, 2, 3
        db["claims"].insert({"id": claim_id, "article_id": "a1", "text": "Oil exports fell.", "lang": "en",
                             "kind": "numeric", "is_claim": 1})
        db.execute("insert into claim_keys (claim_id) values (?)", [claim_id])
    fts.reindex(db)
    rows = search(db, "oil exports", limit=None)
    assert [r["claim_id"] for r in rows] == ["c3", "c1", "c2"] and len({r["score"] for r in rows}) == 1
    assert [r["claim_id"] for r in search(db, "oil exports", limit=2)] == ["c3", "c1"]


# --- a broad query ranks its newest hits (issue 5) --------------------------------------

# Stored in this order (claim keys 1-7); c1 and c2 are quotes and rank best for "oil".
WINDOW_CLAIMS = [
    ("c1", "quote", "Oil, oil and more oil: exports fell."),
    ("c2", "quote", "Oil exports fell."),
    ("c3", "numeric", "Oil exports fell sharply in the last year of the decade."),
    ("c4", "numeric", "Oil exports rose again this year, the energy ministry said on Monday."),
    ("c5", "numeric", "Oil exports fell to a record low in the month of March, the customs office said."),
    ("c6", "numeric", "Crude oil output and exports of refined products both rose in the second quarter."),
    ("c7", "numeric", "Gas exports fell."),
]


@pytest.fixture
def window_db(tmp_path, monkeypatch):
    db = open_db(tmp_path / "window.db")
    db["articles"].insert({"id": "a1", "doc_key": "window", "version": 1, "text": "Oil."})
    for claim_id, kind, text in WINDOW_CLAIMS:
        db["claims"].insert({"id": claim_id, "article_id": "a1", "text": text, "lang": "en", "kind": kind,
                             "is_claim": 1})
        db.execute("insert into claim_keys (claim_id) values (?)", [claim_id])
    fts.reindex(db)
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    return db


def windowed_ranking(db, text, limit, **filters):
    """What search() promises: with more than RANK_WINDOW text hits, the best-ranked hits among
    the newest RANK_WINDOW of them, unless fewer than ``limit`` of those pass the filters."""
    everything = db.execute(*build_sql(make_query(text, **filters))).fetchall()
    keys = dict(db.execute("select claim_id, key from claim_keys").fetchall())
    found = [k for (k,) in db.execute("select rowid from claims_fts where claims_fts match ? order by rowid desc",
                                      [fts.parse_query(text).match])]
    window = set(found[:search_module.RANK_WINDOW])
    newest = [h[0] for h in everything if keys[h[0]] in window]
    best = newest if len(found) > search_module.RANK_WINDOW and len(newest) >= limit else [h[0] for h in everything]
    return best[:limit]


@pytest.mark.issue(5)
def test_a_broad_query_ranks_the_best_of_its_newest_hits_and_says_so(window_db, caplog):
    oil = [r["claim_id"] for r in search(window_db, "oil", limit=None)]
    assert oil[:2] == ["c1", "c2"] and len(oil) == 6  # every hit ranked without a limit
    assert "ranked the newest" not in caplog.text
    rows = search(window_db, "oil", limit=2)
    assert [r["claim_id"] for r in rows] == windowed_ranking(window_db, "oil", 2) == ["c4", "c6"]
    assert "matches more than 3 claims: ranked the newest 3 of them" in caplog.text
    # The scores are those of the full ranking, only the older hits are left out.
    everything = {r["claim_id"]: r["score"] for r in search(window_db, "oil", limit=None)}
    assert all(r["score"] == everything[r["claim_id"]] for r in rows)


@pytest.mark.issue(5)
def test_a_query_with_few_hits_ranks_them_all(window_db, caplog):
    for text in ("sharply", "oil exports rose", "gas"):  # 1, 2 and 1 hits: no more than RANK_WINDOW
        assert ids(search(window_db, text, limit=2)) == ids(search(window_db, text, limit=None))[:2]
    assert "ranked the newest" not in caplog.text


@pytest.mark.issue(5)
@pytest.mark.parametrize("passes", [{"rank": (1,), "reviewed": (1,)}, None])
def test_filters_that_keep_too_few_of_the_newest_hits_rank_them_all(window_db, monkeypatch, passes, caplog):
    if passes:  # the filters run in one statement after the first candidates
        monkeypatch.setattr(search_module, "CANDIDATE_PASSES", passes)
        monkeypatch.setattr(search_module, "MIN_CANDIDATES", 1)
    assert ids(search(window_db, "oil", limit=2, kind="quote")) == ["c1", "c2"]  # both outside the window
    assert "ranked the newest" not in caplog.text
    for text in ("oil", "exports", "oil OR gas", "export -gas", "fell"):
        for filters in ({}, {"kind": "numeric"}, {"kind": "quote"}):
            for limit in (1, 2, 3, 5):
                assert ids(search(window_db, text, limit=limit, **filters)) == \
                    windowed_ranking(window_db, text, limit, **filters), (text, filters, limit)


def test_no_rank_window_ranks_every_hit(window_db, monkeypatch):
    monkeypatch.setattr(search_module, "RANK_WINDOW", None)
    assert ids(search(window_db, "oil", limit=2)) == ["c1", "c2"]


@pytest.mark.issue(5)
def test_rank_all_ranks_every_hit_of_one_query(window_db, caplog):
    assert ids(search(window_db, "oil", limit=2, rank_all=True)) == ["c1", "c2"]
    assert "ranked the newest" not in caplog.text
    assert ids(search(window_db, "oil", limit=2)) == ["c4", "c6"]  # the window still applies to the next
    assert "or rank them all (--rank-all)" in caplog.text
    window_db.conn.commit()
    db_path = window_db.conn.execute("pragma database_list").fetchone()[2]
    ranked_all = run("search", "oil", "--db", db_path, "--limit", "2", "--format", "jsonl", "--rank-all")
    assert [json.loads(line)["claim_id"] for line in ranked_all.stdout.splitlines()] == ["c1", "c2"], ranked_all.output


# --- the pure parts ------------------------------------------------------------------

def test_time_values_are_ranges_that_overlap():
    assert time_span("2019") == ("2019-01-01", "2019-12-31")
    assert time_span("2024-02") == ("2024-02-01", "2024-02-29")
    assert time_span("2024-Q3") == ("2024-07-01", "2024-09-30")
    assert time_span("2025-W20") == ("2025-05-12", "2025-05-18")
    assert time_span("195X") == ("1950-01-01", "1959-12-31") and time_span("20XX")[1] == "2099-12-31"
    assert time_span("2015/2018") == ("2015-01-01", "2018-12-31")
    assert time_span("2019-09/2019-12") == ("2019-09-01", "2019-12-31")
    assert time_span("2019-02-30") is None and time_span("soon") is None and time_span(None) is None
    assert time_overlaps("2019", "2019-06-01", "9999-12-31")  # 2019 is within --since 2019-06
    assert not time_overlaps("2019-05", "2019-06-01", "9999-12-31")
    assert time_overlaps("195X", "1955-01-01", "1955-12-31")


def test_units_by_canonical_name_rate_or_surface():
    assert parse_unit("oil_barrel/day") == ("oil_barrel", "day")
    assert parse_unit("oil_barrel") == ("oil_barrel", None)
    assert parse_unit("桶/日") == ("oil_barrel", "day") == parse_unit("bpd") == parse_unit("barrels a day")
    assert parse_unit("%") == ("percent", None) == parse_unit("percent")
    assert parse_unit("Barrels per day") == ("oil_barrel", "day")
    assert parse_unit("USD") == ("USD", None)


def test_query_text_becomes_safe_fts5_expressions():
    zh = fts.parse_query("石油")
    assert 'words : "石油"' in zh.match and 'chars : "石 油"' in zh.match
    en = fts.parse_query('oil "crude oil" -gas OR')
    assert en.match.startswith("(") and "NOT" in en.match and en.exclude is None
    assert fts.parse_query("-gas").match is None and fts.parse_query("-gas").exclude
    assert not fts.parse_query('"(*)"') and not fts.parse_query("AND OR NOT")
    sql, params = build_sql(make_query("石油", verdict="refuted", limit=5))
    assert ":match" in sql and params["limit"] == 5 and params["verdict"] == "refuted"


# --- the command line --------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_search_command_formats_parse(kb):
    path, _, c = kb
    out = run("search", "石油出口", "--db", str(path), "--format", "jsonl")
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows[0]["claim_id"] == c["exports"].claim_id and rows[0]["verdict"] == "refuted"
    assert {"claim_id", "text", "lang", "kind", "verdict", "article_title", "article_url", "times", "quantities",
            "entities", "evidence", "score", "rank"} <= set(rows[0])
    out = run("search", "--db", str(path), "--format", "csv", "--unit", "oil_barrel/day", "--min", "1500000")
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["claim_id"] for r in table} == {c["norway"].claim_id, c["opec"].claim_id}
    assert any("oil_barrel/day" in r["quantities"] for r in table)
    out = run("search", "oil", "exports", "--db", str(path))  # several words, table
    assert out.exit_code == 0 and "Norway" in out.stdout and "1 claims" in out.stderr
    out = run("search", "--db", str(path), "--unit", "barrelz")
    assert out.exit_code == 1 and out.stderr.startswith("Error: [F602]")
    out = run("search", "--db", str(path), "--", '-"(*', "AND")
    assert out.exit_code == 0


def test_verdicts_command_lists_newest_first_and_import_still_works(kb):
    path, _, c = kb
    out = run("verdicts", "--db", str(path), "--format", "jsonl")
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["claim_id"] for r in rows] == [c["lng"].claim_id, c["norway"].claim_id, c["opinion"].claim_id,
                                             c["exports"].claim_id]
    assert rows[-1]["evidence"][0]["url"] == "https://customs.example.cn/2019-09"
    out = run("verdicts", "--db", str(path), "--verdict", "refuted", "--format", "csv")
    assert [r["evidence"] for r in csv.DictReader(io.StringIO(out.stdout))] == ["https://customs.example.cn/2019-09"]
    out = run("verdicts", "--db", str(path), "--query", "Norway", "--format", "jsonl")
    assert [json.loads(line)["evidence"] for line in out.stdout.splitlines()] == [
        [{"url": "https://stats.example.no/oil", "note": ""}]]
    out = run("verdicts", "--db", str(path))
    assert out.exit_code == 0 and "misleading" in out.stdout and "4 checked claims" in out.stderr
    assert run("verdicts", "import", "--help").exit_code == 0


@pytest.mark.issue(19)
@pytest.mark.parametrize("words", [["--", "-伊朗", "石油"], ["-伊朗", "石油"], ["石油", "-伊朗"]],
                         ids=["after --", "first", "later"])
def test_a_leading_minus_word_is_a_search_term_not_an_option(kb, words):
    path, _, c = kb
    out = run("search", "--db", str(path), "--format", "jsonl", "--all", *words)
    assert out.exit_code == 0, out.output
    found = {json.loads(line)["claim_id"] for line in out.stdout.splitlines()}
    assert c["opec"].claim_id in found and c["exports"].claim_id not in found
    # An option value may still start with -, and a misspelt option is still an error.
    assert run("search", "-word", "--min", "-5", "--db", str(path)).exit_code == 0
    assert run("search", "oil", "--limt", "3", "--db", str(path)).exit_code == 2


@pytest.mark.issue(19)
def test_a_30_kb_query_is_refused_at_once_with_an_f_code(kb):
    path, db, _ = kb
    pasted = (ZH * 200)[:30_000]
    with pytest.raises(InputError) as refused:
        search(db, pasted)
    assert refused.value.code == "F607" and "factcheck match" in str(refused.value)
    out = run("search", pasted, "--db", str(path))
    assert out.exit_code == 1 and out.stderr.startswith("Error: [F607]")
    assert search(db, ZH[:900]) is not None  # a long query under the limit still runs

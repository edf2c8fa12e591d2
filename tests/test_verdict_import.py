"""Verdicts from outside (issue 5): ClaimReview, AVeriTeC and LIAR readers, the import, and
the export of what was imported, on real stores and real files.

The fixtures in tests/data/verdicts_* are invented for these tests; the tests at the end
read the real data sets in ../shared/datasets when they are there.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli
from factcheck.errors import CODES, AnnotationError
from factcheck.extraction.ingest import parse_json, parse_text
from factcheck.extraction.pipeline import extract_article
from factcheck.review.labelstudio import import_export
from factcheck.store.db import open_db, save_extraction
from factcheck.store.export import to_claimreview, verdicted_claims, write_claimreview
from factcheck.store.verdict_import import (
    RATING_VERDICTS,
    VERDICTS,
    ExternalVerdict,
    annotation_id_for,
    claim_for,
    detect_format,
    import_file,
    import_verdicts,
    map_rating,
    read_averitec,
    read_claimreview,
    read_liar,
)

DATA = Path(__file__).resolve().parent / "data"
CLAIMREVIEW = DATA / "verdicts_claimreview.json"
CLAIMREVIEW_JSONL = DATA / "verdicts_claimreview.jsonl"
AVERITEC = DATA / "verdicts_averitec.json"
LIAR = DATA / "verdicts_liar.tsv"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"

pytestmark = pytest.mark.issue(5)


def good(records):
    return [r for r in records if isinstance(r, ExternalVerdict)]


def bad(records):
    return [r for r in records if isinstance(r, AnnotationError)]


# ---------------------------------------------------------------------------- ratings


def test_mapping_table():
    assert set(RATING_VERDICTS.values()) == set(VERDICTS)
    cases = {
        # ClaimReview alternateName, as fact-checkers write it
        "True": "supported", "Mostly true": "supported", "Correct": "supported",
        "False": "refuted", "Pants on Fire!": "refuted", "Fake": "refuted", "Four Pinocchios": "refuted",
        "Half-True": "misleading", "Mixture": "misleading", "Misleading": "misleading", "Cherry-picking": "misleading",
        "Mostly False": "misleading", "Missing context": "misleading",
        "Unproven": "unverifiable", "Unverified": "unverifiable",
        "Satire": "not a claim", "Not a claim": "not a claim",
        "错误": "refuted", "錯誤": "refuted", "部分错误": "misleading", "属实": "supported", "无法证实": "unverifiable",
        # AVeriTeC
        "Supported": "supported", "Refuted": "refuted", "Not Enough Evidence": "unverifiable",
        "Conflicting Evidence/Cherrypicking": "misleading",
        # LIAR
        "true": "supported", "mostly-true": "supported", "half-true": "misleading", "barely-true": "misleading",
        "false": "refuted", "pants-fire": "refuted",
        # the project's own (its ClaimReview export)
        "supported": "supported", "refuted": "refuted", "misleading": "misleading", "unverifiable": "unverifiable",
    }
    for rating, verdict in cases.items():
        assert map_rating(rating) == verdict, rating
    assert map_rating("  MOSTLY_TRUE. ") == "supported"
    # numeric fallback: position between worstRating and bestRating (defaults 1 and 5)
    assert map_rating(None, value=5) == "supported" and map_rating(None, value=1) == "refuted"
    assert map_rating(None, value=3) == "misleading"
    assert map_rating("Outdated", value="4", best="5", worst="1") == "supported"
    assert map_rating(None, value=0, best=10, worst=0) == "refuted"
    assert map_rating("Outdated") is None and map_rating(None, value=7) is None  # out of range
    assert map_rating(None, value=1, best=1, worst=1) is None and map_rating(None, value="n/a") is None


def test_negative_ids_are_stable_and_never_meet_label_studio_ids():
    ids = {annotation_id_for(source, str(i)) for source in ("claimreview", "averitec", "liar") for i in range(3000)}
    assert len(ids) == 9000 and all(i < 0 for i in ids)
    assert min(ids) >= -(16 ** 15)  # fits SQLite's 64-bit integer
    assert annotation_id_for("liar", "11972") == annotation_id_for("liar", "11972") != annotation_id_for("averitec",
                                                                                                        "11972")


# ---------------------------------------------------------------------------- readers


def test_read_claimreview_forms():
    records = list(read_claimreview(CLAIMREVIEW))
    verdicts = good(records)
    assert [v.claim_text for v in verdicts][:4] == [
        "Unemployment rose to 7.5% in 2020.", "The city planted 40,000 trees last year.",
        "Bus fares doubled between 2015 and 2023.", "The harbour tunnel has never closed for floods."]  # @graph
    first = verdicts[0]
    assert (first.rating, first.verdict, first.claimant, first.reviewer) == (
        "Mostly true", "supported", "Jane Doe", "Example Checks")
    assert first.review_url == "https://checks.example/2024/unemployment" and first.reviewed_at == "2024-03-02"
    assert first.appearance_url == "https://news.example/jane-doe-speech" and first.claim_date == "2024-02-28"
    assert first.lang == "en" and first.external_id.startswith("https://checks.example/2024/unemployment#")
    by_text = {v.claim_text: v for v in verdicts}
    assert by_text["The city planted 40,000 trees last year."].verdict == "refuted"
    assert by_text["Hospital waiting lists fell by 12% in 2023."].verdict == "refuted"  # ratingValue 1 of 1–5
    assert by_text["Hospital waiting lists fell by 12% in 2023."].rating == "1"
    assert by_text["The old bridge was built in 1890."].verdict is None  # "Outdated": unknown
    zh = by_text["该市2023年的人均可支配收入达到5.2万元。"]
    assert (zh.lang, zh.verdict, zh.reviewer, zh.claimant) == ("zh", "refuted", "示例核查", "该市统计局")
    assert by_text["El desempleo subió al 7,5% en 2020."].lang == "es"
    # two reviews on one page get their own ids
    graph = verdicts[2:4]
    assert graph[0].review_url == graph[1].review_url and graph[0].external_id != graph[1].external_id
    errors = bad(records)
    assert sorted(e.code for e in errors) == ["F704", "F706"]
    assert all(str(CLAIMREVIEW) in e.source for e in errors)
    assert "claimReviewed" in str(next(e for e in errors if e.code == "F704"))


def test_read_claimreview_jsonl_counts_a_bad_line():
    records = list(read_claimreview(CLAIMREVIEW_JSONL))
    assert [v.verdict for v in good(records)] == ["supported", "misleading"]
    (error,) = bad(records)
    assert error.code == "F702" and error.source.endswith("line 3") and "malformed JSON" in str(error)


def test_read_averitec():
    records = list(read_averitec(AVERITEC))
    rail, cars, mayor = good(records)
    assert rail.external_id == "verdicts_averitec:0" and rail.verdict == "supported"
    assert (rail.claimant, rail.claim_date, rail.appearance_url) == (
        "Transport Minister", "2021-03-14", "https://news.example/rail")
    assert rail.review_url == "https://checks.example/rail-passengers" and rail.reviewer is None
    assert rail.evidence == [
        ("https://stats.example/rail-2019", "Q: How many passengers did the rail network carry in 2019? "
                                            "A: 1.2 billion journeys"),
        ("https://stats.example/rail-2019-scope", "Q: Does the figure cover the whole network? A: Yes "
                                                  "(The report covers all operators.)"),
        (None, "The rail regulator's annual report gives 1.2 billion journeys for 2019."),
    ]
    assert cars.verdict == "misleading" and cars.evidence[0][0] == "https://archive.example/law-text"
    assert mayor.verdict == "unverifiable" and mayor.evidence[0] == (
        None, "Q: Is there a list of the mayor's school visits? A: No answer could be found.")
    assert [e.code for e in bad(records)] == ["F704", "F704", "F706"]


def test_read_liar_and_liar_plus_rows():
    records = list(read_liar(LIAR))
    verdicts = good(records)
    assert [(v.external_id, v.rating, v.verdict) for v in verdicts] == [
        ("90001", "half-true", "misleading"), ("90002", "pants-fire", "refuted"),
        ("90003", "mostly-true", "supported"), ("90006", "sort-of-true", None), ("90007", "barely-true", "misleading")]
    first = verdicts[0]
    assert first.claimant == "jane-doe" and first.reviewer == "PolitiFact" and first.lang == "en"
    assert first.evidence == [(None, "The statistics office puts the 2020 average at 7.1%, with a peak of 7.6% in "
                                     "one month.")]
    assert verdicts[1].evidence[0][1] == ('Roe said the state "has the lowest taxes." '
                                          'Twelve states\nhave lower tax burdens.')
    assert verdicts[-1].evidence == []  # original LIAR: no justification column
    errors = bad(records)
    assert [(e.code, e.source.rsplit(", ", 1)[1]) for e in errors] == [("F705", "line 5"), ("F704", "line 6")]


def test_detect_format_and_unreadable_files(tmp_path):
    assert detect_format(CLAIMREVIEW) == "claimreview" and detect_format(CLAIMREVIEW_JSONL) == "claimreview"
    assert detect_format(AVERITEC) == "averitec" and detect_format(LIAR) == "liar"
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"id": 1, "data": {"claim_id": "x"}, "annotations": []}]), "utf-8")
    assert detect_format(export) == "labelstudio"
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"@context": "https://schema.org", "@graph": []}), "utf-8")
    assert detect_format(single) == "claimreview"

    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps([{"title": "x", "text": "y"}]), "utf-8")
    with pytest.raises(AnnotationError) as unknown:
        detect_format(odd)
    assert unknown.value.code == "F701" and "ClaimReview" in str(unknown.value) and "--format" in str(unknown.value)
    csv_file = tmp_path / "table.csv"
    csv_file.write_text("a,b,c\n1,2,3\n", "utf-8")
    with pytest.raises(AnnotationError, match="LIAR") as unknown:
        detect_format(csv_file)
    assert unknown.value.code == "F701"

    broken = tmp_path / "broken.json"
    broken.write_text('[\n {"@type": "ClaimReview",\n  "claimReviewed": "x" oops}\n]', "utf-8")
    with pytest.raises(AnnotationError) as malformed:
        list(read_claimreview(broken))
    message = str(malformed.value)
    assert malformed.value.code == "F702" and "broken.json, line 3" in message and "column" in message
    assert "AVeriTeC" in message and "--format" in message
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes("1\tcaf\xe9".encode("latin-1"))
    with pytest.raises(AnnotationError) as encoding:
        list(read_liar(latin1))
    assert encoding.value.code == "F703"
    assert {"F701", "F702", "F703", "F704", "F705", "F706", "F707", "F708"} <= set(CODES)


# ---------------------------------------------------------------------------- storing


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "store.db")


def test_import_stores_claims_verdicts_and_evidence(db):
    report = import_file(db, AVERITEC)
    assert (report.read, report.stored, report.skipped) == (6, 3, 3)
    assert report.skipped_reasons == {f"[F704] {CODES['F704']}": 2, f"[F706] {CODES['F706']}": 1}
    assert report.verdicts == {"supported": 1, "misleading": 1, "unverifiable": 1} and len(report.errors) == 3
    rows = {r["external_id"]: r for r in db.query("select * from verdicts")}
    rail = rows["verdicts_averitec:0"]
    assert rail["annotation_id"] == annotation_id_for("averitec", "verdicts_averitec:0") < 0
    assert (rail["source"], rail["rating"], rail["verdict"], rail["claimant"]) == (
        "averitec", "Supported", "supported", "Transport Minister")
    assert rail["project_id"] is None and rail["task_id"] is None and rail["annotator"] == "averitec"
    assert rail["review_url"] == "https://checks.example/rail-passengers"
    article = db.execute("select doc_key, url, published, format, title, a.text from articles a join claims c "
                         "on c.article_id = a.id where c.id = ?", [rail["claim_id"]]).fetchone()
    assert article[:4] == ("averitec:verdicts_averitec:0", "https://news.example/rail", "2021-03-14", "averitec")
    assert article[4] == article[5] == "The national rail network carried 1.2 billion passengers in 2019."
    claim = db["claims"].get(rail["claim_id"])
    assert (claim["start"], claim["end"], claim["kind"], claim["checkworthiness"]) == (0, len(article[5]), "numeric",
                                                                                      None)
    evidence = list(db.query("select url, note from evidence where annotation_id = ? order by idx",
                             [rail["annotation_id"]]))
    assert [e["url"] for e in evidence] == ["https://stats.example/rail-2019", "https://stats.example/rail-2019-scope",
                                            None]
    # evidence notes are searchable
    key = db.execute("select key from claim_keys where claim_id = ?", [rail["claim_id"]]).fetchone()[0]
    assert key in [r[0] for r in db.execute("select rowid from claims_fts where claims_fts match 'regulator'")]


def test_imported_claims_get_quantities_times_and_entities(db):
    import_file(db, CLAIMREVIEW)
    claims = {r["text"]: r["id"] for r in db.query("select id, text from claims")}
    unemployment = claims["Unemployment rose to 7.5% in 2020."]
    quantity = db.execute("select value, unit from quantities where claim_id = ?", [unemployment]).fetchall()
    assert quantity == [(7.5, "percent")]
    assert db.execute("select value from times where claim_id = ?", [unemployment]).fetchall() == [("2020",)]
    assert db["claims"].get(unemployment)["kind"] == "numeric"
    # "last year" is resolved against the claim's date
    trees = claims["The city planted 40,000 trees last year."]
    assert db.execute("select value from times where claim_id = ?", [trees]).fetchall() == [("2023",)]
    assert db.execute("select value from quantities where claim_id = ?", [trees]).fetchall() == [(40000.0,)]
    zh = claims["该市2023年的人均可支配收入达到5.2万元。"]
    assert db["claims"].get(zh)["lang"] == "zh"
    assert db.execute("select value, unit from quantities where claim_id = ?", [zh]).fetchall() == [(52000.0, "CNY")]


def test_claim_for_uses_the_extractor_finders(nlp_en):
    verdict = ExternalVerdict("liar", "9", "Ohio cut income taxes by 10% in March 2019.", "en", claim_date="2019-06-01",
                              rating="true", verdict="supported")
    article, claim = claim_for(verdict, nlp_en(verdict.claim_text))
    assert article.text == article.title == claim.text == claim.sentence == verdict.claim_text
    n = len(verdict.claim_text)
    assert (claim.start, claim.end, claim.sentence_start, claim.sentence_end) == (0, n, 0, n)
    assert [(e.text, e.label) for e in claim.entities] == [("Ohio", "GPE")]
    assert [q.value for q in claim.quantities] == [10.0] and [t.value for t in claim.times] == ["2019-03"]
    assert claim.kind == "numeric" and claim.is_claim and claim.checkworthiness is None
    assert article.format == "liar" and article.published == "2019-06-01"


def test_import_report_counts_skips_and_unknown_ratings(db):
    report = import_file(db, CLAIMREVIEW)
    assert (report.read, report.stored, report.skipped) == (10, 7, 3)
    assert sorted(report.skipped_reasons.values()) == [1, 1, 1]
    assert any(k.startswith("[F707]") for k in report.skipped_reasons)  # the Spanish claim
    assert report.unknown_ratings == {"Outdated": 1}
    row = db.execute("select verdict, rating, problems from verdicts where rating = 'Outdated'").fetchone()
    assert row[0] is None and "Outdated" in row[2]
    report = import_file(db, LIAR)
    assert (report.read, report.stored, report.skipped, report.unknown_ratings) == (7, 5, 2, {"sort-of-true": 1})


def test_reimport_is_idempotent_and_an_edited_rating_updates(db, tmp_path):
    first = import_file(db, LIAR)
    counts = {t: db[t].count for t in ("articles", "claims", "verdicts", "evidence", "quantities", "claims_fts")}
    again = import_file(db, LIAR)
    assert (again.stored, again.updated, again.unchanged) == (0, 0, first.stored)
    assert {t: db[t].count for t in counts} == counts

    edited = tmp_path / "edited.tsv"
    edited.write_text(LIAR.read_text("utf-8").replace("\thalf-true\t", "\tfalse\t"), "utf-8")
    report = import_file(db, edited)
    assert (report.stored, report.updated, report.unchanged) == (0, 1, first.stored - 1)
    assert {t: db[t].count for t in counts} == counts
    row = db.execute("select rating, verdict from verdicts where external_id = '90001'").fetchone()
    assert row == ("false", "refuted")


def test_duplicates_in_a_file_keep_the_last(db):
    records = [ExternalVerdict("liar", "1", "Taxes rose 3% in 2021.", "en", rating="true", verdict="supported"),
               ExternalVerdict("liar", "1", "Taxes rose 3% in 2021.", "en", rating="false", verdict="refuted")]
    report = import_verdicts(db, records, fmt="liar")
    assert report.duplicates == 1 and db["verdicts"].count == 1
    assert db.execute("select verdict from verdicts").fetchone()[0] == "refuted"


def test_limit(db):
    report = import_file(db, LIAR, limit=2)
    assert report.read == 2 and db["verdicts"].count == 2


def test_label_studio_and_external_verdicts_live_side_by_side(db):
    article = parse_text("Unemployment rose to 7.5% in 2020.", "u.txt", "txt")
    claims = extract_article(article)
    save_extraction(db, article, claims)
    export = [{"id": 7, "project": 2, "data": {"claim_id": claims[0].claim_id, "sentence": claims[0].sentence},
               "annotations": [{"id": 1, "completed_by": {"email": "a@x"}, "result": [
                   {"from_name": "verdict", "to_name": "claim", "type": "choices",
                    "value": {"choices": ["refuted"]}}]}]}]
    assert import_export(db, export).verdicts == 1
    import_file(db, LIAR)
    import_file(db, CLAIMREVIEW)
    import_file(db, AVERITEC)
    ids = [r[0] for r in db.execute("select annotation_id from verdicts")]
    assert len(ids) == len(set(ids)) == 1 + 5 + 7 + 3
    assert [i for i in ids if i > 0] == [1]
    assert db.execute("select source from verdicts where annotation_id = 1").fetchone()[0] == "labelstudio"
    # the user's article is the same text as a LIAR claim: its own claims stay, the whole-text claim joins them
    rows = list(db.query("select c.id, format from claims c join articles a on a.id = c.article_id "
                         "where a.id = ?", [article.article_id]))
    assert {r["id"] for r in rows} >= {c.claim_id for c in claims}
    assert {r["format"] for r in rows} == {"txt"}
    assert db["articles"].get(article.article_id)["source"] == "u.txt"


def test_round_trip_of_our_own_claimreview_export(tmp_path):
    text = ("国家统计局局长康义表示，2023年全国粮食产量达到6.95亿吨。\n\n"
            "The refinery processed 450,000 barrels a day in 2024.")
    db = open_db(tmp_path / "a.db")
    article = parse_json(json.dumps({"text": text, "title": "粮食与炼油", "url": "https://news.example/a",
                                     "published": "2024-08-02"}, ensure_ascii=False), "a.json")[0]
    claims = [c for c in extract_article(article) if c.is_claim]
    save_extraction(db, article, claims)
    import_export(db, [{"id": i, "project": 1, "data": {"claim_id": c.claim_id, "sentence": c.sentence},
                        "annotations": [{"id": 10 + i, "completed_by": {"email": "a@x"},
                                         "updated_at": f"2024-09-0{i + 1}T10:00:00Z", "result": [
                                             {"from_name": "verdict", "to_name": "claim", "type": "choices",
                                              "value": {"choices": [verdict]}},
                                             {"from_name": "evidence", "to_name": "claim", "type": "textarea",
                                              "value": {"text": [f"https://evidence.example/{i} | source"]}}]}]}
                       for i, (c, verdict) in enumerate(zip(claims, ["refuted", "misleading"]))])
    out = io.StringIO()
    assert write_claimreview(verdicted_claims(db), out, publisher="Example Checks") == 2
    path = tmp_path / "export.json"
    path.write_text(out.getvalue(), "utf-8")
    exported = json.loads(out.getvalue())

    assert detect_format(path) == "claimreview"
    fresh = open_db(tmp_path / "b.db")
    report = import_file(fresh, path)
    assert (report.read, report.stored, report.skipped, report.unknown_ratings) == (2, 2, 0, {})
    again = [to_claimreview(r, publisher="someone else") for r in verdicted_claims(fresh)]
    key = lambda r: r["claimReviewed"]  # noqa: E731
    for before, after in zip(sorted(exported, key=key), sorted(again, key=key)):
        assert after["claimReviewed"] == before["claimReviewed"] and after["inLanguage"] == before["inLanguage"]
        assert after["url"] == before["url"] and after["datePublished"] == before["datePublished"]
        assert after["reviewRating"] == before["reviewRating"]
        assert after["author"] == before["author"] == {"@type": "Organization", "name": "Example Checks"}
        assert after["itemReviewed"].get("author") == before["itemReviewed"].get("author")
        assert after["itemReviewed"]["appearance"][0]["url"] == "https://news.example/a"
        assert after["itemReviewed"]["datePublished"] == "2024-08-02"
    assert report.verdicts == {"refuted": 1, "misleading": 1}
    # importing the export again changes nothing
    assert import_file(fresh, path).unchanged == 2


def test_export_of_imported_verdicts_keeps_review_url_reviewer_and_claimant(db):
    import_file(db, CLAIMREVIEW)
    rows = {r["claim"]: r for r in verdicted_claims(db)}
    review = to_claimreview(rows["Unemployment rose to 7.5% in 2020."])
    assert review["url"] == "https://checks.example/2024/unemployment"
    assert review["author"] == {"@type": "Organization", "name": "Example Checks"}
    assert review["itemReviewed"]["author"]["name"] == "Jane Doe"
    assert review["itemReviewed"]["appearance"] == [{"@type": "CreativeWork",
                                                     "url": "https://news.example/jane-doe-speech"}]
    assert review["datePublished"] == "2024-03-02" and review["reviewRating"]["alternateName"] == "supported"
    assert "The old bridge was built in 1890." not in rows  # unknown rating: no verdict to export

    import_file(db, LIAR)  # LIAR checked the same claim text: one claim, two verdicts
    rows = {r["claim"]: r for r in verdicted_claims(db)}
    shared = rows["Unemployment rose to 7.5% in 2020."]
    assert shared["votes"] == {"supported": 1, "misleading": 1} and shared["annotators"] == ["Example Checks",
                                                                                             "PolitiFact"]
    liar = to_claimreview(rows["Our state has the lowest taxes in the country."])
    assert liar["author"]["name"] == "PolitiFact" and liar["itemReviewed"]["author"]["name"] == "john-roe"
    assert "url" not in liar  # LIAR has no review URL


def test_cli_verdicts_import(tmp_path):
    db_path = tmp_path / "cli.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["verdicts", "import", str(LIAR), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "liar" and report["stored"] == 5 and report["skipped"] == 2
    assert report["unknown_ratings"] == {"sort-of-true": 1} and len(report["errors"]) == 2
    limited = runner.invoke(cli, ["verdicts", "import", str(AVERITEC), "--format", "averitec", "--limit", "1",
                                  "--db", str(db_path)])
    assert limited.exit_code == 0 and json.loads(limited.stdout)["read"] == 1

    broken = tmp_path / "broken.jsonld"
    broken.write_text("{oops", "utf-8")
    failed = runner.invoke(cli, ["verdicts", "import", str(broken), "--db", str(db_path)])
    assert failed.exit_code == 1 and "Error: [F702]" in failed.stderr and "--format" in failed.stderr
    unknown = tmp_path / "notes.txt"
    unknown.write_text("some notes\n", "utf-8")
    failed = runner.invoke(cli, ["verdicts", "import", str(unknown), "--db", str(db_path)])
    assert failed.exit_code == 1 and "Error: [F701]" in failed.stderr and "LIAR" in failed.stderr
    legacy = tmp_path / "legacy.json"  # a broken .json is still read as a Label Studio export (F514)
    legacy.write_text("{oops", "utf-8")
    failed = runner.invoke(cli, ["verdicts", "import", str(legacy), "--db", str(db_path)])
    assert failed.exit_code == 1 and "Error: [F514]" in failed.stderr and "ClaimReview" in failed.stderr


# ---------------------------------------------------------------------------- the real data sets


def shared_file(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} is not here: the public data sets live in ../shared/datasets beside the checkout")
    return path


def test_real_liar_plus_split_reads_every_row():
    path = shared_file("liar-plus", "test2.tsv")
    records = list(read_liar(path))
    assert bad(records) == [] and len(records) == 1267
    ratings = Counter(r.rating for r in records)
    assert set(ratings) == {"pants-fire", "false", "barely-true", "half-true", "mostly-true", "true"}
    verdicts = Counter(r.verdict for r in records)
    assert set(verdicts) <= set(VERDICTS) and sum(verdicts.values()) == 1267
    assert verdicts["refuted"] == ratings["false"] + ratings["pants-fire"]
    assert verdicts["supported"] == ratings["true"] + ratings["mostly-true"]
    assert len({r.external_id for r in records}) == 1267
    assert sum(bool(r.evidence) for r in records) >= 1250


def test_real_averitec_dev_reads_every_claim():
    path = shared_file("averitec", "dev.json")
    records = list(read_averitec(path))
    assert bad(records) == [] and len(records) == 500
    assert Counter(r.verdict for r in records) == {"refuted": 305, "supported": 122, "misleading": 38,
                                                   "unverifiable": 35}
    assert all(r.review_url and r.claim_date for r in records)
    urls = [url for r in records for url, _ in r.evidence if url]
    assert len(urls) >= 1250 and all(u.startswith("http") for u in urls)
    assert sum("[source: Metadata]" in (note or "") for r in records for _, note in r.evidence) > 0


def test_real_liar_import_sample(tmp_path):
    path = shared_file("liar-plus", "test2.tsv")
    db = open_db(tmp_path / "liar.db")
    report = import_file(db, path, limit=100)
    assert (report.read, report.stored, report.skipped) == (100, 100, 0)
    assert db.execute("select count(*) from verdicts where source = 'liar' and annotation_id < 0").fetchone()[0] == 100
    assert db.execute("select count(distinct claim_id) from quantities").fetchone()[0] > 10


def test_imported_claims_are_not_sent_for_review_nor_used_as_training_labels(db):
    from factcheck.model.retrain import labels_from_verdicts
    from factcheck.review.labelstudio import _claims_to_push

    import_file(db, LIAR)
    import_file(db, CLAIMREVIEW)
    assert db["claims"].count_where("is_claim = 1") > 0
    # A fact-checker has already checked them; check-worthiness labels come from annotators only.
    assert _claims_to_push(db, 1, limit=None, min_score=None, order="uncertainty") == []
    assert labels_from_verdicts(db) == []


# ---------------------------------------------------------------------------- hostile files (issue 19)


def claimreview(claim, rating, url=None, appearance=None):
    review = {"@type": "ClaimReview", "claimReviewed": claim, "reviewRating": {"@type": "Rating",
                                                                               "alternateName": rating}}
    if url:
        review["url"] = url
    if appearance:
        review["itemReviewed"] = {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "url": appearance}]}
    return review


@pytest.mark.issue(19)
def test_javascript_and_data_links_are_refused_per_review_and_never_exported(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([
        claimreview("The moon is made of cheese.", "False", url="javascript:alert(document.cookie)"),
        claimreview("Water boils at 100 degrees at sea level.", "True", url="https://checks.example.org/water",
                    appearance="data:text/html,<script>alert(1)</script>"),
        claimreview("Wheat exports rose 5% in 2023.", "True", url="https://checks.example.org/wheat",
                    appearance="https://news.example.org/wheat"),
    ]), "utf-8")
    store = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["verdicts", "import", str(path), "--db", str(store)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["stored"], report["skipped"]) == (1, 2)
    assert all(e.startswith("[F709]") for e in report["errors"]) and "item 0" in report["errors"][0]
    out = tmp_path / "reviews.json"
    assert CliRunner().invoke(cli, ["export", "--db", str(store), "--out", str(out)]).exit_code == 0
    exported = out.read_text("utf-8")
    assert "javascript:" not in exported and "data:" not in exported
    assert "https://news.example.org/wheat" in exported


@pytest.mark.issue(19)
@pytest.mark.parametrize("name,text", [
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("deep.jsonl", '{"a": ' * 100_000 + "1" + "}" * 100_000 + "\n"),
])
def test_deeply_nested_json_is_an_f702_not_a_recursion_error(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["verdicts", "import", str(path), "--db", str(tmp_path / "kb.db")])
    assert "nested too deeply" in result.output and "[F702]" in result.output, result.output
    assert not isinstance(result.exception, RecursionError)

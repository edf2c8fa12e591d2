"""Issue 19, re-run: every case of the adversarial pass as real CLI runs, one table.

Each case runs ``python -m factcheck`` in its own temporary folder (bad files, a store,
concurrent processes, endless streams, hostile verdict files) and checks what a user
would: the exit status, the F-code on stderr, that no traceback was printed, and that
nothing was lost (the store still holds what it held, the metadata and verdicts are
still there, every character that could be decoded was).

    .venv/bin/python bench/safety.py                      # this checkout
    .venv/bin/python bench/safety.py --baseline ff6d9ca   # and the same cases on another commit

With ``--baseline REV`` the same cases also run on ``git archive REV`` (the anchor: the
code the issue was filed against), in the same run, with the same virtualenv. Exit status
1 when a case of this checkout loses data or prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CODE_RE = re.compile(r"\[(F\d{3})\]")

GRAIN = "去年，全国粮食总产量达到6.95亿吨，比前年增长1.3%。"
EN_TYPOGRAPHY = ("Zoë Müller – the ministry’s spokeswoman – said “output rose 5% in 2024”.\n"
                 "Café owners in Kraków reported a 12% fall in sales, according to the survey.\n")
ZH = "伊朗原油出口量在十月升至日均一百八十万桶。\n分析人士认为，航运保险费率上涨约百分之四十。\n"
BIG5 = "臺灣的電價今年調漲百分之三，經濟部表示將補貼弱勢家庭。\n"


@dataclass
class Done:
    rc: int
    out: str
    err: str
    seconds: float


@dataclass
class Row:
    case: str
    outcome: str
    code: str
    lost: str  # "no data lost" or what was lost
    traceback: bool


class Runner:
    """Runs ``python -m factcheck`` on one code tree (``src``: None for this checkout)."""

    def __init__(self, src: Path | None, work: Path):
        self.work = work
        self.env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_COLOR": "1"}
        self.env.pop("LABEL_STUDIO_URL", None)
        self.env.pop("LABEL_STUDIO_API_KEY", None)
        if src is not None:
            self.env["PYTHONPATH"] = str(src)

    def folder(self, name: str) -> Path:
        path = self.work / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def start(self, *args: str, cwd: Path, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "factcheck", *args], cwd=cwd, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**self.env, **(env or {})})

    def __call__(self, *args: str, cwd: Path, stdin=None, env: dict | None = None, timeout: float = 300) -> Done:
        started = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "factcheck", *args], cwd=cwd, stdin=stdin, text=True,
                                  capture_output=True, timeout=timeout, env={**self.env, **(env or {})})
        except subprocess.TimeoutExpired as exc:
            return Done(-1, str(exc.stdout or ""), f"timed out after {timeout:g} s", timeout)
        return Done(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


def code_of(*done: Done) -> str:
    codes = [c for d in done for c in CODE_RE.findall(d.err + d.out)]
    return ",".join(dict.fromkeys(codes)) or "-"


def traceback_in(*done: Done) -> bool:
    return any("Traceback" in d.err or "Traceback" in d.out for d in done)


def query(db: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def extract(run: Runner, cwd: Path, *paths: str, db: str = "kb.db") -> Done:
    return run("extract", *paths, "--db", db, "--model", "none", "--format", "summary", cwd=cwd)


def lost_unless(ok: bool, what: str) -> str:
    return "no data lost" if ok else what


# --- data lost or corrupted -------------------------------------------------------------------

def case_export_onto_store(run: Runner) -> Row:
    d = run.folder("export")
    (d / "a.txt").write_text(GRAIN, "utf-8")
    extract(run, d, "a.txt", db="ex.db")
    before = query(d / "ex.db", "select count(*) from claims")
    done = run("export", "--db", "ex.db", "--format", "csv", "--out", "ex.db", cwd=d)
    try:
        after = query(d / "ex.db", "select count(*) from claims")
    except sqlite3.DatabaseError as exc:
        after = [(f"not a store: {exc}",)]
    return Row("export --out the store itself", "refused" if done.rc else "written", code_of(done),
               lost_unless(after == before, "the store was overwritten"), traceback_in(done))


def ls_export(db: Path, annotations_for: Callable[[str, str], list[dict]]) -> list[dict]:
    """A Label Studio JSON export with one task per stored claim."""
    rows = query(db, "select c.id, s.text from claims c join sentences s on s.id = c.sentence_id")
    return [{"id": 100 + i, "project": 1, "data": {"claim_id": cid, "sentence": sentence},
             "annotations": annotations_for(cid, sentence)} for i, (cid, sentence) in enumerate(rows)]


def annotation(i: int, verdict, *, extra: list | None = None) -> dict:
    return {"id": i, "completed_by": {"email": "a@example.org"}, "created_at": "2024-06-01T00:00:00Z",
            "updated_at": "2024-06-01T00:00:00Z",
            "result": [{"from_name": "verdict", "to_name": "claim", "type": "choices",
                        "value": {"choices": verdict}}, *(extra or [])]}


def case_same_text_twice(run: Runner) -> Row:
    d = run.folder("same-text")
    (d / "a.json").write_text(json.dumps({"text": GRAIN, "title": "粮食产量", "url": "https://example.org/grain",
                                          "published": "2024-05-01"}, ensure_ascii=False), "utf-8")
    (d / "a.txt").write_text(GRAIN, "utf-8")
    first = extract(run, d, "a.json")
    export = ls_export(d / "kb.db", lambda cid, s: [annotation(1 + len(cid) % 7, ["supported"])])
    (d / "ls.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    imported = run("verdicts", "import", "ls.json", "--format", "labelstudio", "--db", "kb.db", cwd=d)
    second = extract(run, d, "a.txt")
    exported = run("export", "--db", "kb.db", "--format", "claimreview", "--out", "reviews.json", cwd=d)
    meta = query(d / "kb.db", "select title, url, published from articles")
    times = query(d / "kb.db", "select value from times where text = '去年'")
    reviews = (d / "reviews.json").read_text("utf-8") if (d / "reviews.json").exists() else ""
    missing = [what for what, ok in [
        ("title/url/date", meta == [("粮食产量", "https://example.org/grain", "2024-05-01")]),
        ("去年 → 2023", times == [("2023",)]),
        ("ClaimReview url/date", "https://example.org/grain" in reviews and "2024-05-01" in reviews),
    ] if not ok]
    return Row("same text as a.json, then a.txt", f"stored (v{len(meta)})", code_of(first, imported, second, exported),
               lost_unless(not missing, "lost: " + ", ".join(missing)),
               traceback_in(first, imported, second, exported))


def stray_bytes(text: str) -> bytes:
    good = text.encode()
    cut = len(text[:20].encode())
    return good[:cut] + b"\x81\xfe" + good[cut:]


def case_stray_bytes(run: Runner, lang: str) -> Row:
    d = run.folder(f"stray-{lang}")
    text = EN_TYPOGRAPHY if lang == "en" else ZH
    (d / "a.txt").write_bytes(stray_bytes(text))
    done = extract(run, d, "a.txt")
    stored = query(d / "kb.db", "select text, encoding from articles") if done.rc == 0 else []
    intact = bool(stored) and stored[0][0].replace("\ufffd", "") == text
    named = "byte offset" in done.err
    outcome = f"decoded as {stored[0][1]}" if stored else "refused"
    outcome += ", offsets named" if named else ", no warning"
    return Row(f"UTF-8 {'English' if lang == 'en' else 'Chinese'} with 2 stray bytes", outcome, code_of(done),
               lost_unless(intact, "text garbled or not stored"), traceback_in(done))


def case_mistyped_db(run: Runner, command: list[str]) -> Row:
    d = run.folder("mistyped-" + command[0])
    done = run(*command, "--db", "kb-typo.db", cwd=d)
    created = (d / "kb-typo.db").exists()
    return Row(f"{command[0]} --db MISTYPED", "refused" if done.rc else "ran", code_of(done),
               lost_unless(not created, "an empty store was created"), traceback_in(done))


def case_foreign_sqlite(run: Runner) -> Row:
    d = run.folder("foreign")
    conn = sqlite3.connect(d / "notes.db")
    conn.execute("create table notes (id integer primary key, body text)")
    conn.commit()
    conn.close()
    done = run("search", "oil", "--db", "notes.db", cwd=d)
    tables = [t for (t,) in query(d / "notes.db", "select name from sqlite_master where type = 'table'")]
    return Row("search --db an unrelated SQLite file", "refused" if done.rc else "ran", code_of(done),
               lost_unless(tables == ["notes"], f"{len(tables) - 1} tables added to it"), traceback_in(done))


# --- work blocked -----------------------------------------------------------------------------

def case_malformed_annotations(run: Runner) -> Row:
    d = run.folder("annotations")
    (d / "a.txt").write_text("Wheat exports fell 12% to 3.1 million tonnes in 2023.\n\n"
                             "The refinery processed 450,000 barrels a day in 2024.\n", "utf-8")
    extract(run, d, "a.txt")
    bad = [annotation(1, "refuted"), annotation(2, None),
           annotation(3, ["refuted"], extra=[{"from_name": "span", "to_name": "sentence", "type": "labels",
                                              "value": {"start": "x", "end": 3, "labels": ["claim"]}}])]
    export = ls_export(d / "kb.db", lambda cid, s: [])
    export[0]["annotations"] = bad
    export[-1]["annotations"] = [annotation(9, ["supported"])]
    (d / "ls.json").write_text(json.dumps(export), "utf-8")
    done = run("verdicts", "import", "ls.json", "--format", "labelstudio", "--db", "kb.db", cwd=d)
    verdicts = dict(query(d / "kb.db", "select annotation_id, verdict from verdicts"))
    ok = verdicts.get(9) == "supported" and "r" not in verdicts.values()
    return Row("malformed Label Studio annotations", f"{len(verdicts)} verdict(s) stored", code_of(done),
               lost_unless(ok, "the good verdict was not stored" if verdicts.get(9) != "supported"
                           else "'refuted' stored as 'r'"), traceback_in(done))


def deep_json() -> str:
    return "[" * 100_000 + "]" * 100_000


def case_deep_json_extract(run: Runner) -> Row:
    d = run.folder("deep-extract")
    (d / "in").mkdir()
    (d / "in" / "a_deep.json").write_text(deep_json(), "utf-8")
    (d / "in" / "b.txt").write_text("Wheat exports fell 12% to 3.1 million tonnes in 2023.", "utf-8")
    (d / "in" / "c.txt").write_text(GRAIN, "utf-8")
    done = extract(run, d, "in")
    stored = query(d / "kb.db", "select count(*) from articles")[0][0] if (d / "kb.db").exists() else 0
    return Row("deeply nested JSON in an extract folder", f"{stored} of 2 good files stored", code_of(done),
               lost_unless(stored == 2, "later good files not processed"), traceback_in(done))


def case_deep_json_import(run: Runner) -> Row:
    d = run.folder("deep-import")
    (d / "deep.json").write_text(deep_json(), "utf-8")
    done = run("verdicts", "import", "deep.json", "--format", "claimreview", "--db", "kb.db", cwd=d)
    return Row("deeply nested JSON in verdicts import", "refused" if done.rc else "read", code_of(done),
               "no data lost", traceback_in(done))


def case_concurrent_writers(run: Runner) -> Row:
    d = run.folder("concurrent")
    names = ("en_diplomacy.txt", "zh_economy.txt", "zh_public_health.txt", "zh_energy_sanctions.md")
    for batch in ("one", "two"):
        (d / batch).mkdir()
        for name in names:
            (d / batch / name).write_text(f"Batch {batch}: {name}\n\n" + (EXAMPLES / name).read_text("utf-8"),
                                          "utf-8")
    (d / "cr.json").write_text(json.dumps([claimreview(f"Exports rose {n}% in 2023.", "True",
                                                       f"https://checks.example.org/{n}") for n in range(5)]),
                               "utf-8")
    started = time.perf_counter()
    procs = [run.start("extract", batch, "--db", "kb.db", "--model", "none", "--format", "summary", cwd=d)
             for batch in ("one", "two")]
    procs.append(run.start("verdicts", "import", "cr.json", "--db", "kb.db", cwd=d))
    outs = [p.communicate(timeout=600) for p in procs]
    done = [Done(p.returncode, o, e, time.perf_counter() - started) for p, (o, e) in zip(procs, outs, strict=True)]
    articles = query(d / "kb.db", "select count(*) from articles where format in ('txt', 'md')")[0][0]
    verdicts = query(d / "kb.db", "select count(*) from verdicts")[0][0]
    ok = all(x.rc == 0 for x in done) and articles == 8 and verdicts == 5
    return Row("2 extracts + verdicts import at once", f"{articles}/8 articles, {verdicts}/5 verdicts",
               code_of(*done), lost_unless(ok, "a writer failed"), traceback_in(*done))


def stopped(done: Done) -> str:
    if done.rc == -1:
        return f"hung (killed at {done.seconds:.0f} s)"
    return f"{'stopped' if 'F108' in done.err else f'exit {done.rc}'} after {done.seconds:.0f} s"


def case_dev_zero_stdin(run: Runner) -> Row:
    d = run.folder("zero-stdin")
    with open("/dev/zero", "rb") as endless:
        done = run("extract", "-", "--no-store", "--max-bytes", "1000000", cwd=d, stdin=endless, timeout=120)
    return Row("/dev/zero on stdin (--max-bytes 1 MB)", stopped(done), code_of(done), "no data lost",
               traceback_in(done))


def case_dev_zero_file(run: Runner) -> Row:
    d = run.folder("zero-file")
    (d / "zero.txt").symlink_to("/dev/zero")
    done = run("extract", "zero.txt", "--no-store", "--max-bytes", "1000000", cwd=d, timeout=120)
    return Row("a .txt link to /dev/zero", stopped(done), code_of(done), "no data lost", traceback_in(done))


def case_label_studio_url(run: Runner, url: str) -> Row:
    d = run.folder("ls-url-" + re.sub(r"\W", "_", url))
    (d / "a.txt").write_text("Wheat exports fell 12% to 3.1 million tonnes in 2023.", "utf-8")
    extract(run, d, "a.txt")
    done = run("pull", "--db", "kb.db", cwd=d, env={"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": "key"},
               timeout=120)
    clear = "LABEL_STUDIO_URL" in done.err and "not answering" not in done.err
    return Row(f"LABEL_STUDIO_URL={url!r}", "clear error" if clear else "misleading or none", code_of(done),
               "no data lost", traceback_in(done))


# --- the smaller items ------------------------------------------------------------------------

def case_decoded(run: Runner, label: str, name: str, data: bytes, expected: str) -> Row:
    d = run.folder("decode-" + re.sub(r"\W", "_", label))
    (d / name).write_bytes(data)
    done = extract(run, d, name)
    stored = query(d / "kb.db", "select text, encoding from articles") if (d / "kb.db").exists() else []
    ok = bool(stored) and stored[0][0].replace("\ufffd", "") == expected
    outcome = f"stored as {stored[0][1]}" if stored else "refused"
    return Row(label, outcome, code_of(done), lost_unless(ok, "text garbled or not stored"), traceback_in(done))


def case_malformed_html(run: Runner) -> Row:
    d = run.folder("html")
    (d / "page.html").write_text("<html><body><script>var page = 1;<p>The refinery processed 450,000 barrels a "
                                 "day in 2024.</p><p>Output is expected to rise by 5% next year.</p>", "utf-8")
    done = extract(run, d, "page.html")
    claims = query(d / "kb.db", "select count(*) from claims")[0][0] if (d / "kb.db").exists() else 0
    return Row("malformed HTML with real paragraphs", f"{claims} claims", code_of(done),
               lost_unless(claims > 0, "no text"), traceback_in(done))


def case_invalid_published(run: Runner) -> Row:
    d = run.folder("published")
    (d / "a.json").write_text(json.dumps({"text": "Wheat exports fell 12% to 3.1 million tonnes in 2023.",
                                          "published": "2024-13-45"}), "utf-8")
    done = extract(run, d, "a.json")
    warned = "2024-13-45" in done.err
    return Row('published "2024-13-45"', "warned" if warned else "dropped silently", code_of(done),
               lost_unless(warned, "dropped without a word"), traceback_in(done))


def case_long_query(run: Runner) -> Row:
    d = run.folder("long-query")
    extract(run, d, str(EXAMPLES))
    short = run("search", "石油", "--db", "kb.db", cwd=d)  # the anchor: the same command, one word
    pasted = (EXAMPLES / "zh_energy_sanctions.md").read_text("utf-8")
    done = run("search", (pasted * 30)[:30_000], "--db", "kb.db", cwd=d, timeout=300)
    return Row("30 KB search query", f"{'refused' if done.rc else 'answered'} in {done.seconds / short.seconds:.1f}x "
               "a 1-word search", code_of(done), "no data lost", traceback_in(done))


def case_minus_word(run: Runner) -> Row:
    d = run.folder("minus")
    (d / "a.txt").write_text(ZH, "utf-8")
    extract(run, d, "a.txt")
    plain = run("search", "-航运", "--db", "kb.db", "--format", "jsonl", cwd=d)
    dashed = run("search", "--db", "kb.db", "--format", "jsonl", "--", "-航运", cwd=d)
    ok = plain.rc == 0 and dashed.rc == 0 and plain.out == dashed.out
    return Row('search "-word" and search -- -word', "both search" if ok else "read as an option",
               code_of(plain, dashed), "no data lost", traceback_in(plain, dashed))


def claimreview(claim: str, rating: str, url: str, appearance: str | None = None) -> dict:
    review: dict = {"@type": "ClaimReview", "claimReviewed": claim, "url": url,
                    "reviewRating": {"@type": "Rating", "alternateName": rating}}
    if appearance:
        review["itemReviewed"] = {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "url": appearance}]}
    return review


def case_hostile_links(run: Runner) -> Row:
    d = run.folder("links")
    (d / "cr.json").write_text(json.dumps([
        claimreview("The moon is made of cheese.", "False", "javascript:alert(document.cookie)"),
        claimreview("Water boils at 100 degrees.", "True", "https://checks.example.org/w",
                    "data:text/html,<script>alert(1)</script>"),
        claimreview("Wheat exports rose 5% in 2023.", "True", "https://checks.example.org/wheat"),
    ]), "utf-8")
    done = run("verdicts", "import", "cr.json", "--db", "kb.db", cwd=d)
    exported = run("export", "--db", "kb.db", "--out", "out.json", cwd=d)
    text = (d / "out.json").read_text("utf-8") if (d / "out.json").exists() else ""
    hostile = "javascript:" in text or "data:text" in text
    stored = query(d / "kb.db", "select count(*) from verdicts")[0][0]
    lost = "hostile link re-exported" if hostile else lost_unless("wheat" in text, "the good review was not stored")
    return Row("javascript:/data: links in a ClaimReview", f"{stored} of 3 stored, "
               + ("re-exported" if hostile else "none exported"), code_of(done, exported), lost,
               traceback_in(done, exported))


CASES: list[Callable[[Runner], Row]] = [
    case_export_onto_store,
    case_same_text_twice,
    lambda run: case_stray_bytes(run, "en"),
    lambda run: case_stray_bytes(run, "zh"),
    *[lambda run, c=c: case_mistyped_db(run, c) for c in (["search", "oil"], ["verdicts"], ["export"],
                                                           ["conflicts"], ["pull"])],
    case_foreign_sqlite,
    case_malformed_annotations,
    case_deep_json_extract,
    case_deep_json_import,
    case_concurrent_writers,
    case_dev_zero_stdin,
    case_dev_zero_file,
    lambda run: case_label_studio_url(run, "not a url"),
    lambda run: case_label_studio_url(run, "localhost:8080"),
    lambda run: case_decoded(run, "one NUL byte in an article", "nul.txt",
                             EN_TYPOGRAPHY.encode() + b"\x00" + ZH.encode(), EN_TYPOGRAPHY + ZH),
    lambda run: case_decoded(run, "UTF-16 without BOM (English)", "u16.txt", EN_TYPOGRAPHY.encode("utf-16-le"),
                             EN_TYPOGRAPHY),
    lambda run: case_decoded(run, "UTF-16 without BOM (Chinese)", "u16zh.txt", (ZH * 3).encode("utf-16-le"),
                             ZH * 3),
    lambda run: case_decoded(run, "Big5 (Traditional Chinese)", "big5.txt", (BIG5 * 2).encode("big5"), BIG5 * 2),
    lambda run: case_decoded(run, "GB18030", "gb.txt", (ZH * 2).encode("gb18030"), ZH * 2),
    case_malformed_html,
    case_invalid_published,
    case_long_query,
    case_minus_word,
    case_hostile_links,
]


def run_cases(src: Path | None, label: str) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="factcheck-safety-") as work:
        run = Runner(src, Path(work))
        for case in CASES:
            try:
                row = case(run)
            except Exception as exc:  # noqa: BLE001 - a check that cannot even look is a finding, not a crash
                row = Row(f"case {len(rows) + 1}", f"check failed: {type(exc).__name__}: {exc}"[:60], "-",
                          "unknown", False)
            rows.append(row)
            print(f"  [{label}] {row.case}: {row.outcome}", file=sys.stderr, flush=True)
    return rows


def verdict(row: Row) -> str:
    return f"{row.lost}, {'TRACEBACK' if row.traceback else 'no traceback'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", metavar="REV", help="also run every case on this git revision (the anchor)")
    args = parser.parse_args()
    rows = run_cases(None, "now")
    before = None
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="factcheck-baseline-") as tree:
            archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", tree], input=archive.stdout, check=True)
            before = run_cases(Path(tree), args.baseline)
            shutil.rmtree(tree, ignore_errors=True)
    width = max(len(r.case) for r in rows)
    header = f"{'case':<{width}}  {'outcome':<34} {'F-code':<11} data lost? / traceback?"
    if before:
        header += f"   | {args.baseline}: outcome, F-code, data lost? / traceback?"
    print(header)
    print("-" * len(header))
    for i, row in enumerate(rows):
        line = f"{row.case:<{width}}  {row.outcome[:34]:<34} {row.code:<11} {verdict(row)}"
        if before:
            old = before[i]
            line += f"   | {old.outcome[:34]}, {old.code}, {verdict(old)}"
        print(line)
    bad = [r for r in rows if r.lost != "no data lost" or r.traceback]
    print(f"\n{len(rows) - len(bad)} of {len(rows)} cases: no data lost, no traceback"
          + (f" ({len(rows) - sum(r.lost != 'no data lost' or r.traceback for r in before)} of {len(before)} "
             f"on {args.baseline})" if before else ""))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

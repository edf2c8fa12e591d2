"""Benchmark the time finder on Recognizers-Text's DateTime specs, against anchors, in one run.

    .venv/bin/python bench/times.py [--specs DIR] [--anchors dateparser,jionlp,recognizers]
                                    [--no-anchors] [--verbose] [--out out/bench/times.json]

Reads ``DIR/DateTime/{Chinese,English}/DateTimeModel.json`` (default: the shared half,
``../shared/benchmarks/recognizers-text/Specs`` beside the checkout). Each case's
``Context.ReferenceDateTime`` is the publication date. The anchors run in the same run, on
the same cases, each in a throwaway venv under ``~/.cache/factcheck/bench-venvs/times-*``
(created on first use, then reused) from a subprocess that reads the cases on stdin and
prints JSON: dateparser (``search_dates`` with the reference date as ``RELATIVE_BASE``; the
period of each found string from ``DateDataParser``), jionlp (Chinese only;
``extract_time(text, time_base=...)``) and Recognizers-Text's Python port
(``recognizers-text-suite==1.0.2a2`` with ``emoji<2``; ``recognize_datetime(..., reference=...)``).

Scope. In scope: ``datetimeV2.date`` and ``datetimeV2.daterange`` (calendar dates, months,
years, weeks, quarters, halves, decades, ranges, open ranges such as 2018年以前 / after 2010).
Out of scope, for factcheck and every anchor alike: clock times and time ranges
(``time``, ``timerange``), dates with a clock time (``datetime``, ``datetimerange``),
durations (``duration``), recurring sets (``set``) and ``timezone``. The per-type rows cover
date and daterange; the "all" row counts every expected entity, out-of-scope ones as misses.

Counting, for each expected entity (a span and its TIMEX resolution):

* detected: some expression found by the system overlaps the expected span;
* right: one of the overlapping expressions has a value equivalent to one of the expected
  values (an entity with a past and a future reading, XXXX-04-22, accepts either);
* wrong: none is right and an overlapping expression carries a resolved value that is
  inconsistent with every expected value (or any resolved value, when the expected one is
  "not resolved", e.g. feb 30). A value is consistent when its interval contains the
  expected one or lies inside it (a coarser or a partial reading: 2017 for "april 2017",
  Oct 2020 for "May to Oct 2020"), or, for an expected open range, when one of its
  bounds is the open range's bound (2018 for 2018年以前 without the "before");
* value accuracy = right / detected; wrong share = wrong / expected entities.

"Wrong" is judged on each system's own reading: a factcheck interval a/b as [start of a,
end of b), a TIMEX range as written. The alternatives accepted for "right" (an interval's
end-exclusive reading [start of a, start of b), a TIMEX range one unit longer) are
matching aids, not claims, and are never judged wrong (changed in issue 17, third round;
before, "later this week" = 05-28/06-03 was counted wrong through its exclusive reading
05-28..06-03 although 05-28..06-04 contains Recognizers' 05-31..06-04).

Equivalences between a value and a TIMEX resolution (every value is turned into a
half-open interval of days [start, end)):

* a day 2016-11-07 = [2016-11-07, 2016-11-08) = TIMEX value 2016-11-07;
* a month 2018-10 = [2018-10-01, 2018-11-01); a year 2009 = [2009-01-01, 2010-01-01);
* a week 2016-W52 = ISO week, Monday to the next Monday;
* a quarter 2019-Q3 = [2019-07-01, 2019-10-01); factcheck's qualifier first_half /
  second_half on a year = [Jan 1, Jul 1) / [Jul 1, Jan 1 of the next year); the
  qualifiers start / mid / end on a whole period (年底, 3月初; English early 2000 is an
  interval since issue 17's fourth round, 2000-01-01/2000-04-30) are vague: never right, consistent with
  their whole period, except as the bound of an open range: "before / by / until the end
  of" a period (年底前, not "before late 2016") = (None, end of the period), "after / since
  the beginning of" it = (start of the period, None), the same days as the words;
* a decade 199X = [1990-01-01, 2000-01-01); a century 20XX = [2000-01-01, 2100-01-01);
* an interval a/b = [start of a, end of b); with a relation (issue 17, fourth round: "after
  mid May" = 2019-05-10/2019-05-20 after), "before" = (None, start of a), "after" = (end of
  b, None), "since" = (start of a, None), "by" / "until" = (None, end of b);
* Recognizers' ranges written "(a,b,Pn)" end at
  the START of b (from May to Oct 2020 → end 2020-10-01; 2016年1月10日到12日 → end 01-12),
  so a TIMEX range also accepts an end one unit later (the unit of its duration: D, W, M,
  Y), i.e. end-exclusive and end-inclusive readings of the last unit are both right;
* open ranges: factcheck's relation "before" = (None, start), "after" = (end, None),
  "since" = (start, None), "by" / "until" = (None, start) or (None, end); a TIMEX range
  with only a start or only an end compares with those. For a single day, "before" and
  "after" also accept the day's other bound (Recognizers writes 2010-01-01之后 as starting
  on 2010-01-01 but 07年以后 as starting on 2008-01-01: inclusive and exclusive readings
  of one day).

Anchors' outputs go through the same conversion: Recognizers' own resolutions as TIMEX;
jionlp's [start, end] times (an end at 23:59:59 is the end of that day; "inf" an open
end); dateparser's date with its period (day, week, month, year).

Prints a table; writes JSON (figures and every case's outcome) to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.extraction.times import find_times  # noqa: E402

IN_SCOPE = ("datetimeV2.date", "datetimeV2.daterange")
LANGS = {"Chinese": "zh", "English": "en"}
VENVS = Path.home() / ".cache" / "factcheck" / "bench-venvs"

# ------------------------------------------------------------------------ anchors

ANCHORS = {
    "dateparser": {
        "packages": ["dateparser==1.5.0"],
        "langs": ("zh", "en"),
        "script": r'''
import json, sys, datetime, warnings
warnings.filterwarnings("ignore")
from dateparser.search import search_dates
from dateparser.date import DateDataParser
out = []
for c in json.load(sys.stdin):
    settings = {"RELATIVE_BASE": datetime.datetime.fromisoformat(c["ref"])} if c["ref"] else {}
    ents, pos = [], 0
    try:
        found = search_dates(c["text"], languages=[c["lang"]], settings=settings) or []
    except Exception:
        found = []
    for sub, dt in found:
        i = c["text"].find(sub, pos)
        if i < 0:
            i = c["text"].find(sub)
        if i < 0:
            continue
        pos = i + len(sub)
        period = "day"
        try:
            dd = DateDataParser(languages=[c["lang"]], settings=settings).get_date_data(sub)
            period = dd.period or "day"
        except Exception:
            pass
        ents.append({"start": i, "end": i + len(sub), "text": sub,
                     "date": dt.date().isoformat(), "period": period})
    out.append(ents)
print(json.dumps(out))
''',
    },
    "jionlp": {
        "packages": ["jionlp==1.5.31"],
        "langs": ("zh",),
        "script": r'''
import json, sys, time, datetime, io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    import jionlp as jio
    try:
        extract = jio.extract_time
    except AttributeError:
        from jionlp.algorithm.ner import extract_time as extract
out = []
for c in json.load(sys.stdin):
    base = time.mktime(datetime.datetime.fromisoformat(c["ref"]).timetuple()) if c["ref"] else time.time()
    ents = []
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            found = extract(c["text"], time_base=base, with_parsing=True)
    except Exception:
        found = []
    for r in found:
        s, e = r["offset"]
        t = (r.get("detail") or {}).get("time")
        ents.append({"start": s, "end": e, "text": r["text"], "type": r.get("type"),
                     "time": t if isinstance(t, list) else None})
    out.append(ents)
print(json.dumps(out))
''',
    },
    "recognizers": {
        "packages": ["recognizers-text-suite==1.0.2a2", "emoji<2"],
        "langs": ("zh", "en"),
        "script": r'''
import json, sys, datetime
from recognizers_date_time import recognize_datetime, Culture
out = []
for c in json.load(sys.stdin):
    culture = Culture.Chinese if c["lang"] == "zh" else Culture.English
    ref = datetime.datetime.fromisoformat(c["ref"]) if c["ref"] else None
    ents = []
    try:
        found = recognize_datetime(c["text"], culture, reference=ref) if ref else recognize_datetime(c["text"], culture)
    except Exception:
        found = []
    for r in found:
        res = r.resolution or {}
        ents.append({"start": r.start, "end": r.end + 1, "text": r.text, "type": r.type_name,
                     "values": res.get("values") or []})
    out.append(ents)
print(json.dumps(out))
''',
    },
}


def anchor_python(name: str) -> Path:
    """The anchor's venv python, created (and its packages installed) on first use."""
    venv = VENVS / f"times-{name}"
    py = venv / "bin" / "python"
    marker = venv / ".installed"
    want = " ".join(ANCHORS[name]["packages"])
    if marker.exists() and marker.read_text() == want:
        return py
    print(f"[bench] installing {want} into {venv} (once)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", *ANCHORS[name]["packages"]], check=True,
                   stdout=subprocess.DEVNULL)
    marker.write_text(want)
    return py


def run_anchor(name: str, cases: list[dict]) -> tuple[list[list[dict]] | None, float]:
    todo = [c for c in cases if c["lang"] in ANCHORS[name]["langs"]]
    try:
        py = anchor_python(name)
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"[bench] {name}: cannot install ({e}); skipped", file=sys.stderr)
        return None, 0.0
    payload = [{"text": c["text"], "ref": c["ref"], "lang": c["lang"]} for c in todo]
    t0 = time.perf_counter()
    proc = subprocess.run([str(py), "-c", ANCHORS[name]["script"]], input=json.dumps(payload),
                          capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        print(f"[bench] {name} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None, elapsed
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    by_id = dict(zip((c["id"] for c in todo), results))
    return [by_id.get(c["id"]) for c in cases], elapsed


# --------------------------------------------------------------------- intervals

Interval = tuple[date | None, date | None]


def _d(s: str | None) -> date | None:
    if not s:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _add_months(d: date, n: int) -> date:
    t = d.year * 12 + d.month - 1 + n
    return date(t // 12, t % 12 + 1, 1)


def _plus(d: date, unit: str) -> date | None:
    try:
        if unit == "D":
            return d + timedelta(days=1)
        if unit == "W":
            return d + timedelta(weeks=1)
        if unit == "M":
            return _add_months(d, 1) if d.day == 1 else None
        if unit == "Y":
            return date(d.year + 1, d.month, d.day)
    except ValueError:
        return None
    return None


def timex_candidates(values: list[dict], extend: bool = True) -> list[Interval]:
    """Acceptable intervals for a list of TIMEX resolution values (``extend``: with the
    end-inclusive alternative of a range, accepted for "right", never judged for "wrong")."""
    out: list[Interval] = []
    for v in values:
        if v.get("value") and v.get("value") != "not resolved":
            d = _d(v["value"])
            if d:
                out.append((d, d + timedelta(days=1)))
            continue
        s, e = _d(v.get("start")), _d(v.get("end"))
        if s is None and e is None:
            continue
        out.append((s, e))
        timex = v.get("timex", "")
        m = re.match(r"\(.*,P[\d.]+([DWMY])\)$", timex)
        if m and s and e and extend:
            later = _plus(e, m[1])
            if later:
                out.append((s, later))
    return out


def period(value: str) -> Interval | None:
    """[start, end) of one factcheck value (no interval)."""
    try:
        if m := re.fullmatch(r"(\d{4})", value):
            y = int(m[1])
            return date(y, 1, 1), date(y + 1, 1, 1)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            s = date(int(m[1]), int(m[2]), 1)
            return s, _add_months(s, 1)
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            s = date(int(m[1]), int(m[2]), int(m[3]))
            return s, s + timedelta(days=1)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            s = date(int(m[1]), 3 * int(m[2]) - 2, 1)
            return s, _add_months(s, 3)
        if m := re.fullmatch(r"(\d{4})-H([12])", value):
            s = date(int(m[1]), 6 * int(m[2]) - 5, 1)
            return s, _add_months(s, 6)
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            s = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return s, s + timedelta(weeks=1)
        if m := re.fullmatch(r"(\d{3})X", value):
            y = int(m[1]) * 10
            return date(y, 1, 1), date(y + 10, 1, 1)
        if m := re.fullmatch(r"(\d{2})XX", value):
            y = int(m[1]) * 100
            return date(max(y, 1), 1, 1), date(y + 100, 1, 1)
    except ValueError:
        return None
    return None


# The words that make a qualifier a period's bound ("the end of", 年底), not a vague part ("late").
BOUND_END = re.compile(r"(?i:\bend\s+of\b)|[底末]")
BOUND_START = re.compile(r"(?i:\b(?:beginning|start)\s+of\b)|初(?!期)")


def factcheck_entity(t) -> dict:
    """Exact candidates and the consistency intervals of one TimeExpr."""
    exact: list[Interval] = []
    consist: list[Interval] = []
    if t.value:
        if "/" in t.value:
            a, b = (period(x) for x in t.value.split("/", 1))
            if a and b:
                exact = [(a[0], b[1]), (a[0], b[0])]
                consist = [(a[0], b[1])]
                rel = t.relation  # after mid May = (May 21, None); since late July = (July 16, None)
                if rel == "before":
                    exact = [(None, a[0])]
                elif rel == "after":
                    exact = [(b[1], None)]
                elif rel == "since":
                    exact = [(a[0], None)]
                elif rel in ("by", "until"):
                    exact = [(None, b[1])]
        else:
            p = period(t.value)
            if p:
                q = t.qualifier
                if q in ("first_half", "second_half") and t.kind == "year":
                    mid = date(p[0].year, 7, 1)
                    p = (p[0], mid) if q == "first_half" else (mid, p[1])
                elif q in ("start", "mid", "end"):
                    consist = [p]
                    if q == "end" and t.relation in ("before", "by", "until") and BOUND_END.search(t.text):
                        exact = [(None, p[1])]  # before the end of 2016 = (None, 2017-01-01)
                    elif q == "start" and t.relation in ("after", "since") and BOUND_START.search(t.text):
                        exact = [(p[0], None)]  # after the beginning of March = (March 1, None)
                    p = None
                if p:
                    rel = t.relation
                    day = p[1] - p[0] == timedelta(days=1)
                    if rel == "before":
                        exact = [(None, p[0])] + ([(None, p[1])] if day else [])
                    elif rel == "after":
                        exact = [(p[1], None)] + ([(p[0], None)] if day else [])
                    elif rel == "since":
                        exact = [(p[0], None)]
                    elif rel in ("by", "until"):
                        exact = [(None, p[0]), (None, p[1])]
                    else:
                        exact = [p]
                    consist = [p]
    return {"start": t.start, "end": t.end, "text": t.text, "value": t.value,
            "exact": exact, "consist": consist}


def anchor_entity(name: str, r: dict) -> dict:
    exact: list[Interval] = []
    consist: list[Interval] | None = None
    if name == "recognizers":
        exact = timex_candidates(r.get("values") or [])
        consist = timex_candidates(r.get("values") or [], extend=False)
    elif name == "jionlp":
        t = r.get("time")
        if t and len(t) == 2 and all(isinstance(x, str) for x in t):
            s = None if "inf" in t[0] else _d(t[0])
            e = None if "inf" in t[1] else _d(t[1])
            if e and t[1].endswith("23:59:59"):
                e = e + timedelta(days=1)
            if s or e:
                exact = [(s, e)]
    elif name == "dateparser":
        d = _d(r["date"])
        if d:
            p = r.get("period")
            if p == "year":
                exact = [(date(d.year, 1, 1), date(d.year + 1, 1, 1))]
            elif p == "month":
                s = d.replace(day=1)
                exact = [(s, _add_months(s, 1))]
            elif p == "week":
                s = d - timedelta(days=d.weekday())
                exact = [(s, s + timedelta(weeks=1))]
            else:
                exact = [(d, d + timedelta(days=1))]
    return {"start": r["start"], "end": r["end"], "text": r["text"], "value": r.get("values") or r.get("time")
            or r.get("date"), "exact": exact, "consist": list(exact) if consist is None else consist}


def _contains(outer: Interval, inner: Interval) -> bool:
    lo = outer[0] is None or (inner[0] is not None and outer[0] <= inner[0])
    hi = outer[1] is None or (inner[1] is not None and inner[1] <= outer[1])
    return lo and hi


def consistent(found: Interval, expected: Interval) -> bool:
    if _contains(found, expected) or _contains(expected, found):
        return True
    if None in expected:  # an open range: a value at its bound
        bound = expected[0] or expected[1]
        return bound in found
    return False


def judge(expected: dict, found: list[dict]) -> str:
    """'miss', 'right', 'wrong' or 'vague' (detected, neither right nor wrong)."""
    s, e = expected["start"], expected["end"]
    over = [f for f in found if f["start"] < e and s < f["end"]]
    if not over:
        return "miss"
    cands = expected["cands"]
    if any(c in cands for f in over for c in f["exact"]):
        return "right"
    if not cands:  # the expected value is "not resolved"
        return "wrong" if any(f["exact"] or f["consist"] for f in over) else "right"
    for f in over:  # judged on the system's own reading, not the alternatives accepted as right
        for c in f["consist"] or f["exact"]:
            if not any(consistent(c, x) for x in cands):
                return "wrong"
    return "vague"


# --------------------------------------------------------------------------- main


def load_cases(specs: Path) -> list[dict]:
    cases = []
    for folder, lang in LANGS.items():
        path = specs / "DateTime" / folder / "DateTimeModel.json"
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            text = case["Input"]
            expected = []
            for r in case.get("Results") or []:
                start, end = r.get("Start"), r.get("End")
                if start is None or text[start:end + 1] != r["Text"]:
                    start = text.lower().find(r["Text"].lower())
                    end = start + len(r["Text"]) - 1
                expected.append({"text": r["Text"], "type": r["TypeName"], "start": start, "end": end + 1,
                                 "cands": timex_candidates((r.get("Resolution") or {}).get("values") or [])})
            ref = ((case.get("Context") or {}).get("ReferenceDateTime") or "")[:19]
            cases.append({"id": f"{lang}{i}", "lang": lang, "text": text, "ref": ref, "expected": expected})
    return cases


def score(cases: list[dict], found_by_case: list[list[dict] | None]) -> dict:
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    detail = []
    for case, found in zip(cases, found_by_case):
        found = found or []
        for exp in case["expected"]:
            typ = exp["type"] if exp["type"] in IN_SCOPE else "out of scope"
            verdict = judge(exp, found) if typ != "out of scope" else "miss"
            for key in (typ, "dates+ranges" if typ != "out of scope" else None, "all"):
                if key:
                    counts[(case["lang"], key)][verdict] += 1
            if typ != "out of scope":
                detail.append({"id": case["id"], "lang": case["lang"], "text": case["text"], "ref": case["ref"],
                               "span": exp["text"], "type": typ, "verdict": verdict,
                               "expected": [[str(a), str(b)] for a, b in exp["cands"]],
                               "found": [{"text": f["text"], "value": f["value"] if isinstance(f["value"], str)
                                          else json.dumps(f["value"], ensure_ascii=False)[:200]}
                                         for f in found if f["start"] < exp["end"] and exp["start"] < f["end"]]})
        if not case["expected"]:
            counts[(case["lang"], "no-date cases")]["spurious" if found else "quiet"] += 1
    table = {}
    for (lang, key), c in counts.items():
        n = sum(c.values())
        if key == "no-date cases":
            table[f"{lang} {key}"] = {"n": n, "spurious": c["spurious"]}
            continue
        det = n - c["miss"]
        table[f"{lang} {key}"] = {
            "n": n, "detected": det, "right": c["right"], "wrong": c["wrong"], "vague": c["vague"],
            "detection": round(det / n, 3) if n else None,
            "value_accuracy": round(c["right"] / det, 3) if det else None,
            "wrong_share": round(c["wrong"] / n, 4) if n else None,
        }
    return {"table": table, "detail": detail}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--specs", type=Path, default=REPO.parent / "shared" / "benchmarks" / "recognizers-text" / "Specs")
    ap.add_argument("--anchors", default="dateparser,jionlp,recognizers")
    ap.add_argument("--no-anchors", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="list factcheck's misses and wrong values")
    ap.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "times.json")
    args = ap.parse_args(argv)
    cases = load_cases(args.specs)

    systems: dict[str, list] = {}
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    systems["factcheck"] = [[factcheck_entity(t) for t in find_times(c["text"], c["lang"], c["ref"] or None)]
                            for c in cases]
    timings["factcheck"] = time.perf_counter() - t0
    if not args.no_anchors:
        for name in [a for a in args.anchors.split(",") if a]:
            raw, timings[name] = run_anchor(name, cases)
            if raw is None:
                continue
            systems[name] = [None if r is None else [anchor_entity(name, x) for x in r] for r in raw]

    results = {}
    for name, found in systems.items():
        todo = [(c, f) for c, f in zip(cases, found) if f is not None or name == "factcheck"]
        results[name] = score([c for c, _ in todo], [f for _, f in todo])

    print(f"Recognizers-Text DateTime specs ({args.specs}), {len(cases)} cases; run {datetime.now():%Y-%m-%d %H:%M}")
    header = (f"{'system':<12} {'lang':<4} {'type':<20} {'n':>4} {'detected':>9} {'value ok':>9} "
              f"{'wrong':>6} {'wrong %':>8}")
    print(header)
    print("-" * len(header))
    order = ["datetimeV2.date", "datetimeV2.daterange", "dates+ranges", "all"]
    for lang in ("zh", "en"):
        for key in order:
            for name, res in results.items():
                row = res["table"].get(f"{lang} {key}")
                if not row:
                    continue
                va = f"{row['value_accuracy']:.2f}" if row["value_accuracy"] is not None else "-"
                print(f"{name:<12} {lang:<4} {key:<20} {row['n']:>4} {row['detection']:>9.2f} {va:>9} "
                      f"{row['wrong']:>6} {100 * row['wrong_share']:>7.1f}%")
        for name, res in results.items():
            row = res["table"].get(f"{lang} no-date cases")
            if row:
                print(f"{name:<12} {lang:<4} {'no-date cases':<20} {row['n']:>4}  spurious {row['spurious']}")
        print()
    print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))

    if args.verbose:
        for d in results["factcheck"]["detail"]:
            if d["verdict"] in ("miss", "wrong", "vague"):
                print(f"[{d['verdict']:5}] {d['lang']} {d['ref'][:10]} {d['span']!r} expected {d['expected'][:2]} "
                      f"found {d['found']}  | {d['text'][:90]!r}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"specs": str(args.specs), "run": datetime.now().isoformat(timespec="seconds"),
                                    "timings": timings, "results": results}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the quantity finder on Microsoft Recognizers-Text's test specifications.

    .venv/bin/python bench/quantities.py [--specs DIR] [--verbose] [--no-anchors] [--lang zh|en]
    .venv/bin/python bench/quantities.py --speed REV [--rounds N]   # the finder's cost, REV against now

Reads the suite from ``../shared/benchmarks/recognizers-text/Specs`` (relative to the
checkout's parent; ``--specs`` to point elsewhere): the Number (NumberModel,
NumberRangeModel, PercentModel) and NumberWithUnit (Age, Currency, Dimension,
Temperature) files, Chinese and English. Nothing from the suite is copied into the
repository. Runs, on the same cases in the same run:

* factcheck: ``factcheck.extraction.quantities.find_quantities(text, lang)`` on every case;
* Recognizers-Text, Microsoft's Python port (``recognizers-text-suite==1.0.2a2`` with
  ``emoji<2``): the model that matches the file (number, percentage, currency,
  dimension, temperature, age). The port has no NumberRange model: its number model is
  run on the NumberRange files (so it can find a range's numbers but not read a range);
* quantulum3 (English only). Its bundled classifier does not load with current
  scikit-learn; the bench retrains it once with quantulum3's own training data when it
  installs the venv (``quantulum3.classifier.train_classifier``). If retraining fails it
  runs with the classifier disabled and the table says so.

The anchors are installed into a throwaway venv under ``~/.cache/factcheck/bench-venvs/``
(created on first run, reused after) and run in a subprocess of that venv that reads the
cases as JSON on stdin and prints JSON results.

Scoring rules
=============

* A case's expected entity (``Results[i]``, ``Start``/``End`` inclusive) is **found** when a
  predicted quantity's span overlaps its span. ``recall = found / expected``.
* **Precision** is scored only on the NumberModel files, where every number in the input
  is expected: a predicted span is correct when it overlaps an expected entity;
  ``precision = correct predictions / predictions``. On the other files an unexpected
  number (the lottery's 1600万 in a currency case) is not an error, so they are not scored
  for precision. The combined precision of a language is that of its NumberModel file.
* **Value accuracy** (once found): some overlapping prediction has the expected value:
  ``value`` equal to the resolution's value (relative tolerance 1e-6), or for a range
  (``[20,30)``, ``(20,)``) ``low``/``high`` equal to its bounds (an open bound: the
  prediction's comparator and value, or the missing side of low/high). Percentages
  compare the number (50% → 50). Where the expectation has a unit it must agree after
  mapping: ISO 4217 codes for currencies (a unit named only "Dollar" accepts any dollar
  code, "Franc" any franc, "Pound" GBP; "Cent"/"Pence"/"Sen" accept the value in
  hundredths of a currency), pint units for dimensions, temperatures and ages (compared
  in the project's registry, ``factcheck.extraction.units.registry()``, so "Mu" is 亩); a
  dimension read in another unit of the same dimension is right when it converts to the
  expected value (三千比特 read as 3000 bit against 3 kilobit), for every system alike.
  ``value_acc = value-correct / found``; ``read = value-correct / expected`` (found and
  read right: the strictest figure, and the one the issue's first measurement used).
* Cases of a type declared out of scope (``OUT_OF_SCOPE``) are listed with the reason and
  **still count as misses** in every figure.

Out of scope (not quantities a fact-checker checks; each still counts as a miss):

* a unit or sign with no number ("convert 51 fahrenheit to degrees celsius", "dollar",
  "mcg", "%"): a unit named, no amount;
* crypto-currencies (Bitcoin, Satoshi): not ISO 4217;
* "3 turns": in news a turn is counted (a road's turns) far more often than it is an angle;
* phone numbers and codes (+1-222-2222/2222, 0000, an unsigned digit string after "phone",
  "number", "order", 电话, 编号 ...): ids, not amounts;
* clock times ("2 pm", read as 2 picometres by the suite): a time, and the time finder's;
* "10G": the G suffix in news is a network generation (5G), not giga;
* "one" as an article or pronoun ("one last time", 一只): not a count a claim turns on.
* dates (１９９１年１月１６日) and ordinals (第十): the time finder's and not amounts.

Prints a table per file and combined per language and writes JSON to
``out/bench/quantities.json``. ``--verbose`` lists factcheck's misses and wrong values.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.extraction.quantities import find_quantities  # noqa: E402
from factcheck.extraction.units import CURRENCY_UNITS, registry, to_pint  # noqa: E402

DEFAULT_SPECS = REPO.parent / "shared" / "benchmarks" / "recognizers-text" / "Specs"
VENV = Path.home() / ".cache" / "factcheck" / "bench-venvs" / "anchors"
ANCHOR_PACKAGES = [
    "recognizers-text-suite==1.0.2a2", "emoji<2", "quantulum3", "scikit-learn", "stemming",  # stemming: to retrain
]

FILES = [
    # (relative path, lang, Recognizers-Text model, scored for precision)
    ("Number/{L}/NumberModel.json", "number", True),
    ("Number/{L}/NumberRangeModel.json", "number", False),
    ("Number/{L}/PercentModel.json", "percentage", False),
    ("NumberWithUnit/{L}/AgeModel.json", "age", False),
    ("NumberWithUnit/{L}/CurrencyModel.json", "currency", False),
    ("NumberWithUnit/{L}/DimensionModel.json", "dimension", False),
    ("NumberWithUnit/{L}/TemperatureModel.json", "temperature", False),
]
LANGS = {"zh": "Chinese", "en": "English"}

#: Expected units that factcheck does not read, and why. Cases with them still count as misses.
OUT_OF_SCOPE = {
    "Bitcoin": "crypto-currencies are not ISO 4217 currencies",
    "Satoshi": "crypto-currencies are not ISO 4217 currencies",
    "Turn": "a turn in news is counted (a road's 3 turns) far more often than it is an angle",
}



def out_of_scope(res: dict | None) -> str | None:
    """Why an expected entity is out of scope, or None."""
    res = res or {}
    if res.get("value") in (None, "null", "") and "unit" in res or res.get("value") == "null":
        return "a unit or sign with no number (dollar, mcg, %) is not a quantity"
    return OUT_OF_SCOPE.get(res.get("unit") or "")


# --- the anchors' venv and runner ------------------------------------------------------

RUNNER = r'''
import json, sys, warnings
warnings.filterwarnings("ignore")
cases = json.load(sys.stdin)
out = {"rt": [], "q3": [], "q3_mode": None}
from recognizers_suite import Culture
import recognizers_suite as rs
MODELS = {"number": rs.recognize_number, "percentage": rs.recognize_percentage,
          "currency": rs.recognize_currency, "dimension": rs.recognize_dimension,
          "temperature": rs.recognize_temperature, "age": rs.recognize_age}
for c in cases:
    culture = Culture.Chinese if c["lang"] == "zh" else Culture.English
    try:
        res = MODELS[c["model"]](c["input"], culture)
    except Exception as e:
        res = []
    rows = []
    for r in res:
        rr = r.resolution or {}
        rows.append({"start": r.start, "end": r.end + 1, "value": rr.get("value"),
                     "unit": rr.get("unit"), "iso": rr.get("isoCurrency")})
    out["rt"].append(rows)
try:
    from quantulum3 import parser
    try:
        from quantulum3 import classifier
        classifier.classifier("en_US")
        out["q3_mode"] = "classifier (retrained)"
    except Exception:
        out["q3_mode"] = "no classifier"
    for c in cases:
        rows = []
        if c["lang"] == "en":
            try:
                qs = parser.parse(c["input"], classifier_path=None) if out["q3_mode"] == "no classifier" \
                    else parser.parse(c["input"])
            except Exception:
                qs = []
            for q in qs:
                unit = q.unit
                rows.append({"start": q.span[0], "end": q.span[1], "value": q.value,
                             "unit": unit.name, "iso": getattr(unit, "currency_code", None),
                             "entity": unit.entity.name if unit.entity else None})
        out["q3"].append(rows)
except Exception as e:
    out["q3_mode"] = "failed: %s" % e
print(json.dumps(out))
'''


def _venv_python() -> Path:
    py = VENV / "bin" / "python"
    if py.exists() and (VENV / ".ready").exists():
        return py
    VENV.parent.mkdir(parents=True, exist_ok=True)
    print(f"installing the anchors into {VENV} (first run only) ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", *ANCHOR_PACKAGES],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    # quantulum3's bundled classifier was pickled with an old scikit-learn: retrain it
    # with its own training data, in place.
    retrain = subprocess.run(
        [str(py), "-c", "from quantulum3 import classifier; classifier.train_classifier(store=True)"],
        capture_output=True,
        text=True,
    )
    (VENV / "q3-retrain.log").write_text(retrain.stdout + retrain.stderr)
    if retrain.returncode != 0:
        print(f"quantulum3 could not be retrained (see {VENV / 'q3-retrain.log'}): runs without it", file=sys.stderr)
    (VENV / ".ready").write_text("ok\n")
    return py


def run_anchors(cases: list[dict]) -> dict:
    py = _venv_python()
    proc = subprocess.run(
        [str(py), "-c", RUNNER],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if proc.returncode != 0:
        raise SystemExit(f"anchor runner failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- expectations and matching ---------------------------------------------------------

_UREG = registry()
_RANGE_RE = re.compile(r"([\[(])\s*([^,]*?)\s*,\s*([^\])]*?)\s*([\])])")
_NUM_RE = re.compile(r"-?[0-9.]+(?:E[+-]?[0-9]+)?", re.I)
_DOLLARS = {"USD", "CAD", "AUD", "HKD", "TWD", "NZD", "SGD"}
_RT_UNITS = {  # Recognizers-Text unit names that pint does not spell the same way
    "c": "degree_Celsius", "f": "degree_Fahrenheit", "mu": "mu", "jin": "jin", "liang": "liang",
    "metric ton": "metric_ton", "cubic foot": "cubic_foot", "square meter": "meter ** 2",
    "barrel": "oil_barrel", "dram": "dram", "teaspoon": "teaspoon", "age": "year",
}


def _num(s) -> float | None:
    if s is None:
        return None
    if isinstance(s, (int, float)):
        return float(s)
    m = _NUM_RE.search(str(s).replace(",", ""))
    return float(m.group()) if m else None


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _pint_unit(name: str | None):
    if not name:
        return None
    key = name.strip()
    expr = _RT_UNITS.get(key.lower()) or to_pint(key) or key.lower().replace(" per ", " / ").replace(" ", "_")
    try:
        return _UREG.parse_units(expr)
    except Exception:
        return None


def _same_unit(expected: str, got: str | None) -> bool:
    if got is None:
        return False
    if expected.lower() == "degree" and got in ("degree_Celsius", "degree_Fahrenheit", "degree"):
        return True  # "85度": a temperature whose scale is not said
    a, b = _pint_unit(expected), _pint_unit(got)
    if a is None or b is None:
        return False
    try:
        return math.isclose((1 * b).to(a).magnitude, 1.0, rel_tol=1e-6) and a.dimensionality == b.dimensionality
    except Exception:
        return False


def _currency_ok(res: dict, value: float | None, unit: str | None) -> bool:
    iso, name = res.get("isoCurrency"), (res.get("unit") or "").lower()
    exp = _num(res.get("value"))
    if unit is None:
        return False
    if name in ("cent", "pence", "penny", "sen"):
        return unit in CURRENCY_UNITS and (_close(value, exp) or _close(value, (exp or 0) / 100))
    if not _close(value, exp):
        return False
    if iso:
        return unit == iso
    if name == "dollar":
        return unit in _DOLLARS
    if name == "franc":
        return unit in ("CHF", "FRF", "XOF", "XAF", "BEF")
    if name == "pound":
        return unit in ("GBP", "EGP")
    return unit == name


def value_ok(expected: dict, pred: dict) -> bool:
    """Whether one prediction ({value, low, high, unit, comparator}) reads the expected entity."""
    res = expected.get("Resolution") or {}
    kind = expected["TypeName"]
    raw = res.get("value")
    value, low, high, unit = pred.get("value"), pred.get("low"), pred.get("high"), pred.get("unit")
    if kind == "numberrange":
        m = _RANGE_RE.fullmatch(str(raw).strip())
        if not m:
            return False
        lo, hi = _num(m.group(2)), _num(m.group(3))
        if lo is not None and hi is not None:
            return _close(low, lo) and _close(high, hi)
        bound = lo if lo is not None else hi
        return _close(value, bound) or _close(low if lo is not None else high, bound)
    if kind == "currency":
        return _currency_ok(res, value, unit)
    exp = _num(raw)
    if kind == "dimension" and res.get("unit") and value is not None and exp is not None:
        a, b = _pint_unit(res["unit"]), _pint_unit(unit)
        if a is not None and b is not None and a.dimensionality == b.dimensionality:
            try:  # the same quantity in another unit: 3000 bit = 3 kilobit
                return _close(_UREG.Quantity(value, b).to(a).magnitude, exp)
            except Exception:
                return False
    if not _close(value, exp):
        return False
    if kind in ("dimension", "temperature", "age") and res.get("unit"):
        return _same_unit(res["unit"], unit)
    return True


def _overlaps(s1: int, e1: int, s2: int, e2: int) -> bool:
    return s1 < e2 and s2 < e1


def score(cases: list[dict], preds: list[list[dict]], precision_file: bool) -> dict:
    expected = found = right = 0
    n_pred = n_pred_ok = 0
    misses, wrong = [], []
    for case, ps in zip(cases, preds):
        exp = case["Results"]
        for e in exp:
            es, ee = e["Start"], e["End"] + 1
            over = [p for p in ps if _overlaps(es, ee, p["start"], p["end"])]
            expected += 1
            if over:
                found += 1
                if any(value_ok(e, p) for p in over):
                    right += 1
                else:
                    wrong.append((case["Input"], e["Text"], e.get("Resolution"), over))
            else:
                misses.append((case["Input"], e["Text"], e.get("Resolution"), ps))
        if precision_file:
            for p in ps:
                n_pred += 1
                if any(_overlaps(e["Start"], e["End"] + 1, p["start"], p["end"]) for e in exp):
                    n_pred_ok += 1
    return {
        "expected": expected, "found": found, "value_right": right,
        "predicted": n_pred if precision_file else None, "predicted_ok": n_pred_ok if precision_file else None,
        "recall": found / expected if expected else None,
        "precision": (n_pred_ok / n_pred if n_pred else 1.0) if precision_file else None,
        "value_acc": right / found if found else None,
        "read": right / expected if expected else None,
        "misses": misses, "wrong": wrong,
    }


def _rt_pred(row: dict, kind: str) -> dict:
    raw = row.get("value")
    p = {"start": row["start"], "end": row["end"], "value": _num(raw), "low": None, "high": None,
         "unit": row.get("iso") or row.get("unit")}
    if kind == "currency" and not row.get("iso"):
        p["unit"] = {"dollar": "USD", "pound": "GBP"}.get((row.get("unit") or "").lower(), row.get("unit"))
    if kind in ("dimension", "temperature", "age") and row.get("unit"):
        p["unit"] = row["unit"]
    return p


def _q3_pred(row: dict) -> dict:
    unit = row.get("iso") or row.get("unit")
    name = (row.get("unit") or "").lower()
    if name in ("percentage", "percent"):
        unit = "percent"
    elif name == "degree celsius":
        unit = "degree_Celsius"
    elif name == "degree fahrenheit":
        unit = "degree_Fahrenheit"
    elif name == "dollar" and not row.get("iso"):
        unit = "USD"
    return {"start": row["start"], "end": row["end"], "value": _num(row.get("value")), "low": None,
            "high": None, "unit": unit}


def _fmt(x) -> str:
    return "  -  " if x is None else f"{x:.2f}"


# --- speed: the finder at REV against the working tree, on the sentences of examples/ ---------

SPEED_RUNNER = r'''
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
from factcheck.extraction.quantities import find_quantities
sentences = json.load(sys.stdin)
out = {}
for lang in ("zh", "en"):
    texts = [s["text"] for s in sentences if s["lang"] == lang]
    best = float("inf")
    for _ in range(7):
        gc.collect(); gc.disable()
        t0 = time.process_time()
        for t in texts:
            find_quantities(t, lang)
        best = min(best, time.process_time() - t0)
        gc.enable()
    out[lang] = best * 1e6 / max(1, len(texts))
print(json.dumps(out))
'''


def example_sentences() -> list[dict]:
    """The sentences of ``examples/``, split as the extractor splits them."""
    from factcheck.extraction.ingest import iter_articles, split_blocks
    from factcheck.extraction.pipeline import SEGMENTED_BLOCKS
    from factcheck.extraction.segment import iter_sentence_spans

    out = []
    for article in iter_articles([REPO / "examples"]):
        blocks = [b for b in split_blocks(article.text) if b.kind in SEGMENTED_BLOCKS]
        out += [{"text": s.text, "lang": s.lang} for s, _, _ in iter_sentence_spans(article.text, blocks)]
    return out


def speed(rev: str, rounds: int = 5) -> dict:
    """µs per sentence of ``find_quantities`` at ``rev`` and in the working tree, and their ratio.

    Each tree runs in its own process (the package at ``rev`` is unpacked with ``git
    archive``); each process takes the best of 7 passes over the sentences of ``examples/``
    per language, in CPU time of the process (a busy shared machine disturbs it far less than
    wall time); the two trees alternate ``rounds`` times and the best of the rounds is kept,
    so a noisy moment hits one round of both, not one tree.
    """
    import tempfile

    sentences = json.dumps(example_sentences())
    best: dict[str, dict[str, float]] = {"before": {}, "now": {}}
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", rev, "factcheck"], cwd=REPO, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        for _ in range(rounds):
            for name, tree in (("before", tmp), ("now", str(REPO))):
                run = subprocess.run([sys.executable, "-c", SPEED_RUNNER, tree], input=sentences, text=True,
                                     capture_output=True, check=True)
                for lang, us in json.loads(run.stdout).items():
                    best[name][lang] = min(best[name].get(lang, float("inf")), us)
    counts = {lang: sum(1 for s in json.loads(sentences) if s["lang"] == lang) for lang in ("zh", "en")}
    return {"rev": rev, "sentences": counts, **best,
            "ratio": {lang: best["now"][lang] / best["before"][lang] for lang in best["now"]}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--specs", type=Path, default=DEFAULT_SPECS)
    ap.add_argument("--verbose", action="store_true", help="list factcheck's misses and wrong values")
    ap.add_argument("--no-anchors", action="store_true", help="score factcheck only")
    ap.add_argument("--lang", choices=("zh", "en"), action="append")
    ap.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "quantities.json")
    ap.add_argument("--speed", metavar="REV", help="time the finder at git revision REV against the working tree "
                    "on the sentences of examples/ (µs per sentence and the ratio now/REV), and stop")
    ap.add_argument("--rounds", type=int, default=5, help="with --speed: alternations of the two trees "
                    "(best of each kept; more rounds on a busy machine)")
    args = ap.parse_args(argv)
    if args.speed:
        result = speed(args.speed, rounds=args.rounds)
        for lang in ("zh", "en"):
            print(f"{lang}: {result['sentences'][lang]} sentences, find_quantities {result['before'][lang]:.1f} µs "
                  f"at {args.speed} → {result['now'][lang]:.1f} µs now (×{result['ratio'][lang]:.2f})")
        return 0
    langs = args.lang or ["zh", "en"]

    files = []
    for lang in langs:
        for pattern, model, prec in FILES:
            rel = pattern.format(L=LANGS[lang])
            path = args.specs / rel
            if path.exists():
                files.append((rel, lang, model, prec, json.loads(path.read_text(encoding="utf-8-sig"))))
    if not files:
        raise SystemExit(f"no spec files under {args.specs}")

    flat = [{"lang": lang, "model": model, "input": c["Input"]} for _, lang, model, _, cs in files for c in cs]
    t0 = time.perf_counter()
    ours = [
        [
            {"start": q.start, "end": q.end, "value": q.value, "low": q.low, "high": q.high, "unit": q.unit,
             "comparator": q.comparator, "text": q.text}
            for q in find_quantities(c["input"], c["lang"])
        ]
        for c in flat
    ]
    our_seconds = time.perf_counter() - t0
    anchors = None if args.no_anchors else run_anchors(flat)

    systems = {"factcheck": ours}
    if anchors:
        i = 0
        rt, q3 = [], []
        for _, _lang, model, _, cs in files:
            for _c in cs:
                rt.append([_rt_pred(r, model) for r in anchors["rt"][i]])
                q3.append([_q3_pred(r) for r in anchors["q3"][i]] if anchors["q3"] else [])
                i += 1
        systems["recognizers-text"] = rt
        systems["quantulum3"] = q3

    results: dict = {"date": datetime.date.today().isoformat(), "specs": str(args.specs),
                     "factcheck_seconds": round(our_seconds, 3),
                     "quantulum3_mode": anchors["q3_mode"] if anchors else None, "files": {}, "combined": {}}
    i = 0
    offsets: dict = {}
    totals: dict = {}
    for rel, lang, _model, prec, cs in files:
        row = {}
        for name, preds in systems.items():
            if name == "quantulum3" and lang != "en":
                continue
            s = score(cs, preds[i : i + len(cs)], prec)
            row[name] = s
            t = totals.setdefault((lang, name), {"expected": 0, "found": 0, "value_right": 0, "predicted": 0,
                                                 "predicted_ok": 0})
            for k in ("expected", "found", "value_right"):
                t[k] += s[k]
            if prec:
                t["predicted"] += s["predicted"]
                t["predicted_ok"] += s["predicted_ok"]
        results["files"][rel] = row
        offsets[rel] = (i, cs)
        i += len(cs)

    names = list(systems)
    header = f"{'file':44} " + " ".join(f"{n[:22]:>24}" for n in names)
    print(f"recall / precision / value accuracy / read   ({results['date']}; quantulum3: {results['quantulum3_mode']})")
    print(header)
    for rel, row in results["files"].items():
        cells = []
        for n in names:
            s = row.get(n)
            if s is None:
                cells.append(f"{'':>24}")
            else:
                cells.append(f"{_fmt(s['recall'])}/{_fmt(s['precision'])}/{_fmt(s['value_acc'])}/{_fmt(s['read'])}".rjust(24))
        print(f"{rel:44} " + " ".join(cells) + f"  n={row['factcheck']['expected']}")
    for lang in langs:
        cells = []
        for n in names:
            t = totals.get((lang, n))
            if t is None:
                cells.append(f"{'':>24}")
                continue
            t["recall"] = t["found"] / t["expected"] if t["expected"] else None
            t["precision"] = t["predicted_ok"] / t["predicted"] if t["predicted"] else None
            t["value_acc"] = t["value_right"] / t["found"] if t["found"] else None
            t["read"] = t["value_right"] / t["expected"] if t["expected"] else None
            results["combined"].setdefault(lang, {})[n] = dict(t)
            cells.append(f"{_fmt(t['recall'])}/{_fmt(t['precision'])}/{_fmt(t['value_acc'])}/{_fmt(t['read'])}".rjust(24))
        print(f"{'combined ' + lang:44} " + " ".join(cells) + f"  n={totals[(lang, 'factcheck')]['expected']}")
    print(f"factcheck: {len(flat)} cases in {our_seconds:.2f} s")
    print("out of scope (still counted as misses): a unit with no number (dollar, mcg, %); "
          + "; ".join(f"{k}: {v}" for k, v in OUT_OF_SCOPE.items()))

    if args.verbose:
        for rel, row in results["files"].items():
            s = row["factcheck"]
            for inp, text, res, ps in s["misses"]:
                scope = out_of_scope(res)
                tag = f" [out of scope: {scope}]" if scope else ""
                got = ", ".join(f"{p['text']}" for p in ps)
                print(f"MISS  {rel}: {inp!r} → {text!r} {res}{tag}  got [{got}]")
            for inp, text, res, ps in s["wrong"]:
                got = ", ".join(f"{p['text']}={p['value'] if p['value'] is not None else (p['low'], p['high'])}"
                                f" {p['unit']} {p.get('comparator') or ''}" for p in ps)
                print(f"VALUE {rel}: {inp!r} → {text!r} {res}  got [{got}]")
            if s["predicted"]:
                off, exp_cases = offsets[rel]
                for c, ps in zip(exp_cases, systems["factcheck"][off : off + len(exp_cases)]):
                    for p in ps:
                        if not any(_overlaps(e["Start"], e["End"] + 1, p["start"], p["end"]) for e in c["Results"]):
                            print(f"EXTRA {rel}: {c['Input']!r} → {p['text']!r}")

    for row in results["files"].values():
        for s in row.values():
            s["misses"] = len(s["misses"])
            s["wrong"] = len(s["wrong"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

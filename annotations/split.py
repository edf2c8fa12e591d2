"""Assign train/dev/test splits to the check-worthiness annotation files and report counts.

The files ``zh_checkworthy.jsonl`` and ``en_checkworthy.jsonl`` beside this script hold one
JSON object per line (``text``, ``label``, ``lang``, ``topic``, ``style``, ``why``).  This
script validates them, adds or overwrites a ``split`` field and writes them back in place.

The split is about 70/10/20 (train/dev/test), stratified by ``(label, topic)`` within each
file.  It is deterministic and does not depend on line order: inside each stratum the lines
are ordered by ``sha256(f"{SEED}:{text}")``; the first ``round(0.2 * n)`` become ``test``,
the next ``round(0.1 * n)`` become ``dev`` and the rest ``train``.  Re-running the script
on unchanged files reproduces the same split.

The ``test`` split is held out: never train, tune thresholds or select models on it.

Usage::

    python annotations/split.py            # validate, assign splits, rewrite the files
    python annotations/split.py --check    # validate only; fail if splits are missing/stale
    python annotations/split.py --stats    # print the Markdown count tables used in README.md
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

SEED = 20240601
FRACTIONS = {"test": 0.2, "dev": 0.1}  # the rest is train
HERE = Path(__file__).resolve().parent
FILES = {"zh": HERE / "zh_checkworthy.jsonl", "en": HERE / "en_checkworthy.jsonl"}

POSITIVE_WHY = {"numeric", "dated", "attributed", "event", "comparative"}
NEGATIVE_WHY = {
    "opinion", "prediction", "question", "rhetoric", "meta", "vague",
    "hard_negative_number", "hard_negative_date",
}
FIELDS = ("text", "label", "lang", "topic", "style", "why")


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def save(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _dedup_key(text: str) -> str:
    """Text with case, punctuation, width and all digits/Chinese numerals folded away."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"[0-9零一二三四五六七八九十百千万亿两]+", "#", t)
    return re.sub(r"[\W_]+", "", t)


def validate(lang: str, rows: list[dict]) -> list[str]:
    errors = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, 1):
        missing = [k for k in FIELDS if k not in row]
        if missing:
            errors.append(f"{lang}:{i}: missing {missing}")
            continue
        if row["lang"] != lang:
            errors.append(f"{lang}:{i}: lang is {row['lang']!r}")
        if row["label"] not in (0, 1):
            errors.append(f"{lang}:{i}: label {row['label']!r}")
        allowed = POSITIVE_WHY if row["label"] == 1 else NEGATIVE_WHY
        if row["why"] not in allowed:
            errors.append(f"{lang}:{i}: why {row['why']!r} does not fit label {row['label']}")
        key = _dedup_key(row["text"])
        if key in seen:
            errors.append(f"{lang}:{i}: duplicate of line {seen[key]} (ignoring numbers)")
        seen[key] = i
    return errors


def assign(rows: list[dict]) -> dict[int, str]:
    strata: dict[tuple, list[int]] = collections.defaultdict(list)
    for i, row in enumerate(rows):
        strata[(row["label"], row["topic"])].append(i)
    split: dict[int, str] = {}
    for idx in strata.values():
        idx.sort(key=lambda i: hashlib.sha256(f"{SEED}:{rows[i]['text']}".encode()).hexdigest())
        n_test = round(FRACTIONS["test"] * len(idx))
        n_dev = round(FRACTIONS["dev"] * len(idx))
        for k, i in enumerate(idx):
            split[i] = "test" if k < n_test else "dev" if k < n_test + n_dev else "train"
    return split


def table(counter: collections.Counter, rows_keys: list, cols: list, row_name: str) -> str:
    head = f"| {row_name} | " + " | ".join(map(str, cols)) + " | total |"
    out = [head, "|" + " --- |" * (len(cols) + 2)]
    for r in rows_keys:
        vals = [counter[(r, c)] for c in cols]
        out.append(f"| {r} | " + " | ".join(map(str, vals)) + f" | {sum(vals)} |")
    totals = [sum(counter[(r, c)] for r in rows_keys) for c in cols]
    out.append("| **total** | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    return "\n".join(out)


def stats(lang: str, rows: list[dict]) -> str:
    splits = ["train", "dev", "test"]
    topics = list(dict.fromkeys(r["topic"] for r in rows))
    pos = sum(r["label"] for r in rows)
    parts = [f"### {lang} ({len(rows)} sentences, {pos} positive = {pos / len(rows):.1%})", ""]
    parts.append(table(collections.Counter((r["label"], r["split"]) for r in rows), [1, 0], splits, "label"))
    parts.append("")
    parts.append(table(collections.Counter((r["topic"], r["label"]) for r in rows), topics, [1, 0], "topic \\ label"))
    parts.append("")
    styles = list(dict.fromkeys(r["style"] for r in rows))
    parts.append(table(collections.Counter((r["style"], r["label"]) for r in rows), styles, [1, 0], "style \\ label"))
    parts.append("")
    whys = sorted(POSITIVE_WHY) + sorted(NEGATIVE_WHY)
    parts.append(table(collections.Counter((r["why"], r["split"]) for r in rows), whys, splits, "why \\ split"))
    lengths = sorted(len(r["text"]) for r in rows)
    parts.append("")
    parts.append(f"Length in characters: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}.")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="validate only, do not rewrite")
    ap.add_argument("--stats", action="store_true", help="print Markdown count tables")
    args = ap.parse_args(argv)
    status = 0
    for lang, path in FILES.items():
        rows = load(path)
        errors = validate(lang, rows)
        for e in errors:
            print(e, file=sys.stderr)
        if errors:
            status = 1
            continue
        split = assign(rows)
        if args.check or args.stats:
            stale = [i for i, r in enumerate(rows) if r.get("split") != split[i]]
            if stale:
                print(f"{lang}: {len(stale)} lines have a missing or stale split", file=sys.stderr)
                status = 1
        else:
            for i, row in enumerate(rows):
                row["split"] = split[i]
            save(path, rows)
            print(f"{lang}: wrote {len(rows)} lines to {path.name}")
        if args.stats and all("split" in r for r in rows):
            print(stats(lang, rows))
            print()
    return status


if __name__ == "__main__":
    sys.exit(main())

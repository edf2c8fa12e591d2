"""Score standalone claims on the held-out third of annotations/standalone/ (issue 22),
beside an anchor: the same scoring of another commit of the extractor, in the same run.

    .venv/bin/python bench/standalone.py [--anchor REV] [--split test|dev|all] [--show N] [--repeat 3]

The sentences are read from ``../shared`` (the set stores references and labels only)
and each is extracted alone (``extract(sentence, include_rejected=True)``). The anchor
runs from a git worktree of ``--anchor`` in /tmp, in a subprocess with this venv.

Per language, over the gold claims that are check-worthy (each is matched to the
candidate whose clause holds its ``key``, the words of its predicate):

* subject right: every word of the gold subject is in the claim's text; "carried" counts
  only the claims whose subject stands in an earlier clause of the sentence;
* time right: every gold time is in the text and a carried time (``carried["time"]``) is
  one the gold lists; "dated" counts only the claims with a gold or a carried time;
* source right: the gold source is in the text exactly once; "source as subject" counts
  claims whose carried subject is (part of) the source, or that repeat the source;
* checkable without the article: subject, time and source right and the predicate's words
  in the text (its number or date among them: the key holds the predicate);
* own claim: no other gold claim's key is in the same candidate (the sentence was split there);
* fragments: candidates kept as claims (``is_claim``) whose clause holds no gold key,
  neither a claim's nor a stated opinion's (a bare time, a comparison frame, a condition).

Then the extractor's time over bare spaCy on the two seed articles (issue 22's target: the
extractor stays within +50% of bare spaCy), for this tree and the anchor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
LABELS = REPO / "annotations" / "standalone" / "standalone.jsonl"
ANCHOR = "38e534ff9c3f86e0d48aab1f0634bb2b89cdd818"  # HEAD when issue 22's work began

# Runs in a subprocess with the tree under test first on sys.path: reads sentences on
# stdin, writes every candidate of each and the timings on stdout.
_RUNNER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from factcheck.extraction.pipeline import extract, extract_article, SEGMENTED_BLOCKS
from factcheck.extraction.ingest import split_blocks
from factcheck.extraction.segment import load_bare_nlp, detect_lang
from factcheck.records import Article
job = json.load(sys.stdin)
out = []
for text in job["sentences"]:
    out.append([{"start": c.start, "end": c.end, "text": c.text, "is_claim": c.is_claim, "kind": c.kind,
                 "carried": c.carried, "context": getattr(c, "context", "")}
                for c in extract(text, include_rejected=True)])
articles = job["articles"]
chunks = {"zh": [], "en": []}
for text in articles:
    for b in split_blocks(text):
        if b.kind in SEGMENTED_BLOCKS:
            chunks[detect_lang(text[b.start:b.end])].append(text[b.start:b.end])
for a in articles:
    extract_article(Article(text=a))  # warm: models, tables, caches
bare, full = [], []
for _ in range(job["repeat"]):
    t = time.perf_counter()
    for lang, texts in chunks.items():
        if texts:
            for doc in load_bare_nlp(lang).pipe(texts):
                list(doc.sents)
    bare.append(time.perf_counter() - t)
    t = time.perf_counter()
    for a in articles:
        extract_article(Article(text=a))
    full.append(time.perf_counter() - t)
json.dump({"claims": out, "bare_s": min(bare), "extract_s": min(full)}, sys.stdout)
"""


def source_text(row: dict) -> str:
    """The text a reference points into, read from ../shared."""
    if row["dataset"] == "seeds":
        return (SHARED / "seeds" / row["file"]).read_text(encoding="utf-8")
    path = SHARED / "datasets" / row["dataset"] / row["file"]
    if row["dataset"] == "ced-weibo-rumor":
        return json.loads(path.read_text(encoding="utf-8"))["text"]
    if row["dataset"] == "averitec":
        return json.loads(path.read_text(encoding="utf-8"))[row["row"]][row["field"]]
    with path.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if row["dataset"] == "cfever":
        return next(r for r in records if r["id"] == row["row"])[row["field"]]
    return records[row["row"]][row["field"]]


def load_set(split: str) -> list[dict]:
    """The labelled sentences of ``split`` with their text, checked against their hash."""
    rows = []
    cache: dict[tuple, str] = {}
    with LABELS.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if split != "all" and row["split"] != split:
                continue
            key = (row["dataset"], row["file"], row["row"], row["field"])
            if key not in cache:
                cache[key] = source_text(row)
            text = cache[key][row["start"] : row["end"]]
            if hashlib.sha256(text.encode()).hexdigest() != row["sha256"]:
                raise SystemExit(f"{row['dataset']}/{row['file']} row {row['row']}: the sentence changed (sha256)")
            rows.append({**row, "text": text})
    return rows


def run_tree(tree: Path, sentences: list[str], articles: list[str], repeat: int) -> dict:
    job = json.dumps({"sentences": sentences, "articles": articles, "repeat": repeat})
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _RUNNER, str(tree)], input=job, capture_output=True,
                          text=True, env=env, cwd=tree, check=False)
    if done.returncode:
        raise SystemExit(f"extraction in {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def anchor_tree(rev: str) -> Path:
    """A detached worktree of ``rev`` in /tmp (made once, reused)."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", rev], capture_output=True, text=True,
                            check=True).stdout.strip()
    tree = Path("/tmp") / f"factcheck-anchor-{commit[:12]}"
    if not (tree / "factcheck").is_dir():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), commit],
                       check=True, capture_output=True)
    return tree


def _has(text: str, piece: str, lang: str) -> bool:
    return piece.lower() in text.lower() if lang == "en" else piece in text


def _count(text: str, piece: str, lang: str) -> int:
    return text.lower().count(piece.lower()) if lang == "en" else text.count(piece)


def _needs_carrying(row: dict, index: int) -> bool:
    """Does the claim's subject stand in an earlier clause (before the previous claim's key)?"""
    claim = row["claims"][index]
    if index == 0 or not claim["subject"]:
        return False
    previous_key_end = row["claims"][index - 1]["key"][1]
    text, key_start = row["text"], claim["key"][0]
    first = claim["subject"][0]
    at = text.rfind(first, 0, key_start) if row["lang"] == "zh" else text.lower().rfind(first.lower(), 0, key_start)
    return at < previous_key_end


def _holder(cands: list[dict], key: list[int]) -> dict | None:
    """The candidate whose clause holds the key (the narrowest), else the one overlapping it most."""
    holding = [c for c in cands if c["start"] <= key[0] and key[1] <= c["end"]]
    if holding:
        return min(holding, key=lambda c: c["end"] - c["start"])
    overlap = [(min(c["end"], key[1]) - max(c["start"], key[0]), i) for i, c in enumerate(cands)]
    best = max(overlap, default=(0, -1))
    return cands[best[1]] if best[0] > 0 else None


FIGURES = (
    "subject right", "subject right (carried)", "time right", "time right (dated)", "source right",
    "source never as subject", "checkable without the article", "own claim (split)", "no fragment kept",
)


def score(rows: list[dict], candidates: list[list[dict]]) -> dict:
    """The figures of the module docstring, per language."""
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    examples: dict[str, list[str]] = defaultdict(list)

    def count(lang: str, name: str, ok: bool, note: str = "") -> None:
        tally[lang][name][0] += ok
        tally[lang][name][1] += 1
        if not ok and note:
            examples[f"{lang} {name}"].append(note)

    for row, cands in zip(rows, candidates):
        lang, text = row["lang"], row["text"]
        keys = [c["key"] for c in row["claims"]]

        for i, gold in enumerate(row["claims"]):
            if not gold["checkworthy"]:
                continue
            cand = _holder(cands, gold["key"])
            got = cand["text"] if cand else ""
            note = f"{gold['claim']}  ←  {got or '(no candidate)'}"
            subject_ok = all(_has(got, p, lang) for p in gold["subject"])
            if gold["subject"]:
                count(lang, "subject right", subject_ok, note)
                if _needs_carrying(row, i):
                    count(lang, "subject right (carried)", subject_ok, note)
            carried = (cand or {}).get("carried", {})
            carried_time = carried.get("time")
            time_ok = all(_has(got, t, lang) for t in gold["time"]) and (
                carried_time is None or any(carried_time in t or t in carried_time for t in gold["time"])
            )
            count(lang, "time right", time_ok, note)
            if gold["time"] or carried_time:
                count(lang, "time right (dated)", time_ok, note)
            source = gold["source"]
            source_ok = source is None or _count(got, source, lang) == 1
            if source:
                count(lang, "source right", source_ok, note)
            subject = carried.get("subject") or ""
            as_subject = bool(subject) and any(
                s and (subject in s or s in subject) for s in [source, carried.get("source")]
            )
            if source and _count(got, source, lang) > 1:
                as_subject = True
            count(lang, "source never as subject", not as_subject, note)
            predicate_ok = cand is not None and _has(got, text[gold["key"][0] : gold["key"][1]], lang)
            count(lang, "checkable without the article", subject_ok and time_ok and source_ok and predicate_ok, note)
            others = [k for k in keys if k is not gold["key"]]
            own = cand is not None and not any(cand["start"] <= k[0] and k[1] <= cand["end"] for k in others)
            count(lang, "own claim (split)", own, note)
        for cand in cands:
            if not cand["is_claim"]:
                continue
            holds_key = any(cand["start"] < k[1] and k[0] < cand["end"] for k in keys)
            count(lang, "no fragment kept", holds_key, f"{cand['text']}  (kind {cand['kind']}; in: {text})")
    return {"tally": tally, "examples": examples}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--anchor", default=ANCHOR, help="git revision scored beside this tree (default: %(default)s)")
    parser.add_argument("--split", default="test", choices=["test", "dev", "all"])
    parser.add_argument("--show", type=int, default=0, help="print up to N misses of each figure, for this tree")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    rows = load_set(args.split)
    sentences = [r["text"] for r in rows]
    articles = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    trees = {"this tree": REPO, f"anchor {args.anchor[:10]}": anchor_tree(args.anchor)}
    results = {name: run_tree(tree, sentences, articles, args.repeat) for name, tree in trees.items()}
    scored = {name: score(rows, res["claims"]) for name, res in results.items()}

    langs = sorted({r["lang"] for r in rows})
    print(f"annotations/standalone, split {args.split}: " + ", ".join(
        f"{lang} {sum(r['lang'] == lang for r in rows)} sentences, "
        f"{sum(c['checkworthy'] for r in rows if r['lang'] == lang for c in r['claims'])} claims" for lang in langs))
    names = list(scored)
    print(f"\n| figure | lang | {' | '.join(names)} |\n| --- | --- |{' --- |' * len(names)}")
    for figure in FIGURES:
        for lang in langs:
            cells = []
            for name in names:
                ok, n = scored[name]["tally"][lang].get(figure, [0, 0])
                cells.append(f"{ok / n:.3f} ({ok}/{n})" if n else "–")
            print(f"| {figure} | {lang} | {' | '.join(cells)} |")
    print("\nextractor time over bare spaCy on the two seed articles (best of "
          f"{args.repeat}; issue 22's target: within +50%):")
    for name, res in results.items():
        print(f"  {name}: {res['extract_s'] / res['bare_s'] - 1:+.0%} "
              f"(bare spaCy {res['bare_s']:.3f} s, extractor {res['extract_s']:.3f} s)")
    if args.show:
        mine = scored["this tree"]["examples"]
        for figure, notes in sorted(mine.items()):
            print(f"\n## misses: {figure}")
            for note in notes[: args.show]:
                print("  -", note)


if __name__ == "__main__":
    main()

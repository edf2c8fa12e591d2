"""Second batch of real Chinese sentences to label for ``annotations/zh_real_checkworthy.jsonl``.

    .venv/bin/python scripts/real_zh_candidates.py [SHARED] > /tmp/candidates.jsonl
    .venv/bin/python scripts/real_zh_candidates.py --fresh-posts 110 > /tmp/more.jsonl
    .venv/bin/python scripts/real_zh_candidates.py --append /tmp/candidates.jsonl LABELS

The second form appends the labelled candidates to the file: ``LABELS`` has one line per
candidate read, ``n label why`` (or ``n skip`` for a near-duplicate of a labelled sentence),
and ``split`` follows the held-out rule of ``annotations/README.md``.

Prints one reference per candidate sentence, with ``text`` and a running ``n`` for the
annotator (never commit that output). Sentences already in the labelled file are skipped,
and so are sentences whose text is already there from another post (reposted rumours):

* every sentence of the CED Weibo posts written in Traditional script (OpenCC's ``t2s``
  changes more than 8% of their Han characters; about 20 of the 1,000 posts);
* CED Weibo posts in the order of ``sha256("zhreal2:" + file name)``, at most two
  sentences a post (the first two by ``sha256(sentence)``), until ``WEIBO_SENTENCES``;
* CFEVER dev claims not yet used, in the order of ``sha256("zhreal2:" + id)``, until
  ``CFEVER_CLAIMS``.

``--fresh-posts N`` prints a further batch instead: N sentences, two a post, from the
Weibo posts (same hash order) that have no labelled sentence yet. It balanced the labels of
the second batch, since CFEVER claims are almost all check-worthy.

Sentences are cut as in ``annotations/zh_real_select.py`` (8 to 160 characters, four Han
characters in a row). The seed articles are left out: every sentence of them is labelled.
The choice is by hash, not by hand; labels are added by reading each sentence.
"""

from __future__ import annotations

import hashlib
import json
import sys
from difflib import SequenceMatcher
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "annotations"))
from zh_real_select import sentences  # noqa: E402  (the first batch's sentence cutter)

WEIBO_SENTENCES, CFEVER_CLAIMS = 230, 160
TRADITIONAL_SHARE = 0.08


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _is_traditional(text: str, to_simplified: opencc.OpenCC) -> bool:
    han = sum("\u4e00" <= c <= "\u9fff" for c in text)
    changed = sum(a != b for a, b in zip(text, to_simplified.convert(text), strict=False))
    return bool(han) and changed / han > TRADITIONAL_SHARE


def candidates(shared: Path, labelled: list[dict]):
    """``(dataset, file, row, start, end, text)`` of each new candidate."""
    from factcheck.model.real_text import load_real

    seen = {row.text for row in load_real(shared=shared)}
    used_claims = {ref["row"] for ref in labelled if ref["dataset"] == "cfever"}
    to_simplified = opencc.OpenCC("t2s")
    weibo = shared / "datasets" / "ced-weibo-rumor" / "original-microblog"
    posts = sorted(weibo.glob("*.json"), key=lambda p: _sha("zhreal2:" + p.name))
    texts = {p.name: json.loads(p.read_text(encoding="utf-8"))["text"] for p in posts}

    def fresh(name: str, spans: list[tuple[int, int]]):
        for start, end in spans:
            text = texts[name][start:end]
            if text not in seen:
                seen.add(text)
                yield "ced-weibo-rumor", f"original-microblog/{name}", None, start, end, text

    traditional = [p.name for p in posts if _is_traditional(texts[p.name], to_simplified)]
    for name in traditional:
        yield from fresh(name, sentences(texts[name]))
    taken = 0
    for path in posts:
        if path.name in traditional or taken >= WEIBO_SENTENCES:
            continue
        text = texts[path.name]
        spans = [s for s in sentences(text) if text[s[0] : s[1]] not in seen]
        chosen = sorted(sorted(spans, key=lambda span: _sha(text[span[0] : span[1]]))[:2])
        for candidate in fresh(path.name, chosen):
            taken += 1
            yield candidate
    rows = [json.loads(line) for line in (shared / "datasets" / "cfever" / "dev.jsonl").open(encoding="utf-8")]
    fresh_rows = [r for r in rows if r["id"] not in used_claims and r["claim"] not in seen]
    for row in sorted(fresh_rows, key=lambda r: _sha(f"zhreal2:{r['id']}"))[:CFEVER_CLAIMS]:
        seen.add(row["claim"])
        yield "cfever", "dev.jsonl", row["id"], 0, len(row["claim"]), row["claim"]


LABELLED_FILE = ROOT / "annotations" / "zh_real_checkworthy.jsonl"
STYLE = {"ced-weibo-rumor": "社交媒体帖子", "cfever": "百科陈述"}


def held_out(text: str) -> bool:
    """The held-out third: ``int(sha256("zh_real:" + text)[:8], 16) % 3 == 0``."""
    return int(_sha("zh_real:" + text)[:8], 16) % 3 == 0


def _near_duplicate(text: str, labelled: list[str]) -> bool:
    """A reposted rumour: the same sentence up to spacing, punctuation or a tag (ratio > 0.8)."""
    return any(abs(len(text) - len(other)) < 0.3 * len(text) and SequenceMatcher(None, text, other).ratio() > 0.8
               for other in labelled)


def append(candidates_file: Path, labels_file: Path, shared: Path) -> int:
    """Append the labelled candidates to the labelled file; returns how many were added.

    Weibo sentences that nearly repeat a labelled one are left out, so that a repost cannot
    sit in training while its twin is held out. CFEVER's mutated claims (one word changed,
    often the verdict with it) are kept: they are different claims.
    """
    from factcheck.model.real_text import load_real

    to_simplified = opencc.OpenCC("t2s")
    labelled_texts = [row.text for row in load_real(shared=shared)]
    chosen = {json.loads(line)["n"]: json.loads(line) for line in candidates_file.open(encoding="utf-8")}
    present = {(r["dataset"], r["file"], r["row"], r["start"], r["end"])
               for r in map(json.loads, LABELLED_FILE.read_text(encoding="utf-8").splitlines())}
    lines = []
    for entry in labels_file.read_text(encoding="utf-8").split("\n"):
        if not entry.strip() or entry.split()[1] == "skip":
            continue
        n, label, why = entry.split()
        ref = chosen[int(n)]
        if (ref["dataset"], ref["file"], ref["row"], ref["start"], ref["end"]) in present:
            continue
        if ref["dataset"] == "ced-weibo-rumor" and _near_duplicate(ref["text"], labelled_texts):
            continue
        labelled_texts.append(ref["text"])
        if ref["dataset"] == "cfever":
            script = "Hant"
        else:
            post = json.loads((shared / "datasets" / "ced-weibo-rumor" / ref["file"]).read_text(encoding="utf-8"))
            script = "Hant" if _is_traditional(post["text"], to_simplified) else "Hans"
        lines.append(json.dumps({
            "dataset": ref["dataset"], "file": ref["file"], "row": ref["row"], "start": ref["start"],
            "end": ref["end"], "sha256": ref["sha256"], "label": int(label), "why": why, "lang": "zh",
            "script": script, "style": STYLE[ref["dataset"]], "split": "test" if held_out(ref["text"]) else "train",
        }, ensure_ascii=False))
    with LABELLED_FILE.open("a", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)
    return len(lines)


def fresh_posts(shared: Path, labelled: list[dict], count: int):
    """``count`` sentences, two a post, from Weibo posts none of whose sentences is labelled."""
    from factcheck.model.real_text import load_real

    seen = {row.text for row in load_real(shared=shared)}
    used_posts = {ref["file"] for ref in labelled if ref["dataset"] == "ced-weibo-rumor"}
    weibo = shared / "datasets" / "ced-weibo-rumor" / "original-microblog"
    taken = 0
    for path in sorted(weibo.glob("*.json"), key=lambda p: _sha("zhreal2:" + p.name)):
        if f"original-microblog/{path.name}" in used_posts or taken >= count:
            continue
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        spans = [s for s in sentences(text) if text[s[0] : s[1]] not in seen]
        for start, end in sorted(sorted(spans, key=lambda span: _sha(text[span[0] : span[1]]))[:2]):
            seen.add(text[start:end])
            taken += 1
            yield "ced-weibo-rumor", f"original-microblog/{path.name}", None, start, end, text[start:end]


def main(shared: Path, more: int | None = None) -> None:
    labelled_file = LABELLED_FILE
    labelled = [json.loads(line) for line in labelled_file.read_text(encoding="utf-8").splitlines() if line]
    chosen = fresh_posts(shared, labelled, more) if more else candidates(shared, labelled)
    for n, (dataset, file, row, start, end, text) in enumerate(chosen):
        print(json.dumps({"n": n, "dataset": dataset, "file": file, "row": row, "start": start, "end": end,
                          "sha256": _sha(text)[:16], "text": text}, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--append"]:
        print(append(Path(sys.argv[2]), Path(sys.argv[3]), ROOT.parent / "shared"), "rows appended")
    elif sys.argv[1:2] == ["--fresh-posts"]:
        main(ROOT.parent / "shared", int(sys.argv[2]))
    else:
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared")

"""How the sentences of ``zh_real_checkworthy.jsonl`` were chosen (references only, no labels).

    python annotations/zh_real_select.py [SHARED] > candidates.jsonl

Reads the public data sets under ``SHARED`` (default: ``shared/`` beside the checkout)
and prints one reference per candidate sentence:

* CED Weibo posts in the order of ``sha256("zhreal:" + file name)``, at most two
  sentences a post (the first two by ``sha256(sentence)``), until 470 (467 once
  duplicates go);
* the first 230 CFEVER dev claims by ``sha256("zhreal:" + id)``;
* every sentence of the two seed articles.

Exact duplicates are dropped. Sentences are cut after 。！？!?；; or a line break,
stripped, and kept at 8 to 160 characters with four Han characters in a row. Each line
has the fields of the labelled file but ``label``, ``why`` and ``split``, plus ``text``
for the annotator: never commit that output.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”\"」』）)]*|\n|$)")
WEIBO_SENTENCES, CFEVER_CLAIMS = 470, 230


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each candidate sentence of ``text``."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        piece = text[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if 8 <= end - start <= 160 and re.search(r"[\u4e00-\u9fff]{4}", text[start:end]):
            spans.append((start, end))
    return spans


def candidates(shared: Path):
    weibo = shared / "datasets" / "ced-weibo-rumor" / "original-microblog"
    taken = 0
    for path in sorted(weibo.glob("*.json"), key=lambda p: _sha("zhreal:" + p.name)):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        chosen = sorted(sorted(sentences(text), key=lambda span: _sha(text[span[0] : span[1]]))[:2])
        for start, end in chosen:
            yield "ced-weibo-rumor", f"original-microblog/{path.name}", None, start, end, text[start:end]
        taken += len(chosen)
        if taken >= WEIBO_SENTENCES:
            break
    rows = [json.loads(line) for line in (shared / "datasets" / "cfever" / "dev.jsonl").open(encoding="utf-8")]
    for row in sorted(rows, key=lambda r: _sha(f"zhreal:{r['id']}"))[:CFEVER_CLAIMS]:
        yield "cfever", "dev.jsonl", row["id"], 0, len(row["claim"]), row["claim"]
    for path in sorted((shared / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for start, end in sentences(text):
            yield "seeds", path.name, None, start, end, text[start:end]


def main(shared: Path) -> None:
    seen: set[str] = set()
    for dataset, file, row, start, end, text in candidates(shared):
        if text not in seen:
            seen.add(text)
            print(json.dumps({"dataset": dataset, "file": file, "row": row, "start": start, "end": end,
                              "sha256": _sha(text)[:16], "text": text}, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared")

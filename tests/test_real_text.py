"""The real-text Chinese set: references into ../shared, resolved at run time."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from factcheck.errors import AnnotationError
from factcheck.model.datasets import Example, load, split_examples
from factcheck.model.real_text import REAL_FILE, load_real, shared_dir

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "annotations" / REAL_FILE
SHARED = shared_dir(ROOT)

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="the public data sets (../shared) are not here")


def test_the_file_holds_references_and_labels_never_the_sentences():
    rows = [json.loads(line) for line in REFERENCES.read_text(encoding="utf-8").splitlines()]
    assert all("text" not in row and "claim" not in row for row in rows)
    assert {row["dataset"] for row in rows} == {"ced-weibo-rumor", "cfever", "seeds"}


@needs_shared
def test_every_reference_resolves_to_a_real_sentence_in_both_scripts():
    examples = load_real(shared=SHARED)
    assert len(examples) >= 800
    assert len({e.text for e in examples}) == len(examples)
    scripts = Counter(e.meta["script"] for e in examples)
    assert scripts["Hans"] >= 400 and scripts["Hant"] >= 200
    # Weibo posts and the seeds hold both kinds of sentence, not a one-label shortcut.
    by_source = Counter((e.meta["dataset"], e.label) for e in examples)
    assert min(by_source[("ced-weibo-rumor", 0)], by_source[("ced-weibo-rumor", 1)], by_source[("seeds", 0)],
               by_source[("seeds", 1)]) >= 90


@needs_shared
def test_a_third_is_held_out_and_never_reaches_training():
    examples = load(f"zh_real:{REFERENCES}")
    assert all(isinstance(e, Example) for e in examples)
    test = [e for e in examples if e.split == "test"]
    assert 0.28 < len(test) / len(examples) < 0.39
    train, dev, held_out = split_examples(examples, seed=13)
    assert {e.text for e in held_out} == {e.text for e in test}
    assert not {e.text for e in train + dev} & {e.text for e in test}


@needs_shared
def test_the_issues_example_is_labelled_a_dated_claim():
    example = next(e for e in load_real(shared=SHARED) if e.text.startswith("2002年,伊朗纳坦兹"))
    assert (example.label, example.meta["why"]) == (1, "dated")


def test_a_missing_shared_folder_says_where_it_looked(tmp_path):
    with pytest.raises(AnnotationError) as caught:
        load_real(REFERENCES, shared=tmp_path / "shared")
    assert caught.value.code == "F540"
    assert str(tmp_path / "shared") in str(caught.value)


@needs_shared
def test_a_reference_whose_text_changed_is_refused(tmp_path):
    row = json.loads(REFERENCES.read_text(encoding="utf-8").splitlines()[0])
    moved = tmp_path / "moved.jsonl"
    moved.write_text(json.dumps({**row, "start": row["start"] + 1}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        load_real(moved, shared=SHARED)
    assert caught.value.code == "F541"
    assert "moved.jsonl, line 1" in str(caught.value)

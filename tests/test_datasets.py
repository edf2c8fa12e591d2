"""Tests for factcheck.model.datasets: the readers (on the public files when present and on small
files written here), auto-detection, splits, fingerprints, duplicates and conflicts.

The public data sets are read in place from ``../shared/datasets`` (never copied into the
repository); each test that needs one skips when it is absent. Expected counts are the
ones stated in each folder's PROVENANCE.md.
"""

from __future__ import annotations

import collections
import json
import random
from pathlib import Path

import pytest

from factcheck.errors import CODES, AnnotationError
from factcheck.model.datasets import (
    FORMATS,
    Example,
    conflicts,
    dedupe,
    detect_format,
    fingerprint,
    load,
    read_claimbuster,
    read_clef2019,
    read_clef2020_tweets,
    read_clef2022_1a,
    read_clef2022_1b,
    read_clef2024,
    read_factcheck_gpt,
    read_project_jsonl,
    split_examples,
)

from .conftest import REPO

DATASETS = REPO.parent / "shared" / "datasets"
ANNOTATIONS = REPO / "annotations"


def public(relative: str) -> Path:
    path = DATASETS / relative
    if not path.exists():
        pytest.skip(f"{path} not present (public data sets are read from ../shared/datasets, never copied here)")
    return path


def labels(examples) -> tuple[int, int]:
    counts = collections.Counter(e.label for e in examples)
    return counts[1], counts[0]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def jsonl(*rows: dict) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def ex(text: str, label: int = 1, lang: str = "en", split: str | None = None, **kw) -> Example:
    return Example(text, label, lang, kw.pop("source", "test"), split, **kw)


CLEF22_HEADER = "topic\ttweet_id\ttweet_url\ttweet_text\tclass_label\n"
CLEF20_HEADER = "topic_id\ttweet_id\ttweet_url\ttweet_text\tclaim\tclaim_worthiness\n"


# --------------------------------------------------------------------------------------
# the project's own annotations (always in the repository)


def test_project_annotations_counts_splits_and_languages():
    zh = list(read_project_jsonl(ANNOTATIONS / "zh_checkworthy.jsonl"))
    en = list(read_project_jsonl(ANNOTATIONS / "en_checkworthy.jsonl"))
    assert (len(zh), labels(zh)) == (889, (454, 435))
    assert (len(en), labels(en)) == (883, (454, 429))
    assert {e.lang for e in zh} == {"zh"} and {e.lang for e in en} == {"en"}
    assert collections.Counter(e.split for e in zh) == {"train": 617, "dev": 96, "test": 176}
    assert collections.Counter(e.split for e in en) == {"train": 608, "dev": 96, "test": 179}
    first = zh[0]
    assert first.text == "国家统计局数据显示，今年前三季度全国规模以上工业发电量同比增长5.2%。"
    assert (first.label, first.split, first.source) == (1, "train", "project_jsonl:zh_checkworthy.jsonl")
    assert first.meta == {"topic": "能源", "style": "新闻报道", "why": "attributed", "line": 1}
    assert conflicts(zh + en) == [] and len(dedupe(zh + en)) == len(zh) + len(en)


def test_project_annotations_load_as_a_directory():
    examples = load(str(ANNOTATIONS))
    assert sum(e.source.startswith("project_jsonl:") for e in examples) == 889 + 883
    assert [e.source for e in examples[:1]] == ["project_jsonl:en_checkworthy.jsonl"]  # sorted file order
    assert detect_format(ANNOTATIONS / "zh_checkworthy.jsonl") == "project_jsonl"


# --------------------------------------------------------------------------------------
# public data sets, read in place


def test_claimbuster_test_json():
    examples = list(read_claimbuster(public("claimbuster/test.json")))
    assert (len(examples), labels(examples)) == (702, (351, 351))
    assert {(e.lang, e.split) for e in examples} == {("en", "test")}
    first = examples[0]
    assert (first.id, first.label, first.meta) == ("18737", 1, {"line": 2})
    assert first.text.startswith("We worked very closely with the foreign ministers of France, Germany")
    assert detect_format(public("claimbuster/test.json")) == "claimbuster"


def test_claimbuster_sample_json():
    examples = list(read_claimbuster(public("claimbuster/2.5xNCS.sample3000.json")))
    assert (len(examples), labels(examples)) == (3000, (798, 2202))
    assert {e.split for e in examples} == {None}  # a training pool, not a split
    assert (examples[0].id, examples[0].label) == ("17", 0)
    assert examples[0].text == "I think for a while as a nation we condoned those things we should have condemned."
    assert len({e.id for e in examples}) == 3000
    assert len(dedupe(examples)) == 2998  # two texts occur twice under different sentence ids
    assert conflicts(examples) == []


def test_clef2019_debates():
    path = public("clef2019-checkthat-task1/CT19-T1-Test.csv")
    examples = list(read_clef2019(path))
    assert (len(examples), labels(examples)) == (7080, (136, 6944))
    assert {(e.lang, e.split) for e in examples} == {("en", "test")}
    per_file = collections.Counter(e.meta["file_name"] for e in examples)
    assert per_file == {
        "20160311_12_gop.tsv": 1718, "20160129_7_gop.tsv": 1480, "20151219_3_dem.tsv": 1388,
        "20190215_trump_emergency.tsv": 858, "20181015_60_min.tsv": 612,
        "20180131_state_union.tsv": 520, "20190205_trump_state.tsv": 504,
    }
    row = next(e for e in examples if e.id == "20151219_3_dem.tsv:194")
    assert (row.label, row.meta["speaker"], row.meta["line_number"]) == (1, "CLINTON", 194)
    assert row.text.startswith("We lose 33,000 people a year already to gun violence")
    assert [e.meta["line_number"] for e in examples[:3]] == [1, 2, 3]  # transcript order kept
    assert conflicts(examples) == [("We're up 400,000 jobs.", {0, 1})]
    assert detect_format(path) == "clef2019"


def test_clef2020_tweets():
    path = public("clef2020-checkthat-task1-tweets/test-gold.tsv")
    examples = list(read_clef2020_tweets(path))
    assert (len(examples), labels(examples)) == (140, (60, 80))
    assert {(e.lang, e.split) for e in examples} == {("en", "test")}
    assert collections.Counter((e.meta["claim"], e.label) for e in examples) == {(1, 1): 60, (1, 0): 47, (0, 0): 33}
    first = examples[0]
    assert (first.id, first.label, first.meta["topic_id"]) == ("1237160250513522688", 1, "covid-19")
    assert first.text.startswith("POTUS wanted everyone to know he was in close contact with Gaetz and Collins")
    assert detect_format(path) == "clef2020_tweets"


@pytest.mark.parametrize(
    "name, reader, fmt, split, expected",
    [
        ("CT22_english_1A_checkworthy_dev.tsv", read_clef2022_1a, "clef2022_1a", None, (195, 44, 151)),
        ("CT22_english_1A_checkworthy_dev_test.tsv", read_clef2022_1a, "clef2022_1a", "test", (574, 129, 445)),
        ("CT22_english_1B_claim_dev.tsv", read_clef2022_1b, "clef2022_1b", None, (307, 195, 112)),
        ("CT22_english_1B_claim_dev_test.tsv", read_clef2022_1b, "clef2022_1b", "test", (911, 574, 337)),
    ],
)
def test_clef2022_files(name, reader, fmt, split, expected):
    path = public(f"clef2022-checkthat-task1-en/{name}")
    examples = list(reader(path))
    assert (len(examples), *labels(examples)) == expected
    assert {(e.lang, e.split, e.source) for e in examples} == {("en", split, f"{fmt}:{name}")}
    assert detect_format(path) == fmt


def test_clef2022_1a_is_the_check_worthy_layer_of_1b():
    folder = public("clef2022-checkthat-task1-en")
    one_a = load(f"clef2022_1a:{folder}")
    one_b = load(f"clef2022_1b:{folder}")
    assert (len(one_a), len(one_b)) == (769, 1218)
    native = "1367961367882444800"  # "Native American communities have been hit hard by COVID-19..."
    assert {e.id: e.label for e in one_a}[native] == 0
    assert {e.id: e.label for e in one_b}[native] == 1
    b_labels = {e.id: e.label for e in one_b}
    assert all(b_labels[e.id] == 1 for e in one_a if e.label == 1)  # check-worthy implies a claim
    assert len(conflicts(one_a + one_b)) == 596  # why 1A and 1B must not be mixed


def test_factcheck_gpt_subtasks():
    sentences = list(read_factcheck_gpt(public("factcheck-gpt/subtasks/subtask1_sentence_checkworthiness.jsonl")))
    claims = list(read_factcheck_gpt(public("factcheck-gpt/subtasks/subtask2_claim_checkworthiness.jsonl")))
    assert (len(sentences), labels(sentences)) == (311, (277, 34))
    assert (len(claims), labels(claims)) == (678, (661, 17))
    assert collections.Counter(e.meta["checkworthy"] for e in sentences) == {
        "yes": 277, "other": 16, "opinion": 13, "not_a_claim": 5,
    }
    assert collections.Counter(e.meta["checkworthy"] for e in claims) == {
        "factual": 661, "opinion": 16, "not_a_claim": 1,
    }
    assert {e.meta["subtask"] for e in sentences} == {1} and {e.meta["subtask"] for e in claims} == {2}
    assert {(e.lang, e.split) for e in sentences + claims} == {("en", None)}
    assert sentences[0].text == ("In 1980, the oldest justice on the United States Supreme Court was "
                                 "Justice William O. Douglas.")
    assert sentences[0].label == 1
    enjoy = next(e for e in claims if e.text == "Enjoy your iced matcha latte!")
    assert (enjoy.label, enjoy.meta["checkworthy"]) == (0, "not_a_claim")


def test_clef2024_keeps_the_upstream_split_and_reads_the_two_rows_run_together():
    folder = "clef2024-checkthat-task1-en/"
    train = list(read_clef2024(public(folder + "CT24_checkworthy_english_train.tsv")))
    dev = list(read_clef2024(public(folder + "CT24_checkworthy_english_dev.tsv")))
    dev_test = list(read_clef2024(public(folder + "CT24_checkworthy_english_dev-test.tsv")))
    # 22,500 lines, one of which holds two rows (label "No29286"): 22,501 sentences
    assert (len(train), labels(train)) == (22501, (5413, 17088))
    assert (len(dev), labels(dev)) == (1032, (238, 794))
    assert (len(dev_test), labels(dev_test)) == (318, (108, 210))
    assert ({e.split for e in train}, {e.split for e in dev}, {e.split for e in dev_test}) == ({"train"}, {"dev"},
                                                                                               {"test"})
    joined = [e for e in train if e.meta["line"] == 16877]
    assert [(e.id, e.text, e.label) for e in joined] == [("24098", "We've got to invest and grow.", 0),
                                                         ("29286", "You can't bring back jobs.", 0)]
    # a text the upstream CSV writer quoted is unquoted
    assert any(e.id == "19099" and e.text.startswith("Now, let's balance the budget") for e in train)
    assert detect_format(public(folder + "CT24_checkworthy_english_dev.tsv")) == "clef2024"


def test_clef2024_format_errors(tmp_path):
    header = "Sentence_id\tText\tclass_label\n"
    good = write(tmp_path, "CT24_checkworthy_english_dev.tsv", header + '1\t"He said ""no"" twice."\tYes\n')
    assert [(e.text, e.label, e.split) for e in load(str(good))] == [('He said "no" twice.', 1, "dev")]
    bad_label = write(tmp_path, "CT24_x_train.tsv", header + "1\tTaxes rose.\tMaybe\n")
    with pytest.raises(AnnotationError, match="'Maybe'; expected 'Yes' or 'No'") as err:
        list(read_clef2024(bad_label))
    assert (err.value.code, err.value.source) == ("F503", f"{bad_label}, line 2")
    short = write(tmp_path, "CT24_y_train.tsv", header + "1\tTaxes rose.\n")
    with pytest.raises(AnnotationError, match="2 tab-separated fields") as err:
        list(read_clef2024(short))
    assert err.value.code == "F505"


def test_real_chinese_references_load_as_a_format_of_their_own():
    public("ced-weibo-rumor")
    path = ANNOTATIONS / "zh_real_checkworthy.jsonl"
    if not path.exists():
        pytest.skip("annotations/zh_real_checkworthy.jsonl not committed yet")
    examples = load(str(path))
    assert detect_format(path) == "zh_real" and load(f"zh_real:{path}") == examples
    assert {e.source for e in examples} == {"zh_real:zh_real_checkworthy.jsonl"}
    assert {e.lang for e in examples} == {"zh"}
    assert {e.split for e in examples} == {None, "test"}  # the held-out third stays out of training
    assert all(e.text.strip() for e in examples)


def test_whole_shared_folder_loads_and_skips_unknown_files():
    public("claimbuster")
    examples = load(str(DATASETS))
    sources = {e.source.split(":")[0] for e in examples}
    assert sources <= set(FORMATS)
    # AVeriTeC, LIAR-PLUS, the Factcheck-GPT benchmark and subtask 4 are verdict data: skipped
    names = {e.source.split(":")[1] for e in examples}
    assert not names & {"dev.json", "test2.tsv", "factcheck-GPT-benchmark.jsonl", "subtask4_claim_factuality.jsonl"}
    assert examples == load(str(DATASETS))  # deterministic order


# --------------------------------------------------------------------------------------
# malformed input


def test_bad_json_line_names_the_line(tmp_path):
    good = {"text": "Brent rose 2% on Monday.", "label": 1, "lang": "en"}
    path = write(tmp_path, "a.jsonl", jsonl(good, good) + '{"text": "broken", "label": 1,\n')
    with pytest.raises(AnnotationError) as info:
        list(read_project_jsonl(path))
    assert info.value.code == "F501" and f"{path}, line 3" in str(info.value)


def test_bad_json_line_in_factcheck_gpt(tmp_path):
    path = write(tmp_path, "subtask1.jsonl", '{"sentence": "A.", "checkworthy": "yes"}\n\n["not", "an object"]\n')
    with pytest.raises(AnnotationError, match=r"line 3.*expected a JSON object") as info:
        list(read_factcheck_gpt(path))
    assert info.value.code == "F501"


def test_malformed_json_list_names_the_line(tmp_path):
    rows = '[\n  {"sentence_id": 1, "label": 1, "text": "A."},\n  {"sentence_id": 2, "label": 0 "text": "B."}\n]\n'
    with pytest.raises(AnnotationError, match="line 3") as info:
        list(read_claimbuster(write(tmp_path, "test.json", rows)))
    assert info.value.code == "F501"
    with pytest.raises(AnnotationError, match=r"line 1.*expected ',' or '\]'") as info:
        list(read_claimbuster(write(tmp_path, "brace.json", '[{"sentence_id": 1, "label": 1, "text": "A."}} ')))
    assert info.value.code == "F501"
    with pytest.raises(AnnotationError, match="expected a JSON list") as info:
        list(read_claimbuster(write(tmp_path, "obj.json", '\n{"sentence_id": 1, "label": 1, "text": "A."}')))
    assert info.value.code == "F501" and "line 2" in str(info.value)


def test_missing_label_column_in_tsv(tmp_path):
    path = write(tmp_path, "CT22_english_1A_checkworthy_x.tsv",
                 "topic\ttweet_id\ttweet_url\ttweet_text\nCOVID-19\t1\tu\thi\n")
    with pytest.raises(AnnotationError) as info:
        list(read_clef2022_1a(path))
    assert info.value.code == "F502"
    assert "line 1" in str(info.value) and "'class_label'" in str(info.value)


def test_missing_label_column_in_csv_and_field_in_json(tmp_path):
    csv_path = write(tmp_path, "debate.csv", "line_number,speaker,text,file_name\n1,A,Hello.,x.tsv\n")
    with pytest.raises(AnnotationError, match=r"line 1.*'label'") as info:
        list(read_clef2019(csv_path))
    assert info.value.code == "F502"
    json_path = write(tmp_path, "a.jsonl",
                      jsonl({"text": "A.", "label": 1, "lang": "en"}, {"text": "B.", "lang": "en"}))
    with pytest.raises(AnnotationError, match=r"line 2.*'label' is missing") as info:
        list(read_project_jsonl(json_path))
    assert info.value.code == "F502"
    cb = write(tmp_path, "cb.json", '[\n{"sentence_id": 1, "text": "A."}\n]')
    with pytest.raises(AnnotationError, match=r"line 2.*'label' is missing"):
        list(read_claimbuster(cb))


@pytest.mark.parametrize("bad", [2, -1, "1", True, None, 0.5])
def test_json_label_outside_0_1(tmp_path, bad):
    rows = jsonl({"text": "A.", "label": 0, "lang": "en"}, {"text": "B.", "label": bad, "lang": "en"})
    with pytest.raises(AnnotationError, match=r"line 2.*'label'") as info:
        list(read_project_jsonl(write(tmp_path, "a.jsonl", rows)))
    assert info.value.code == "F503"


@pytest.mark.parametrize("bad", ["2", "yes", "", "1.0"])
def test_tsv_label_outside_0_1(tmp_path, bad):
    path = write(tmp_path, "CT22_english_1B_claim_x.tsv",
                 CLEF22_HEADER + "C\t1\tu\tA tweet.\t1\n" + f"C\t2\tu\tAnother.\t{bad}\n")
    with pytest.raises(AnnotationError, match=r"line 3.*'class_label'") as info:
        list(read_clef2022_1b(path))
    assert info.value.code == "F503"
    csv_path = write(tmp_path, "d.csv",
                     f"line_number,speaker,text,label,file_name\n1,A,Hi.,0,x\n2,B,\"Yes, 3%.\",{bad},x\n")
    with pytest.raises(AnnotationError, match=r"line 3.*'label'"):
        list(read_clef2019(csv_path))


def test_unknown_factcheck_gpt_label(tmp_path):
    path = write(tmp_path, "s.jsonl", jsonl({"claim": "A.", "checkworthy": "maybe"}))
    with pytest.raises(AnnotationError, match=r"line 1.*'checkworthy' is 'maybe'") as info:
        list(read_factcheck_gpt(path))
    assert info.value.code == "F503"


def test_wrong_column_count_empty_text_bad_split_and_encoding(tmp_path):
    tsv = write(tmp_path, "test-gold.tsv", CLEF20_HEADER + "covid-19\t1\tu\tA tweet\twith a tab.\t1\t1\n")
    with pytest.raises(AnnotationError, match="line 2") as info:
        list(read_clef2020_tweets(tsv))
    assert info.value.code == "F505"
    empty = write(tmp_path, "e.jsonl", jsonl({"text": "  ", "label": 0, "lang": "en"}))
    with pytest.raises(AnnotationError, match=r"line 1.*'text' is empty") as info:
        list(read_project_jsonl(empty))
    assert info.value.code == "F504"
    split = write(tmp_path, "s.jsonl", jsonl({"text": "A.", "label": 0, "lang": "en", "split": "validation"}))
    with pytest.raises(AnnotationError, match="'split' is 'validation'") as info:
        list(read_project_jsonl(split))
    assert info.value.code == "F506"
    latin = write(tmp_path, "l.jsonl",
                  jsonl({"text": "A.", "label": 0, "lang": "en"}).encode() + '{"text": "café"}\n'.encode("latin-1"))
    with pytest.raises(AnnotationError, match="line 2") as info:
        list(read_project_jsonl(latin))
    assert info.value.code == "F509"


def test_error_codes_are_catalogued():
    assert {f"F50{i}" for i in range(1, 10)} <= set(CODES)


# --------------------------------------------------------------------------------------
# auto-detection and load()


def small_files(root: Path) -> dict[str, Path]:
    """One tiny file of each format, named as upstream names them."""
    return {
        "project_jsonl": write(root, "ann/zh_checkworthy.jsonl",
                               jsonl({"text": "油价上涨了5%。", "label": 1, "lang": "zh", "split": "train"})),
        "claimbuster": write(root, "cb/test.json",
                             '[\n  {"sentence_id": 7, "label": 1, "text": "We lost 4,500 troops."}\n]\n'),
        "claimbuster_tsv": write(root, "cb/2020_debate.tsv",
                                 '"sentence_id"\t"label"\t"text"\n35978\t0\tI thought they were lying.\n'),
        "clef2019": write(root, "c19/CT19-T1-Test.csv",
                          'line_number,speaker,text,label,file_name\n1,A,"Yes, 3%.",1,x.tsv\n'),
        "clef2019_tsv": write(root, "c19/20160129_7_gop.tsv",
                              "1\tKELLY\tGood evening.\t0\n2\tCRUZ\tTaxes rose 3%.\t1\n"),
        "clef2020_tweets": write(root, "c20/test-gold.tsv", CLEF20_HEADER + "covid-19\t9\tu\tCases doubled.\t1\t1\n"),
        "clef2022_1a": write(root, "c22/CT22_english_1A_checkworthy_dev.tsv",
                             CLEF22_HEADER + "C\t5\tu\tCases doubled.\t1\n"),
        "clef2022_1b": write(root, "c22/CT22_english_1B_claim_dev.tsv",
                             CLEF22_HEADER + "C\t5\tu\tCases doubled.\t1\n"),
        "factcheck_gpt": write(root, "fc/subtask2_claim_checkworthiness.jsonl",
                               jsonl({"claim": "A is B.", "checkworthy": "factual"})),
    }


def test_detect_format_of_each_kind(tmp_path):
    files = small_files(tmp_path)
    for kind, path in files.items():
        assert detect_format(path) == kind.removesuffix("_tsv"), path
        assert len(load(str(path))) >= 1
    assert detect_format(write(tmp_path, "README.md", "# hello\n")) is None
    assert detect_format(write(tmp_path, "dev.json", '[{"claim": "X", "label": "Refuted"}]')) is None
    assert detect_format(write(tmp_path, "f.jsonl", jsonl({"claim": "X", "label": "true"}))) is None


def test_headerless_clef2019_transcript(tmp_path):
    path = small_files(tmp_path)["clef2019_tsv"]
    examples = load(str(path))
    assert [(e.id, e.label, e.meta["speaker"]) for e in examples] == [
        ("20160129_7_gop.tsv:1", 0, "KELLY"), ("20160129_7_gop.tsv:2", 1, "CRUZ"),
    ]


def test_load_directory_reads_known_files_in_sorted_order(tmp_path):
    small_files(tmp_path)
    write(tmp_path, "c22/PROVENANCE.md", "# notes\n")
    write(tmp_path, ".hidden/x.jsonl", jsonl({"text": "hidden", "label": 1, "lang": "en"}))
    examples = load(str(tmp_path))
    assert [e.source for e in examples] == [
        "project_jsonl:zh_checkworthy.jsonl",
        "clef2019:20160129_7_gop.tsv", "clef2019:20160129_7_gop.tsv",
        "clef2019:CT19-T1-Test.csv",
        "clef2020_tweets:test-gold.tsv",
        "clef2022_1a:CT22_english_1A_checkworthy_dev.tsv",
        "clef2022_1b:CT22_english_1B_claim_dev.tsv",
        "claimbuster:2020_debate.tsv",
        "claimbuster:test.json",
        "factcheck_gpt:subtask2_claim_checkworthiness.jsonl",
    ]
    assert [e.source for e in load(f"clef2022_1b:{tmp_path}")] == ["clef2022_1b:CT22_english_1B_claim_dev.tsv"]
    assert len(load(f"claimbuster:{tmp_path / 'cb'}")) == 2


def test_explicit_format_and_format_errors(tmp_path):
    path = write(tmp_path, "tweets.tsv", CLEF22_HEADER + "C\t5\tu\tCases doubled.\t1\n")
    with pytest.raises(AnnotationError, match="neither 1A") as info:
        load(str(path))
    assert info.value.code == "F507"
    assert [e.source for e in load(f"clef2022_1a:{path}")] == ["clef2022_1a:tweets.tsv"]
    assert load(f"CLEF2022-1B:{path}")[0].source == "clef2022_1b:tweets.tsv"
    with pytest.raises(AnnotationError, match="unknown data set format 'liar'") as info:
        load(f"liar:{path}")
    assert info.value.code == "F507"
    with pytest.raises(AnnotationError, match="could not detect") as info:
        load(str(write(tmp_path, "notes.txt", "just text\n")))
    assert info.value.code == "F507"
    with pytest.raises(AnnotationError) as info:
        load(str(tmp_path / "missing.jsonl"))
    assert info.value.code == "F508"
    (tmp_path / "empty").mkdir()
    with pytest.raises(AnnotationError, match="no files of a known format") as info:
        load(str(tmp_path / "empty"))
    assert info.value.code == "F508"


def test_split_from_file_name(tmp_path):
    """A test file is held out; an upstream dev or train file is a pool to train on."""
    files = small_files(tmp_path)
    assert {e.split for e in load(str(files["claimbuster"]))} == {"test"}
    assert {e.split for e in load(str(files["clef2022_1a"]))} == {None}  # ..._dev.tsv
    assert {e.split for e in load(str(files["claimbuster_tsv"]))} == {None}
    renamed = write(tmp_path, "CT22_english_1A_checkworthy_dev_test.tsv", files["clef2022_1a"].read_text())
    assert {e.split for e in load(str(renamed))} == {"test"}


# --------------------------------------------------------------------------------------
# splits


def pool(n_per_stratum: int = 100) -> list[Example]:
    return [
        ex(f"{lang} sentence {label} {i}", label, lang)
        for lang in ("en", "zh")
        for label in (0, 1)
        for i in range(n_per_stratum * (3 if label else 1))
    ]


def test_split_is_deterministic_and_seed_dependent():
    examples = pool()
    first = split_examples(examples, seed=13)
    assert first == split_examples(examples, seed=13)
    assert first[1] != split_examples(examples, seed=14)[1]
    shuffled = examples[:]
    random.Random(0).shuffle(shuffled)
    assert {e.text for e in split_examples(shuffled, seed=13)[1]} == {e.text for e in first[1]}


def test_split_is_stratified_by_label_and_language():
    train, dev, test = split_examples(pool(), seed=1, dev_fraction=0.2)
    assert test == []
    strata = collections.Counter((e.label, e.lang) for e in dev)
    assert strata == {(0, "en"): 20, (1, "en"): 60, (0, "zh"): 20, (1, "zh"): 60}
    assert len(train) + len(dev) == len(pool())
    assert {e.text for e in train}.isdisjoint(e.text for e in dev)


def test_split_keeps_test_out_and_respects_existing_splits():
    examples = pool(20) + [
        ex("held out", 1, split="test"),
        ex("held out", 1),  # same text as a test example: must not leak into train/dev
        ex("fixed train", 0, split="train"),
        ex("fixed dev", 1, "zh", split="dev"),
    ]
    train, dev, test = split_examples(examples, seed=3)
    assert [e.text for e in test] == ["held out"]
    texts = [e.text for e in train + dev]
    assert "held out" not in texts
    assert "fixed train" in [e.text for e in train] and "fixed dev" in [e.text for e in dev]
    with pytest.raises(AnnotationError) as info:
        split_examples([ex("A.", split="validation")], seed=1)
    assert info.value.code == "F506"
    with pytest.raises(ValueError):
        split_examples(examples, seed=1, dev_fraction=1.0)


def test_split_never_separates_identical_texts():
    examples = [ex(f"t{i % 7}", 1) for i in range(70)]
    for seed in range(20):
        train, dev, _ = split_examples(examples, seed=seed, dev_fraction=0.3)
        assert {e.text for e in train}.isdisjoint(e.text for e in dev)


def test_split_of_real_annotations_holds_out_their_test_split():
    examples = load(f"project_jsonl:{ANNOTATIONS}")
    train, dev, test = split_examples(examples, seed=0)
    assert (len(train), len(dev), len(test)) == (617 + 608, 96 + 96, 176 + 179)


# --------------------------------------------------------------------------------------
# fingerprints, duplicates, conflicts


def test_fingerprint_is_stable_and_order_independent():
    examples = [ex("Oil rose 5%.", 1), ex("油价上涨了5%。", 1, "zh"), ex("What a mess.", 0)]
    value = fingerprint(examples)
    assert value == "e47ccb6e94926a2b0194bead5fbc19bfa761a2ac796492a8f8c9d0bec06c241f"
    assert fingerprint(reversed(examples)) == value
    assert fingerprint([ex(e.text, e.label, e.lang, "test", source="other", id="9", meta={"x": 1})
                        for e in examples]) == value
    assert fingerprint([ex("Oil rose 5%.", 0), *examples[1:]]) != value
    assert fingerprint([*examples, examples[0]]) != value  # duplicates count
    assert fingerprint([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_dedupe_and_conflicts():
    examples = [ex("A.", 1, id="1"), ex("B.", 0), ex("A.", 1, id="2"), ex("C.", 0), ex("B.", 1), ex("C.", 0)]
    assert [(e.text, e.id) for e in dedupe(examples)] == [("A.", "1"), ("B.", None), ("C.", None)]
    assert conflicts(examples) == [("B.", {0, 1})]
    assert conflicts(dedupe(examples)) == []


def test_example_is_frozen_and_hashable_with_meta():
    example = ex("A.", 1, meta={"line": 1})
    assert example in {example}
    with pytest.raises(AttributeError):
        example.label = 0  # type: ignore[misc]


def test_labelstudio_export_skips_malformed_annotations_and_keeps_the_rest(tmp_path):
    """Training reads an export Label Studio wrote even when some annotations are junk
    (a string, null, a non-list): those are pull's to report; the valid verdict still labels its task."""
    from factcheck.model.datasets import read_labelstudio_export

    verdict = {"from_name": "verdict", "to_name": "text", "type": "choices", "value": {"choices": ["supported"]}}
    tasks = [
        {"id": 1, "data": {"claim_id": "a", "claim": "Exports rose 5% in 2023.", "lang": "en"},
         "annotations": ["junk", None, {"id": 3, "result": [verdict]}]},
        {"id": 2, "data": {"claim_id": "b", "claim": "Imports fell."}, "annotations": "not a list"},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    assert [(e.id, e.label) for e in read_labelstudio_export(path)] == [("a", 1)]

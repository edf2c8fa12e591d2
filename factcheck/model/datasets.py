"""Labelled check-worthiness data: one reader per file format, loading, splits, fingerprints.

Every reader turns one file into :class:`Example` records with a binary ``label``:
``1`` = the text is (or contains) a check-worthy factual claim, ``0`` = it is not.
Readers only parse: they never drop, dedupe or relabel rows. A row that cannot be read
raises :class:`~factcheck.errors.AnnotationError` whose ``source`` names the file and
line (``path, line 12``) and whose message names the field or column at fault.

===================  ===============================================  ====  ============================================
format               files                                            lang  label 1 / label 0 (column)
===================  ===============================================  ====  ============================================
``project_jsonl``    ``annotations/*_checkworthy.jsonl`` (JSONL)      row   ``label`` 1 / 0 as is; ``split`` kept
``claimbuster``      ClaimBuster ``test.json``, ``*NCS*.json`` (JSON  en    ``label`` 1 = CFS / 0 = NCS (NFS + UFS)
                     list), ``2020_debate.tsv`` (TSV)
``clef2019``         CLEF 2019 T1 ``CT19-T1-Test.csv`` (CSV) or an    en    ``label`` 1 = picked by a fact-checker / 0
                     original headerless per-debate ``.tsv``
``clef2020_tweets``  CLEF 2020 T1 ``test-gold.tsv`` (TSV)             en    ``claim_worthiness`` 1 / 0
                                                                            (``claim`` → meta)
``clef2022_1a``      CLEF 2022 ``CT22_english_1A_checkworthy_*.tsv``  en    ``class_label`` 1 = check-worthy / 0
``clef2022_1b``      CLEF 2022 ``CT22_english_1B_claim_*.tsv``        en    ``class_label`` 1 = verifiable claim / 0
``clef2024``         CLEF 2024 ``CT24_checkworthy_english_*.tsv``     en    ``class_label`` Yes = check-worthy / No
``factcheck_gpt``    Factcheck-GPT ``subtask1_sentence_*.jsonl``,     en    ``checkworthy`` yes, factual → 1;
                     ``subtask2_claim_*.jsonl`` (JSONL)                     other, opinion, not_a_claim → 0
``zh_real``          ``annotations/zh_real_checkworthy.jsonl``        zh    ``label`` as is; the text is resolved
                     (references into ``../shared``)                        from its reference; ``split`` test kept
===================  ===============================================  ====  ============================================

Fields of the examples a reader yields:

* ``source`` is ``"FORMAT:FILE_NAME"`` (``"claimbuster:test.json"``).
* ``split`` is the file's own ``split`` field for ``project_jsonl``; for the public
  formats a file name with the word ``test`` (``CT19-T1-Test.csv``, ``test-gold.tsv``,
  ``..._dev_test.tsv``) gives ``"test"``, any other name ``None``: a training pool that
  :func:`split_examples` divides into train and dev. An upstream ``dev`` file
  (``CT22_english_1B_claim_dev.tsv``) is often the only in-domain data with labels, so
  it is trained on rather than kept for early stopping alone. :func:`split_examples`
  keeps ``"test"`` examples out of training. CLEF 2024 ships its own three-way split,
  kept as it is: ``_train`` → ``"train"``, ``_dev`` → ``"dev"`` (early stopping and
  thresholds), ``_dev-test`` → ``"test"``.
* ``id`` is the upstream row id when the data has one (ClaimBuster ``sentence_id``,
  tweet id, ``FILE:line_number`` for CLEF 2019), else ``None``.
* ``meta`` keeps the other columns worth having and always ``line``, the 1-based line
  where the row starts in the file.

JSONL, TSV and CSV files are streamed line by line. JSON lists (ClaimBuster, a few MB at
most) are read whole and decoded one element at a time, so errors still carry a line.

:func:`load` takes ``FORMAT:PATH`` or a bare ``PATH`` (format detected from the header
or first record; CLEF 2022 1A and 1B share a header, so their file names must say
``1A``/``checkworthy`` or ``1B``/``claim``). A directory is read recursively in sorted
path order; files of no known format (README, checksums, other data sets) are skipped.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path

from factcheck.errors import AnnotationError
from factcheck.records import Example

__all__ = [
    "FACTCHECK_GPT_LABELS",
    "FORMATS",
    "READERS",
    "SPLITS",
    "Example",
    "conflicts",
    "dedupe",
    "detect_format",
    "fingerprint",
    "load",
    "read_claimbuster",
    "read_clef2019",
    "read_clef2020_tweets",
    "read_clef2022_1a",
    "read_clef2022_1b",
    "read_clef2024",
    "read_factcheck_gpt",
    "read_project_jsonl",
    "read_zh_real",
    "split_examples",
]

SPLITS = ("train", "dev", "test")

#: Factcheck-GPT ``checkworthy`` values. Subtask 1 (sentences) uses yes / other / opinion /
#: not_a_claim, subtask 2 (atomic claims) factual / opinion / not_a_claim. Only a factual
#: statement is a check-worthy claim; "other" covers disclaimers ("As an AI language
#: model..."), hedges and generic statements the annotators did not want checked.
FACTCHECK_GPT_LABELS: dict[str, int] = {
    "yes": 1,
    "factual": 1,
    "other": 0,
    "opinion": 0,
    "not_a_claim": 0,
}


# --------------------------------------------------------------------------------------
# low-level helpers


def _where(path: Path, line: int | None = None) -> str:
    return f"{path}, line {line}" if line is not None else str(path)


def _lines(path: Path, *, keepends: bool = False) -> Generator[tuple[int, str], None, None]:
    """Yield ``(line_number, text)`` for each line of a UTF-8 file, streaming.

    Lines are split on ``\\n`` only (tweets may hold U+2028 and friends); a BOM on the
    first line and, unless ``keepends``, the ``\\r\\n``/``\\n`` terminator are removed.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _unreadable(path, exc) from None
    with handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise AnnotationError(
                    f"line is not valid UTF-8 (bad byte {raw[exc.start]:#04x} at column {exc.start + 1}); "
                    "data files must be UTF-8: re-encode the file",
                    code="F509",
                    source=_where(path, number),
                ) from None
            if number == 1:
                line = line.removeprefix("\ufeff")
            yield number, (line if keepends else line.rstrip("\r\n"))


def _first_line(path: Path) -> str | None:
    """The first non-blank line of a file (None for a blank file); closes the file."""
    lines = _lines(path)
    try:
        return next((line for _, line in lines if line.strip()), None)
    finally:
        lines.close()


def _unreadable(path: Path, exc: OSError) -> AnnotationError:
    """F508 for a data file that cannot be opened, saying why."""
    if isinstance(exc, FileNotFoundError):
        return AnnotationError("data file does not exist; check the path", code="F508", source=str(path))
    return AnnotationError(f"data file could not be opened ({exc.strerror}); check the path and permissions",
                           code="F508", source=str(path))


def _read_text(path: Path) -> str:
    """The whole file as text (for JSON lists), with UTF-8 errors located by line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AnnotationError(
            f"file is not valid UTF-8 (bad byte {data[exc.start]:#04x}); data files must be UTF-8: "
            "re-encode the file",
            code="F509",
            source=_where(path, line),
        ) from None


_JSON_WS = re.compile(r"[ \t\n\r]*")


def _after_ws(text: str, pos: int = 0) -> int:
    """The first position at or after ``pos`` that is not JSON whitespace."""
    m = _JSON_WS.match(text, pos)
    assert m is not None  # the pattern matches the empty string
    return m.end()


def _json_list(path: Path) -> Generator[tuple[int, object], None, None]:
    """Yield ``(line, element)`` for each element of a JSON list, decoding one at a time."""
    text = _read_text(path)
    decoder = json.JSONDecoder()
    pos = _after_ws(text)
    if not text.startswith("[", pos):
        found = repr(text[pos : pos + 20]) if pos < len(text) else "an empty file"
        raise AnnotationError(
            f"expected a JSON list of objects ('[' first), found {found}",
            code="F501",
            source=_where(path, text.count("\n", 0, pos) + 1),
        )
    line, counted = 1, 0
    pos = _after_ws(text, pos + 1)
    if text.startswith("]", pos):
        return
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            element, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise AnnotationError(
                f"malformed JSON: {exc.msg} (column {exc.colno})",
                code="F501",
                source=_where(path, exc.lineno),
            ) from None
        yield line, element
        pos = _after_ws(text, end)
        if text.startswith(",", pos):
            pos = _after_ws(text, pos + 1)
        elif text.startswith("]", pos):
            rest = _after_ws(text, pos + 1)
            if rest != len(text):
                raise AnnotationError(
                    "malformed JSON: extra data after the closing ']'",
                    code="F501",
                    source=_where(path, text.count("\n", 0, rest) + 1),
                )
            return
        else:
            raise AnnotationError(
                "malformed JSON: expected ',' or ']' after a list element"
                + (" but the file ended" if pos >= len(text) else f", found {text[pos]!r}"),
                code="F501",
                source=_where(path, text.count("\n", 0, pos) + 1),
            )


def _json_object(line: str, path: Path, number: int) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise AnnotationError(
            f"malformed JSON: {exc.msg} (column {exc.colno}); each line must be one JSON object",
            code="F501",
            source=_where(path, number),
        ) from None
    if not isinstance(row, dict):
        raise AnnotationError(
            f"expected a JSON object, found {type(row).__name__}", code="F501", source=_where(path, number)
        )
    return row


def _require(row: dict, name: str, path: Path, number: int) -> object:
    if name not in row:
        raise AnnotationError(
            f"field {name!r} is missing; the row has {sorted(row)}",
            code="F502",
            source=_where(path, number),
        )
    return row[name]


def _text(value: object, name: str, path: Path, number: int) -> str:
    if not isinstance(value, str):
        raise AnnotationError(
            f"field {name!r} must be a string, found {type(value).__name__} {value!r}",
            code="F504",
            source=_where(path, number),
        )
    if not value.strip():
        raise AnnotationError(
            f"field {name!r} is empty; every row needs its text", code="F504", source=_where(path, number)
        )
    return value


def _binary(value: object, name: str, path: Path, number: int, *, strings: bool) -> int:
    """0 or 1 from a JSON int (``strings=False``) or a TSV/CSV cell (``strings=True``)."""
    if strings and isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip())
    if not strings and isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return value
    expected = "'0' or '1'" if strings else "the integer 0 or 1"
    raise AnnotationError(
        f"field {name!r} is {value!r}; expected {expected} (1 = check-worthy claim)",
        code="F503",
        source=_where(path, number),
    )


_TOKEN = re.compile(r"[a-z]+")


def _split_from_name(path: Path) -> str | None:
    """"test" for a held-out file (the word test in its name), else None (a training pool)."""
    return "test" if "test" in _TOKEN.findall(path.name.lower()) else None


def _table(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a tab-separated file with a header line, as ``(line, {column: cell})``.

    Cells are split on tabs only (no quoting: tweets contain bare ``"``); quotes around
    header names are removed. Blank lines are skipped.
    """
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        raise AnnotationError(
            f"file is empty; expected a tab-separated header with {list(required)}",
            code="F502",
            source=_where(path, 1),
        )
    columns = [c.strip().strip('"') for c in first[1].split("\t")]
    missing = [c for c in required if c not in columns]
    if missing:
        raise AnnotationError(
            f"column {missing[0]!r} is missing from the header; found {columns}, expected {list(required)}",
            code="F502",
            source=_where(path, first[0]),
        )
    yield from _tab_rows(path, lines, columns,
                         f"but the header has {len(columns)} ({columns}); a tab inside the text or a truncated row?")


def _tab_rows(path: Path, lines: Iterator[tuple[int, str]], columns: list[str] | tuple[str, ...],
              expected: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, {column: cell})`` for non-blank tab-separated ``lines``; a row with another
    number of fields raises F505 ("row has N tab-separated fields " + ``expected``)."""
    for number, line in lines:
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise AnnotationError(f"row has {len(cells)} tab-separated fields {expected}", code="F505",
                                  source=_where(path, number))
        yield number, dict(zip(columns, cells))


# --------------------------------------------------------------------------------------
# readers


def read_project_jsonl(path: str | Path) -> Iterator[Example]:
    """The project's own annotations (``annotations/*_checkworthy.jsonl``).

    One JSON object per line: ``text``, ``label`` (the integer 1 = check-worthy factual
    claim, 0 = not; used as is), ``lang`` (``zh``/``en``, per row), optional ``split``
    (``train``/``dev``/``test``, kept) and ``topic``/``style``/``why``, which go to
    ``meta`` with any other field. Blank lines are skipped.
    """
    path = Path(path)
    source = f"project_jsonl:{path.name}"
    for number, line in _lines(path):
        if not line.strip():
            continue
        row = _json_object(line, path, number)
        text = _text(_require(row, "text", path, number), "text", path, number)
        label = _binary(_require(row, "label", path, number), "label", path, number, strings=False)
        lang = _require(row, "lang", path, number)
        if not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", lang):
            raise AnnotationError(
                f"field 'lang' is {lang!r}; expected a language code such as 'zh' or 'en'",
                code="F506",
                source=_where(path, number),
            )
        split = row.get("split")
        if split is not None and split not in SPLITS:
            raise AnnotationError(
                f"field 'split' is {split!r}; expected one of {list(SPLITS)} or no split field",
                code="F506",
                source=_where(path, number),
            )
        meta = {k: v for k, v in row.items() if k not in ("text", "label", "lang", "split")}
        meta["line"] = number
        yield Example(text, label, lang, source, split, None, meta)


def read_claimbuster(path: str | Path) -> Iterator[Example]:
    """ClaimBuster two-class files (utaresearch/claimbuster-spotter ``data/two_class``).

    JSON list of ``{"sentence_id", "label", "text"}`` (``test.json``, ``*NCS*.json``) or
    the TSV ``2020_debate.tsv`` (quoted header ``"sentence_id" "label" "text"``).
    ``label``: 1 = CFS (check-worthy factual sentence) → 1; 0 = NCS, ClaimBuster's NFS
    (non-factual) and UFS (unimportant factual) merged → 0. English; US presidential
    debate sentences. ``id`` is the ClaimBuster ``sentence_id``.
    """
    path = Path(path)
    source = f"claimbuster:{path.name}"
    split = _split_from_name(path)
    first = (_first_line(path) or "").lstrip()
    if first.startswith("[") or path.suffix.lower() == ".json":
        for number, row in _json_list(path):
            if not isinstance(row, dict):
                raise AnnotationError(
                    f"expected a JSON object per list element, found {type(row).__name__}",
                    code="F501",
                    source=_where(path, number),
                )
            text = _text(_require(row, "text", path, number), "text", path, number)
            label = _binary(_require(row, "label", path, number), "label", path, number, strings=False)
            sid = _require(row, "sentence_id", path, number)
            yield Example(text, label, "en", source, split, str(sid), {"line": number})
    else:
        for number, row in _table(path, ("sentence_id", "label", "text")):
            text = _text(row["text"], "text", path, number)
            label = _binary(row["label"], "label", path, number, strings=True)
            yield Example(text, label, "en", source, split, row["sentence_id"].strip(), {"line": number})


_CLEF2019_COLUMNS = ("line_number", "speaker", "text", "label")


def read_clef2019(path: str | Path) -> Iterator[Example]:
    """CLEF 2019 CheckThat! Task 1: political debate and speech transcripts, one sentence a row.

    Either the merged CSV ``CT19-T1-Test.csv`` (header ``line_number,speaker,text,label,
    file_name``) or an original per-transcript file (tab-separated, no header:
    ``line_number speaker text label``). ``label`` 1 = at least one professional
    fact-checking outlet checked the sentence → 1; 0 → 0. English. Rows stay in
    transcript order; ``id`` is ``TRANSCRIPT:line_number`` and ``meta`` has ``speaker``,
    ``file_name`` and ``line_number``.
    """
    path = Path(path)
    source = f"clef2019:{path.name}"
    split = _split_from_name(path)
    rows = _clef2019_tsv(path) if "\t" in (_first_line(path) or "") else _clef2019_csv(path)
    for number, row in rows:
        text = _text(row["text"], "text", path, number)
        label = _binary(row["label"], "label", path, number, strings=True)
        try:
            line_number = int(row["line_number"])
        except ValueError:
            raise AnnotationError(
                f"field 'line_number' is {row['line_number']!r}; expected an integer",
                code="F504",
                source=_where(path, number),
            ) from None
        file_name = row.get("file_name") or path.name
        meta = {"speaker": row["speaker"], "file_name": file_name, "line_number": line_number, "line": number}
        yield Example(text, label, "en", source, split, f"{file_name}:{line_number}", meta)


def _clef2019_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    numbered = _lines(path, keepends=True)
    reader = csv.reader(line for _, line in numbered)
    try:
        header = next(reader, [])
        missing = [c for c in _CLEF2019_COLUMNS if c not in header]
        if missing:
            raise AnnotationError(
                f"column {missing[0]!r} is missing from the CSV header; found {header}, "
                f"expected {list(_CLEF2019_COLUMNS)} (and optionally 'file_name')",
                code="F502",
                source=_where(path, 1),
            )
        previous = reader.line_num
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise AnnotationError(
                    f"row has {len(record)} comma-separated fields but the header has {len(header)} "
                    f"({header}); an unquoted comma or a truncated row?",
                    code="F505",
                    source=_where(path, start),
                )
            yield start, dict(zip(header, record))
    except csv.Error as exc:
        raise AnnotationError(
            f"malformed CSV: {exc}", code="F505", source=_where(path, reader.line_num)
        ) from None


def _clef2019_tsv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    return _tab_rows(path, _lines(path), _CLEF2019_COLUMNS,
                     f"; expected {len(_CLEF2019_COLUMNS)} ({list(_CLEF2019_COLUMNS)}), "
                     "or a CSV file with a header naming them")


def read_clef2020_tweets(path: str | Path) -> Iterator[Example]:
    """CLEF 2020 CheckThat! Task 1: COVID-19 tweets (``test-gold.tsv``), English.

    TSV with header ``topic_id tweet_id tweet_url tweet_text claim claim_worthiness``.
    The label is ``claim_worthiness``: 1 = check-worthy → 1, 0 → 0. ``claim`` (1 = the
    tweet contains a factual claim; the first of the two annotation levels) goes to
    ``meta`` with ``topic_id`` and ``tweet_url``. ``id`` is the tweet id.
    """
    path = Path(path)
    source = f"clef2020_tweets:{path.name}"
    split = _split_from_name(path)
    for number, row in _table(path, ("tweet_id", "tweet_text", "claim_worthiness")):
        text = _text(row["tweet_text"], "tweet_text", path, number)
        label = _binary(row["claim_worthiness"], "claim_worthiness", path, number, strings=True)
        meta: dict = {"line": number}
        if "claim" in row:
            meta["claim"] = _binary(row["claim"], "claim", path, number, strings=True)
        for name in ("topic_id", "tweet_url"):
            if name in row:
                meta[name] = row[name]
        yield Example(text, label, "en", source, split, row["tweet_id"].strip(), meta)


def _read_clef2022(path: str | Path, fmt: str) -> Iterator[Example]:
    path = Path(path)
    source = f"{fmt}:{path.name}"
    split = _split_from_name(path)
    for number, row in _table(path, ("tweet_id", "tweet_text", "class_label")):
        text = _text(row["tweet_text"], "tweet_text", path, number)
        label = _binary(row["class_label"], "class_label", path, number, strings=True)
        meta: dict[str, object] = {"line": number, **{k: row[k] for k in ("topic", "tweet_url") if k in row}}
        yield Example(text, label, "en", source, split, row["tweet_id"].strip(), meta)


def read_clef2022_1a(path: str | Path) -> Iterator[Example]:
    """CLEF 2022 CheckThat! Task 1A, check-worthiness of COVID-19 tweets, English.

    TSV with header ``topic tweet_id tweet_url tweet_text class_label``
    (``CT22_english_1A_checkworthy_*.tsv``). ``class_label`` 1 = check-worthy → 1,
    0 → 0. ``id`` is the tweet id. The same tweets appear in the 1B files with the
    claim-or-not label: load 1A or 1B, not both, or :func:`conflicts` will list them.
    """
    return _read_clef2022(path, "clef2022_1a")


def read_clef2022_1b(path: str | Path) -> Iterator[Example]:
    """CLEF 2022 CheckThat! Task 1B, verifiable factual claim detection in tweets, English.

    Same TSV layout as 1A (``CT22_english_1B_claim_*.tsv``). ``class_label`` 1 = the
    tweet contains a verifiable factual claim → 1, 0 → 0. This is the "is it a claim"
    layer, looser than check-worthiness (about 63% positive against 23% for 1A).
    """
    return _read_clef2022(path, "clef2022_1b")


_CLEF2024_LABELS = {"Yes": 1, "No": 0}
#: Two rows run together where a newline is missing upstream: ``...\tNo29286\tnext text\tNo``.
_CLEF2024_JOINED = re.compile(r"(Yes|No)(\d+)")


def _unquote(cell: str) -> str:
    """A cell as written by a CSV writer: ``"a ""b"" c"`` → ``a "b" c``; other cells as they are."""
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


def read_clef2024(path: str | Path) -> Iterator[Example]:
    """CLEF 2024 CheckThat! Task 1, check-worthiness of US debate sentences, English.

    TSV with header ``Sentence_id Text class_label`` (``CT24_checkworthy_english_*.tsv``);
    ``class_label`` ``Yes`` → 1, ``No`` → 0. A text the upstream CSV writer quoted
    (``"Now, let's..."``) is unquoted. The upstream split is kept: ``_train`` files give
    ``"train"``, ``_dev`` files ``"dev"`` and ``_dev-test`` files ``"test"``. One
    upstream train line holds two rows run together (label ``No29286``, then the next
    row's text and label); it is read as the two rows it is. ``id`` is the sentence id.
    """
    path = Path(path)
    source = f"clef2024:{path.name}"
    words = _TOKEN.findall(path.name.lower())
    split = "test" if "test" in words else "dev" if "dev" in words else "train"
    lines = _lines(path)
    first = next(lines, None)
    columns = [c.strip() for c in first[1].split("\t")] if first else []
    if columns != ["Sentence_id", "Text", "class_label"]:
        raise AnnotationError(f"header is {columns}; expected ['Sentence_id', 'Text', 'class_label']",
                              code="F502", source=_where(path, 1))
    for number, line in lines:
        if not line.strip():
            continue
        cells = line.split("\t")
        joined = _CLEF2024_JOINED.fullmatch(cells[2].strip()) if len(cells) == 5 else None
        rows = ([cells[:2] + [joined.group(1)], [joined.group(2), *cells[3:]]] if joined else [cells])
        for row in rows:
            if len(row) != 3:
                raise AnnotationError(f"row has {len(row)} tab-separated fields; expected 3 "
                                      "(Sentence_id, Text, class_label)", code="F505", source=_where(path, number))
            sid, text, raw = row[0].strip(), _text(_unquote(row[1]), "Text", path, number), row[2].strip()
            if raw not in _CLEF2024_LABELS:
                raise AnnotationError(f"field 'class_label' is {raw!r}; expected 'Yes' or 'No'", code="F503",
                                      source=_where(path, number))
            yield Example(text, _CLEF2024_LABELS[raw], "en", source, split, sid, {"line": number})


def read_factcheck_gpt(path: str | Path) -> Iterator[Example]:
    """Factcheck-GPT (Factcheck-Bench) check-worthiness subtasks, English (ChatGPT answers).

    JSONL, one object a line: subtask 1 ``{"sentence", "checkworthy"}`` (sentences) or
    subtask 2 ``{"claim", "checkworthy"}`` (decontextualised atomic claims). The label
    is ``checkworthy``: ``yes`` (subtask 1) and ``factual`` (subtask 2) → 1; ``other``,
    ``opinion`` and ``not_a_claim`` → 0 (see ``FACTCHECK_GPT_LABELS``). ``meta`` keeps
    the raw value (``checkworthy``) and the ``subtask`` (1 or 2).
    """
    path = Path(path)
    source = f"factcheck_gpt:{path.name}"
    split = _split_from_name(path)
    for number, line in _lines(path):
        if not line.strip():
            continue
        row = _json_object(line, path, number)
        if "sentence" in row:
            name, subtask = "sentence", 1
        elif "claim" in row:
            name, subtask = "claim", 2
        else:
            raise AnnotationError(
                f"field 'sentence' (subtask 1) or 'claim' (subtask 2) is missing; the row has {sorted(row)}",
                code="F502",
                source=_where(path, number),
            )
        text = _text(row[name], name, path, number)
        raw = _require(row, "checkworthy", path, number)
        if not isinstance(raw, str) or raw not in FACTCHECK_GPT_LABELS:
            raise AnnotationError(
                f"field 'checkworthy' is {raw!r}; expected one of {sorted(FACTCHECK_GPT_LABELS)}",
                code="F503",
                source=_where(path, number),
            )
        meta = {"subtask": subtask, "checkworthy": raw, "line": number}
        yield Example(text, FACTCHECK_GPT_LABELS[raw], "en", source, split, None, meta)


def read_labelstudio_export(path: str | Path) -> Iterator[Example]:
    """A Label Studio JSON export of factcheck's review project (factcheck/data/labelstudio_config.xml).

    Label, per task, from its latest non-cancelled annotation: an explicit
    check-worthiness choice wins ("check-worthy" → 1, "not check-worthy" → 0); else the
    verdict "not a claim" → 0 and any other verdict (supported, refuted, misleading,
    unverifiable: the claim was worth checking) → 1. Tasks without either are skipped.
    Text is the task's claim; the language is the task's ``lang``.
    """
    from factcheck.review.tasks import parse_annotation

    path = Path(path)
    try:
        tasks = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise AnnotationError(f"not JSON ({exc.msg} at line {exc.lineno})", code="F501", source=str(path)) from exc
    if not isinstance(tasks, list):
        raise AnnotationError("a Label Studio JSON export is a list of tasks", code="F514", source=str(path))
    for number, task in enumerate(tasks, 1):
        data = task.get("data") or {} if isinstance(task, dict) else {}
        if not data.get("claim_id") or not data.get("claim"):
            continue
        listed = task.get("annotations")
        # Malformed annotations are pull's to report (factcheck review problems); training skips them.
        annotations = [a for a in (listed if isinstance(listed, list) else [])
                       if isinstance(a, dict) and not a.get("was_cancelled")]
        if not annotations:
            continue
        latest = max(annotations, key=lambda a: (a.get("updated_at") or "", a.get("id") or 0))
        verdict = parse_annotation(task, latest)
        if verdict.checkworthy is not None:
            label = int(verdict.checkworthy)
        elif verdict.verdict is not None:
            label = 0 if verdict.verdict == "not a claim" else 1
        else:
            continue
        yield Example(text=data["claim"], label=label, lang=data.get("lang") or "en",
                      source=f"labelstudio_export:{path.name}", id=data["claim_id"],
                      meta={"line": number, "verdict": verdict.verdict, "task_id": task.get("id")})


def read_zh_real(path: str | Path) -> Iterator[Example]:
    """Real Chinese sentences labelled by reference (``annotations/zh_real_checkworthy.jsonl``):
    each row points into a public data set in ``../shared`` and is resolved there at run
    time (:func:`factcheck.model.real_text.read_real`); ``split: test`` rows are held out,
    the others are a training pool."""
    from factcheck.model.real_text import read_real

    return read_real(path)


READERS: dict[str, Callable[[str | Path], Iterator[Example]]] = {
    "project_jsonl": read_project_jsonl,
    "claimbuster": read_claimbuster,
    "clef2019": read_clef2019,
    "clef2020_tweets": read_clef2020_tweets,
    "clef2022_1a": read_clef2022_1a,
    "clef2022_1b": read_clef2022_1b,
    "clef2024": read_clef2024,
    "factcheck_gpt": read_factcheck_gpt,
    "labelstudio_export": read_labelstudio_export,
    "zh_real": read_zh_real,
}
#: Format names accepted by :func:`load`, in the order of the table above.
FORMATS = tuple(READERS)
_ALIASES = {"project": "project_jsonl", "clef2020": "clef2020_tweets", "ct24": "clef2024",
            "factcheckgpt": "factcheck_gpt", "labelstudio": "labelstudio_export"}


# --------------------------------------------------------------------------------------
# detection and loading


def _format_name(name: str) -> str | None:
    name = name.strip().lower().replace("-", "_")
    name = _ALIASES.get(name, name)
    return name if name in READERS else None


def _clef2022_subtask(path: Path) -> str | None:
    name = path.name.lower()
    is_a = bool(re.search(r"(?<![0-9a-z])1a(?![0-9a-z])|checkworth", name))
    is_b = bool(re.search(r"(?<![0-9a-z])1b(?![0-9a-z])|claim", name))
    if is_a != is_b:
        return "clef2022_1a" if is_a else "clef2022_1b"
    return None


def _sniff(path: Path) -> str | None:
    """Format name from the file's header or first record; ``"clef2022"`` if 1A/1B is unclear."""
    try:
        head = _first_line(path)
    except AnnotationError:
        return None
    if head is None:
        return None
    stripped = head.strip()
    if stripped.startswith("{"):
        try:
            row = json.loads(stripped)
        except json.JSONDecodeError:
            return None
        keys = set(row) if isinstance(row, dict) else set()
        if {"text", "label", "lang"} <= keys:
            return "project_jsonl"
        if "checkworthy" in keys and keys & {"sentence", "claim"}:
            return "factcheck_gpt"
        if {"dataset", "file", "start", "end", "sha256", "label"} <= keys:
            return "zh_real"
        return None
    if stripped.startswith("["):
        elements = _json_list(path)
        try:
            first = next(elements, None)
        except AnnotationError:
            return None
        finally:
            elements.close()
        if first is not None and isinstance(first[1], dict) and {"sentence_id", "label", "text"} <= set(first[1]):
            return "claimbuster"
        if first is not None and isinstance(first[1], dict) and "claim_id" in (first[1].get("data") or {}):
            return "labelstudio_export"
        return None
    cells = [c.strip().strip('"') for c in head.split("\t")]
    columns = set(cells)
    if {"sentence_id", "label", "text"} <= columns:
        return "claimbuster"
    if {"tweet_id", "tweet_text", "claim_worthiness"} <= columns:
        return "clef2020_tweets"
    if cells == ["Sentence_id", "Text", "class_label"]:
        return "clef2024"
    if {"tweet_id", "tweet_text", "class_label"} <= columns:
        return _clef2022_subtask(path) or "clef2022"
    if len(cells) == 1 and set(_CLEF2019_COLUMNS) <= set(next(csv.reader([head]), [])):
        return "clef2019"
    if len(cells) == 4 and cells[0].isdigit() and cells[3].strip() in ("0", "1"):
        return "clef2019"
    return None


def detect_format(path: str | Path) -> str | None:
    """The format name of a data file, or None when it is not one of ``FORMATS``.

    Raises AnnotationError (F507) for a CLEF 2022 file whose name does not say 1A or 1B.
    """
    path = Path(path)
    fmt = _sniff(path)
    if fmt == "clef2022":
        raise AnnotationError(
            "CLEF 2022 task 1 file, but its name says neither 1A (checkworthy) nor 1B (claim); "
            "name the subtask: load('clef2022_1a:PATH') or load('clef2022_1b:PATH')",
            code="F507",
            source=str(path),
        )
    return fmt


def _parse_spec(spec: str | Path) -> tuple[str | None, Path]:
    if isinstance(spec, Path):
        return None, spec
    head, sep, tail = spec.partition(":")
    if sep and len(head) > 1 and re.fullmatch(r"[A-Za-z][\w-]*", head):
        fmt = _format_name(head)
        if fmt is not None:
            return fmt, Path(tail)
        if not Path(spec).exists():
            raise AnnotationError(
                f"unknown data set format {head!r}; expected one of {list(FORMATS)} "
                "as FORMAT:PATH, or a bare PATH to detect the format",
                code="F507",
                source=spec,
            )
    return None, Path(spec)


def load(spec: str | Path) -> list[Example]:
    """Read ``FORMAT:PATH`` or ``PATH`` (a file or a directory) into a list of examples.

    A bare file path is detected with :func:`detect_format`. A directory is walked
    recursively in sorted path order (hidden entries skipped); every file of a known
    format (of ``FORMAT`` when given) is read, others are skipped. The order is the file
    order, then the row order within each file.
    """
    fmt, path = _parse_spec(spec)
    if not path.exists():
        raise AnnotationError("data path does not exist; check the path", code="F508", source=str(path))
    if not path.is_dir():
        if fmt is None:
            fmt = detect_format(path)
            if fmt is None:
                raise AnnotationError(
                    f"could not detect the data set format from the file's header or first record; "
                    f"name it as FORMAT:PATH with FORMAT one of {list(FORMATS)}",
                    code="F507",
                    source=str(path),
                )
        return list(READERS[fmt](path))
    chosen: list[tuple[Path, str]] = []
    files = sorted(
        (p for p in path.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.relative_to(path).parts)),
        key=lambda p: p.relative_to(path).as_posix(),
    )
    for file in files:
        found = _sniff(file)
        if found is None:
            continue
        if fmt is not None:
            if found == fmt or (found == "clef2022" and fmt in ("clef2022_1a", "clef2022_1b")):
                chosen.append((file, fmt))
            continue
        chosen.append((file, detect_format(file) or found))
    if not chosen:
        wanted = f"{fmt} files" if fmt else f"files of a known format ({', '.join(FORMATS)})"
        raise AnnotationError(f"directory holds no {wanted}", code="F508", source=str(path))
    return [example for file, name in chosen for example in READERS[name](file)]


# --------------------------------------------------------------------------------------
# splits, fingerprints, duplicates


def _order_key(seed: int | str, text: str) -> bytes:
    return hashlib.sha256(f"{seed}:{text}".encode()).digest()


def split_examples(
    examples: Iterable[Example], *, seed: int | str, dev_fraction: float = 0.1
) -> tuple[list[Example], list[Example], list[Example]]:
    """Split into ``(train, dev, test)``, stratified by ``(label, lang)``.

    * ``test`` holds the examples whose ``split`` is ``"test"``; they never reach train or
      dev, and neither does any other example with the same text (no leakage through
      duplicates).
    * Examples already marked ``"train"`` or ``"dev"`` keep their split.
    * The rest (``split`` None) are split per ``(label, lang)`` stratum: ordered by
      ``sha256(f"{seed}:{text}")``, the first ``round(dev_fraction * n)`` go to dev (a
      group of identical texts is never cut), the others to train.

    The result depends only on the seed and the examples, not on their order; each list
    keeps the input order.
    """
    if not 0 <= dev_fraction < 1:
        raise ValueError(f"dev_fraction must be in [0, 1), got {dev_fraction!r}")
    examples = list(examples)
    test = [e for e in examples if e.split == "test"]
    test_texts = {e.text for e in test}
    assigned: dict[int, str] = {}
    strata: dict[tuple[int, str], list[int]] = {}
    for index, example in enumerate(examples):
        if example.split == "test" or example.text in test_texts:
            continue
        if example.split in ("train", "dev"):
            assigned[index] = example.split
        elif example.split is None:
            strata.setdefault((example.label, example.lang), []).append(index)
        else:
            raise AnnotationError(
                f"example {example.id or index} has split {example.split!r}; expected one of {list(SPLITS)} or None",
                code="F506",
                source=example.source,
            )
    for indices in strata.values():
        order = sorted(indices, key=lambda i: (_order_key(seed, examples[i].text), examples[i].text, i))
        cut = math.floor(len(order) * dev_fraction + 0.5)
        while 0 < cut < len(order) and examples[order[cut]].text == examples[order[cut - 1]].text:
            cut += 1
        for rank, index in enumerate(order):
            assigned[index] = "dev" if rank < cut else "train"
    train = [examples[i] for i in sorted(assigned) if assigned[i] == "train"]
    dev = [examples[i] for i in sorted(assigned) if assigned[i] == "dev"]
    return train, dev, test


def fingerprint(examples: Iterable[Example]) -> str:
    """Hex sha256 over the sorted ``(text, label, lang)`` triples (duplicates count).

    Independent of order, source, split, id and meta: two lists with the same labelled
    texts have the same fingerprint. For model cards and reproducibility checks.
    """
    digest = hashlib.sha256()
    for triple in sorted((e.text, e.label, e.lang) for e in examples):
        digest.update(json.dumps(triple, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def dedupe(examples: Iterable[Example]) -> list[Example]:
    """The examples without exact duplicate texts, keeping the first of each, in order."""
    seen: set[str] = set()
    kept = []
    for example in examples:
        if example.text not in seen:
            seen.add(example.text)
            kept.append(example)
    return kept


def conflicts(examples: Iterable[Example]) -> list[tuple[str, set[int]]]:
    """Texts that occur with more than one label, as ``(text, labels)`` in first-seen order."""
    labels: dict[str, set[int]] = {}
    for example in examples:
        labels.setdefault(example.text, set()).add(example.label)
    return [(text, found) for text, found in labels.items() if len(found) > 1]


def heldout_name(example: Example) -> str:
    """Name of the held-out set an example belongs to: ``format:file-stem``."""
    fmt, _, name = example.source.rpartition(":")
    return f"{fmt}:{Path(name).stem}" if fmt else Path(name).stem

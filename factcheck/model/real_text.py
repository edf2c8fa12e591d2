"""Real Chinese sentences, labelled by reference: resolved against ``../shared`` at run time.

``annotations/zh_real_checkworthy.jsonl`` labels 1,454 sentences of real text (Weibo posts
from CED, Traditional Chinese claims from CFEVER, the two seed articles) without holding
them: each line points into a public data set beside the checkout and carries the label.

    {"dataset": "ced-weibo-rumor", "file": "original-microblog/3629_Afyurtjdt_1195031270.json",
     "row": null, "start": 26, "end": 55, "sha256": "09ec858311447eb6", "label": 0,
     "why": "vague", "lang": "zh", "script": "Hans", "style": "社交媒体帖子", "split": "train"}

==================  ======================================  ==============================================
``dataset``         ``file`` (under ``shared/``)            the sentence is
==================  ======================================  ==============================================
``ced-weibo-rumor`` ``datasets/ced-weibo-rumor/`` + file    ``text[start:end]`` of the post's JSON
``cfever``          ``datasets/cfever/dev.jsonl``           ``claim[start:end]`` of the row whose ``id`` is
                                                            ``row``
``seeds``           ``seeds/`` + file                       ``text[start:end]`` of the article (UTF-8)
==================  ======================================  ==============================================

``sha256`` is the first 16 hex digits of the sentence's sha256: a changed copy of the data
is caught instead of silently labelling other text. ``split`` is ``test`` for the held-out
third (by a hash of the text, see ``annotations/README.md``) and ``train`` for the rest.

:func:`load_real` returns :class:`~factcheck.records.Example` records, as
``datasets.load("zh_real:PATH")`` does (this module does not import ``datasets``, which
reads it): the held-out rows with ``split="test"``, the others with ``split=None`` (a
training pool that ``split_examples`` divides into train and dev).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from factcheck import settings
from factcheck.errors import AnnotationError
from factcheck.records import Example

__all__ = ["DATASETS", "REAL_FILE", "load_real", "read_real", "resolve", "shared_dir"]

#: The labelled references, in the project's ``annotations/``.
REAL_FILE = "zh_real_checkworthy.jsonl"
#: Where each referenced data set lives under ``shared/``.
DATASETS = {"ced-weibo-rumor": "datasets/ced-weibo-rumor", "cfever": "datasets/cfever", "seeds": "seeds"}


def shared_dir(checkout: str | Path | None = None) -> Path:
    """``shared/`` beside the checkout (``Path(checkout).parent / "shared"``), where the public
    data sets are kept out of the repository."""
    return Path(checkout or settings.project_dir()).resolve().parent / "shared"


class _Sources:
    """The referenced documents, each read once: Weibo posts and seed articles by file,
    CFEVER claims by row id."""

    def __init__(self, shared: Path):
        if not shared.is_dir():
            raise AnnotationError(
                "the shared data folder is missing: the real-text set stores references into the public "
                "data sets kept there, not the sentences; put shared/ beside the checkout (with datasets/ "
                "and seeds/) or pass shared=PATH",
                code="F540",
                source=str(shared),
            )
        self.shared = shared
        self._texts: dict[tuple[str, str], str] = {}
        self._cfever: dict[str, dict[int, str]] = {}

    def text(self, dataset: str, file: str, row: object) -> str:
        path = self.shared / DATASETS[dataset] / file
        if dataset == "cfever":
            claims = self._cfever.get(file)
            if claims is None:
                rows = (json.loads(line) for line in _read(path).splitlines() if line.strip())
                claims = self._cfever[file] = {row["id"]: row["claim"] for row in rows}
            if not isinstance(row, int) or row not in claims:
                raise AnnotationError(f"CFEVER has no claim with id {row!r}; check the reference", code="F541",
                                      source=str(path))
            return claims[row]
        key = (dataset, file)
        if key not in self._texts:
            raw = _read(path)
            self._texts[key] = json.loads(raw)["text"] if dataset == "ced-weibo-rumor" else raw
        return self._texts[key]


def _read(path: Path, missing: str = "referenced data file is not in the shared folder; check the reference "
          "and the shared copy") -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnnotationError(missing, code="F508", source=str(path)) from None


def resolve(reference: dict, shared: str | Path | None = None, *, _sources: _Sources | None = None) -> str:
    """The sentence one reference points at, checked against its ``sha256``.

    Raises AnnotationError F540 when ``shared`` is missing, F508 for a missing data file,
    F541 for a reference that no longer matches the data (unknown row, changed text).
    """
    sources = _sources or _Sources(Path(shared) if shared else shared_dir())
    dataset = reference.get("dataset")
    if dataset not in DATASETS:
        raise AnnotationError(f"unknown dataset {dataset!r} in a reference; expected one of {list(DATASETS)}",
                              code="F541")
    whole = sources.text(dataset, reference["file"], reference.get("row"))
    text = whole[reference["start"] : reference["end"]]
    digest = hashlib.sha256(text.encode()).hexdigest()
    if not digest.startswith(reference["sha256"]):
        raise AnnotationError(
            f"the text at {reference['file']} [{reference['start']}:{reference['end']}] no longer matches its "
            f"recorded sha256 {reference['sha256']} (found {text[:30]!r}); the shared copy changed: restore it "
            "from its SHA256SUMS or relabel the reference",
            code="F541",
            source=f"{dataset}/{reference['file']}",
        )
    return text


def read_real(path: str | Path, shared: str | Path | None = None) -> Iterator[Example]:
    """The labelled references of ``path``, resolved to their sentences (see the module doc)."""
    path = Path(path)
    sources = _Sources(Path(shared) if shared else shared_dir())
    for line_number, line in enumerate(_read(path, "labelled reference file does not exist; check the path")
                                       .splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}, line {line_number}"
        try:
            reference = json.loads(line)
            text = resolve(reference, _sources=sources)
        except json.JSONDecodeError as exc:
            raise AnnotationError(f"malformed JSON: {exc.msg} (column {exc.colno})", code="F501",
                                  source=where) from None
        except KeyError as exc:
            raise AnnotationError(f"field {exc.args[0]!r} is missing from the reference", code="F502",
                                  source=where) from None
        except AnnotationError as exc:
            exc.source = f"{where} ({exc.source})" if exc.source else where
            raise
        label, split = reference.get("label"), reference.get("split")
        if label not in (0, 1) or isinstance(label, bool):
            raise AnnotationError(f"field 'label' is {label!r}; expected the integer 0 or 1", code="F503",
                                  source=where)
        if split not in ("train", "test"):
            raise AnnotationError(f"field 'split' is {split!r}; expected 'train' or 'test'", code="F506",
                                  source=where)
        row, doc = reference.get("row"), f"{reference['dataset']}/{reference['file']}"
        meta = {k: v for k, v in reference.items() if k not in ("label", "lang", "split")}
        yield Example(
            text=text,
            label=label,
            lang=reference.get("lang", "zh"),
            source=f"zh_real:{path.name}",
            split="test" if split == "test" else None,
            id=f"{doc}#{row}" if row is not None else f"{doc}@{reference['start']}-{reference['end']}",
            meta={**meta, "line": line_number},
        )


def load_real(path: str | Path | None = None, *, shared: str | Path | None = None) -> list[Example]:
    """The real-text Chinese set, resolved: ``annotations/zh_real_checkworthy.jsonl`` of the
    project (or ``path``) resolved against ``shared`` (default :func:`shared_dir`)."""
    return list(read_real(path or settings.project_dir() / "annotations" / REAL_FILE, shared))

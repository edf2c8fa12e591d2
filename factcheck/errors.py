"""The one family of errors factcheck raises.

::

    FactcheckError            everything below; the CLI prints "Error: ..." and exits 1
    ├── InputError            an article could not be read (empty, binary, encoding, format)
    ├── ModelError            a model or pipeline is missing or broken
    ├── StoreError            the SQLite store could not be opened or written
    ├── LabelStudioError      the Label Studio server is down or answered with an error
    └── AnnotationError       an annotation or labelled file is invalid

Messages say what happened, what was expected and what to try, with the actual
values. Each carries a short code (``[F012]``) listed in ``CODES`` so it can be
searched for.
"""

from __future__ import annotations


class FactcheckError(Exception):
    """Base class. ``code`` is a stable identifier such as "F001"."""

    code = "F000"

    def __init__(self, message: str, *, code: str | None = None, source: str | None = None):
        self.code = code or self.code
        self.source = source
        super().__init__(message)

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return f"[{self.code}] {prefix}{self.args[0]}"


class InputError(FactcheckError):
    code = "F100"


class ModelError(FactcheckError):
    code = "F200"


class StoreError(FactcheckError):
    code = "F300"


class LabelStudioError(FactcheckError):
    code = "F400"


class AnnotationError(FactcheckError):
    code = "F500"


#: Catalogue of codes used with ``code=``; a test checks they are unique and used.
CODES: dict[str, str] = {
    "F000": "factcheck error (base class)",
    "F100": "input could not be read",
    "F101": "input file is empty",
    "F102": "input looks binary",
    "F103": "input encoding could not be detected",
    "F104": "unsupported input format",
    "F105": "malformed JSON article",
    "F106": "HTML has no extractable main text",
    "F107": "input path does not exist",
    "F108": "article is larger than the configured limit",
    "F200": "model or pipeline problem",
    "F201": "spaCy pipeline package missing",
    "F300": "store problem",
    "F400": "Label Studio problem",
    "F500": "annotation problem",
}

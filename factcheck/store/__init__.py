"""The SQLite store: ``db`` (schema, migrations, writes), ``intake`` (articles extracted
into it), ``claims`` (read-back),
``verdicts`` (the final-verdict rule and the verdict writer), ``fts`` and ``search``
(queries), ``matching`` and ``conflicts`` (claims seen before), ``verdict_import``
(external fact-checks), ``export``, ``stats`` and ``serve`` (Datasette)."""

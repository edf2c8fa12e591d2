"""Extraction: articles → sentences → candidate claims.

``ingest`` reads files and splits blocks, ``segment`` and ``components`` run spaCy
(jieba words and a gazetteer for Chinese), ``quantities``/``units`` and ``times`` are the
pure finders, ``clauses`` splits compound sentences, ``kinds`` gives each candidate a
kind and reasons, ``score`` is the interface to a check-worthiness model, and
``pipeline`` puts them together (:func:`factcheck.extraction.pipeline.extract`).
Nothing here touches the store or the network.
"""

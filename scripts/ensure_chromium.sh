#!/usr/bin/env bash
# Make sure tinyweb can launch a Chromium: Playwright's own if it downloads, else the
# system package (Debian/Ubuntu `chromium`), else say how to get one.
set -uo pipefail
PY=$1
check() { "$PY" -m tinyweb.browser >/dev/null 2>&1; }
if check; then "$PY" -m tinyweb.browser; exit 0; fi
echo "no Chromium yet: trying Playwright's own browser"
timeout 180 "$PY" -m playwright install chromium >/dev/null 2>&1 && check && { "$PY" -m tinyweb.browser; exit 0; }
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "installing the system chromium package"
  $SUDO apt-get update -qq >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if check; then "$PY" -m tinyweb.browser; exit 0; fi
"$PY" -m tinyweb.browser
exit 1

#!/usr/bin/env bash
# `npm run test:setup`: what the tests need beyond npm packages — Debian's Chromium for the
# browser tests (never a downloaded browser).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "loket: Chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "loket: installed $(/usr/bin/chromium --version)"

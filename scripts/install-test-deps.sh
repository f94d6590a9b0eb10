#!/usr/bin/env bash
# `npm run test:setup`: what the tests need beyond npm packages, from Debian's packages —
# Chromium for the browser tests (never a downloaded browser) and redis-server for the N5
# multi-instance tests. Installs only what is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "loket: $(/usr/bin/chromium --version 2>/dev/null | head -1 || echo 'Chromium missing')"
echo "loket: $(/usr/bin/redis-server --version | head -1)"

#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (report page, playground) when it is missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then echo "chromium present: $(chromium --version 2>/dev/null || true)"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "chromium missing and not root: browser tests will fail" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
chromium --version

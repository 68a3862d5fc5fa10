#!/usr/bin/env bash
# Installs the system packages the tests need (Debian/Ubuntu, as root or with sudo). Idempotent: installs only what is missing.
#   chromium, chromium-driver: the curation page is tested in a real headless browser.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v chromedriver >/dev/null 2>&1 || needed+=(chromium-driver)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${needed[*]} (needed by the browser test of the curation page)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${needed[@]}" >/dev/null
fi

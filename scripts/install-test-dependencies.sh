#!/usr/bin/env bash
# Installs the system packages the tests need (Debian/Ubuntu, as root or with sudo). Idempotent: installs only what is missing.
#   chromium, chromium-driver: the curation page is tested in a real headless browser.
#   slurm-wlm, munge: 'experiment submit --slurm' is tested on a real single-node Slurm started by the test.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v chromedriver >/dev/null 2>&1 || needed+=(chromium-driver)
[ -x /usr/sbin/slurmctld ] || needed+=(slurm-wlm)
[ -x /usr/sbin/munged ] || needed+=(munge)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${needed[*]} (the curation browser test and the Slurm test need them)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${needed[@]}" >/dev/null
fi

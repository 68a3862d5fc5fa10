#!/usr/bin/env bash
# Installs the system packages the full test set needs (Debian/Ubuntu, as root or with sudo). Idempotent: installs only
# what is missing. Without them `dotnet test` still passes: the tests that need them are skipped, each saying which
# package to install, except under CI=true, where a missing one is a failure.
#   chromium, chromium-driver: the curation page is tested in a real headless browser.
#   slurm-wlm, munge: 'experiment submit --slurm' is tested on a real single-node Slurm started by the test (as root).
#   python3-torch, python3-torchvision, python3-numpy, python3-scipy, python3-sklearn: the reference scripts in
#     scripts/reference/ compute what the reference tests compare with (torchvision, MedMamba, scikit-learn, SciPy).
#   git: scripts/reference/fetch-medmamba.sh clones MedMamba's code for its reference test.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v chromedriver >/dev/null 2>&1 || needed+=(chromium-driver)
[ -x /usr/sbin/slurmctld ] || needed+=(slurm-wlm)
[ -x /usr/sbin/munged ] || needed+=(munge)
command -v git >/dev/null 2>&1 || needed+=(git)
for package in python3-torch python3-torchvision python3-numpy python3-scipy python3-sklearn; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || needed+=("$package")
done
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${needed[*]} (browser, Slurm and reference tests)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${needed[@]}" >/dev/null
fi

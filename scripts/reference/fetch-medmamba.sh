#!/usr/bin/env bash
# Clones MedMamba's code (github.com/YubiaoYue/MedMamba) at the commit scripts/reference/medmamba.py was written
# against, for the MedMamba reference test. Usage:
#   scripts/reference/fetch-medmamba.sh FOLDER        # then: export SONOSYNTH_MEDMAMBA_DIR=FOLDER
# MEDMAMBA_GIT_URL overrides where it clones from (e.g. a local mirror). The code is not part of this project.
set -euo pipefail
folder="${1:?usage: fetch-medmamba.sh FOLDER}"
commit=104beb3d641d67cef6f09b94ac299083d91bc417
url="${MEDMAMBA_GIT_URL:-https://github.com/YubiaoYue/MedMamba.git}"
if [ ! -f "$folder/MedMamba.py" ]; then
  git clone --quiet "$url" "$folder"
fi
git -C "$folder" -c advice.detachedHead=false checkout --quiet "$commit"
echo "$folder"

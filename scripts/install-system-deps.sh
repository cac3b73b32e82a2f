#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing. Needs root (or sudo).
# Each entry: "<command or file that proves it is installed> <debian package>".
set -euo pipefail

NEEDED=(
  "psql postgresql-client"
  "pdftotext poppler-utils"
  "unzip unzip"
  "soffice libreoffice-writer-nogui"
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core"
  "pdftoppm poppler-utils"
  "pdffonts poppler-utils"
  "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf fonts-liberation2"
  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf fonts-droid-fallback"
  "/usr/share/fonts/truetype/nanum/NanumGothic.ttf fonts-nanum"
  "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf fonts-symbola"
  "/usr/bin/chromium chromium"
)

missing=()
for entry in "${NEEDED[@]}"; do
  probe=${entry%% *}
  pkg=${entry#* }
  if [[ $probe == /* ]]; then [[ -e $probe ]] || missing+=("$pkg")
  else command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg"); fi
done

if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

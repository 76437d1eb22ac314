#!/usr/bin/env bash
# Install the Debian packages jacviz needs (cairo/pango headers for manim's
# pycairo and manimpango, LaTeX + dvisvgm for MathTex, Chromium for the browser
# tests, npm for a local copy of reveal.js, espeak-ng for the lecture's
# `--voice espeak` and its tests). Installs only what is
# missing; as non-root, prints the exact command to run and fails.
set -euo pipefail
PKGS=(pkg-config libcairo2-dev libpango1.0-dev
      texlive-latex-base texlive-latex-recommended texlive-latex-extra
      texlive-fonts-recommended dvisvgm
      chromium poppler-utils espeak-ng)
# two set-ups at once (two clones, make -j) take turns: the second then finds all present
if [ "$(id -u)" = 0 ] && command -v flock >/dev/null 2>&1; then
  exec 9>/tmp/.jacviz-system-deps.lock
  flock 9
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches a local copy of reveal.js for the offline slide deck; any Node.js with npm will do
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages missing: ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "error: missing Debian packages; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=1800 update -q
apt-get -o DPkg::Lock::Timeout=1800 install -y -q --no-install-recommends "${missing[@]}"

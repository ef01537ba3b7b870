#!/usr/bin/env sh
# Installs a headless-capable Chromium for engine/report's HTML test
# (chromedp). Idempotent: it does nothing when a Chromium or Chrome binary is
# already on PATH.
set -eu

for b in chromium chromium-browser google-chrome google-chrome-stable; do
	if command -v "$b" >/dev/null 2>&1; then
		echo "$b already installed: $(command -v "$b")"
		exit 0
	fi
done

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install Chromium with your package manager (apt-get not found)" >&2
	exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core
command -v chromium

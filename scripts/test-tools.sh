#!/usr/bin/env bash
# Installs the host tools the integration tests drive, when they are missing (Debian, as root):
# tmux (a real terminal for Claude Code's TUI), curl, and a real headless browser (chromium and its
# chromedriver) for the dashboard's page.
set -euo pipefail

missing=()
for tool in tmux:tmux curl:curl chromium:chromium chromedriver:chromium-driver; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test tools: present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test tools: missing ${missing[*]}; install them and run again" >&2
  exit 3
fi
echo "test tools: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

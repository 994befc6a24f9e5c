#!/usr/bin/env bash
# Seeds the base image the agent and bundle images build on, for hosts that cannot pull it:
# debootstrap a minimal Debian bookworm and import it into the local engine.
#
#   scripts/seed-base-image.sh [IMAGE] [MIRROR]
#
# IMAGE defaults to debian:bookworm-slim; MIRROR to the first Debian mirror in this host's apt
# sources (else deb.debian.org). Does nothing when the image already exists.
set -euo pipefail

image=${1:-debian:bookworm-slim}
mirror=${2:-}

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image: present"
  exit 0
fi
if [ -z "$mirror" ]; then
  mirror=$(grep -rhoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | grep -oE 'https?://[^ ]+' | grep -v security | head -n 1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  else
    echo "debootstrap is missing: install it (apt-get install debootstrap) and run again" >&2
    exit 3
  fi
fi

root=$(mktemp -d /tmp/claude-bottle-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "base image $image: debootstrap bookworm from $mirror (about a minute)"
debootstrap --variant=minbase bookworm "$root" "$mirror" >/tmp/claude-bottle-debootstrap.log 2>&1 || {
  echo "debootstrap failed; last lines of /tmp/claude-bottle-debootstrap.log:" >&2
  tail -n 20 /tmp/claude-bottle-debootstrap.log >&2
  exit 1
}
# Keep the image small like the official slim one.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' - "$image" >/dev/null
echo "base image $image: imported"

#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs docker.io when dockerd is missing (Debian, as root),
# starts dockerd when `docker info` fails, and waits until the engine answers.
set -euo pipefail

log=${DOCKERD_LOG:-/tmp/dockerd.log}
timeout=${DOCKER_WAIT_SECONDS:-60}

if docker info >/dev/null 2>&1; then
  echo "docker engine: already running"
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "docker engine: dockerd is missing; install Docker and start it" >&2
    exit 3
  fi
  echo "docker engine: installing docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
if ! command -v docker >/dev/null 2>&1; then
  echo "docker engine: the docker client is missing" >&2
  exit 3
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "docker engine: not running, and only root can start dockerd here" >&2
  exit 3
fi
echo "docker engine: starting dockerd (log: $log)"
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 "$timeout"); do
  if docker info >/dev/null 2>&1; then
    echo "docker engine: $(docker version --format '{{.Server.Version}}') is up"
    exit 0
  fi
  sleep 1
done
echo "docker engine: no answer after ${timeout}s; last lines of $log:" >&2
tail -n 20 "$log" >&2 || true
exit 3

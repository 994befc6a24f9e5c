#!/usr/bin/env bash
# Launch benchmark: median wall time of `bottle run demo -- true` (network, bundle, guest,
# provisioning, teardown), and of the same run claiming a warm bottle (the pool filled again, untimed,
# before each run, and no refill left running), against baselines measured in the same run: `docker
# run --rm <agent image> true`, and the engine floor — the same Docker work a bottle needs done by the docker CLI
# with nothing else (internal network, bundle container on it and the egress network, guest
# container, the resolver-blocking helper, two root execs, the command, removal of all of it), done
# one call after the other and done overlapped as a launch overlaps it.
#
#   bench/run.sh [RUNS]      (default 5; needs a Docker engine; builds missing images first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
[ -x cli/target/bottle/bin/bottle ] || mvn -B -q -DskipTests package
export CLAUDE_BOTTLE_HOME
CLAUDE_BOTTLE_HOME=$(mktemp -d /tmp/claude-bottle-bench.XXXXXX)
bottle=cli/target/bottle/bin/bottle
trap 'rc=$?; pkill -f "[w]arm fill demo" || true; "$bottle" stop --all >/dev/null 2>&1 || true
      rm -rf "$CLAUDE_BOTTLE_HOME" || true; exit $rc' EXIT
agent=$("$bottle" image build --agent --json 2>/dev/null | sed -n 's/.*"tag" : "\(.*\)".*/\1/p')
bundle=$("$bottle" image build --bundle --json 2>/dev/null | sed -n 's/.*"tag" : "\(.*\)".*/\1/p')
egress=${CLAUDE_BOTTLE_EGRESS_NETWORK:-claude-bottle-egress}
docker network inspect "$egress" >/dev/null 2>&1 || docker network create "$egress" >/dev/null

# The engine work of one bottle, without claude-bottle: what no launch on this engine can beat.
engine_floor() {
  local n=bench-floor-$$
  docker network create --internal "$n" >/dev/null
  docker create --name "$n-bundle" --network "$n" --entrypoint sleep "$bundle" infinity >/dev/null
  docker network connect "$egress" "$n-bundle"
  docker start "$n-bundle" >/dev/null
  docker run -d --name "$n-guest" --network "$n" "$agent" sleep infinity >/dev/null
  docker run --rm --network "container:$n-guest" --cap-add NET_ADMIN --entrypoint true "$bundle"
  docker exec -u root "$n-guest" chown -R node:node /home/node
  docker exec -u root "$n-guest" true
  docker exec "$n-guest" true
  docker rm -f "$n-guest" "$n-bundle" >/dev/null
  docker network rm "$n" >/dev/null
}

# The same work with what a launch can overlap overlapped, as `bottle run` does: the bundle starts
# while the guest starts and is provisioned, the resolver block runs beside provisioning, and both
# containers are removed together.
engine_floor_overlapped() {
  local n=bench-overlap-$$
  docker network create --internal "$n" >/dev/null
  { docker create --name "$n-bundle" --network "$n" --entrypoint sleep "$bundle" infinity >/dev/null
    docker network connect "$egress" "$n-bundle"
    docker start "$n-bundle" >/dev/null; } &
  local bundle_pid=$!
  docker run -d --name "$n-guest" --network "$n" "$agent" sleep infinity >/dev/null
  docker run --rm --network "container:$n-guest" --cap-add NET_ADMIN --entrypoint true "$bundle" &
  local block_pid=$!
  docker exec -u root "$n-guest" chown -R node:node /home/node
  docker exec -u root "$n-guest" true
  wait "$bundle_pid" "$block_pid"
  docker exec "$n-guest" true
  docker rm -f "$n-guest" "$n-bundle" >/dev/null
  docker network rm "$n" >/dev/null
}

. bench/lib.sh

# The demo bottle kept warm: one copy, filled before each timed run once the last run's refill is done.
warm_manifest="$CLAUDE_BOTTLE_HOME/warm-demo.yaml"
sed '0,/^  demo:$/s//  demo:\n    warm: 1/' examples/demo.yaml > "$warm_manifest"
refill() {
  while pgrep -f 'warm fill demo' >/dev/null; do sleep 0.2; done
  "$bottle" warm fill demo -f "$warm_manifest"
}

"$bottle" run demo -f examples/demo.yaml -- true >/dev/null 2>&1   # warm: images, class-data archive
docker_ms=$(median_ms "$runs" docker run --rm "$agent" true)
floor_ms=$(median_ms "$runs" engine_floor)
overlap_ms=$(median_ms "$runs" engine_floor_overlapped)
bottle_ms=$(median_ms "$runs" "$bottle" run demo -f examples/demo.yaml -- true)
warm_ms=$(BEFORE_EACH=refill median_ms "$runs" "$bottle" run demo -f "$warm_manifest" -- true)
while pgrep -f 'warm fill demo' >/dev/null; do sleep 0.2; done
"$bottle" warm drain >/dev/null 2>&1
version_ms=$(median_ms "$runs" "$bottle" --version)
printf '%-40s %8s\n' "command (median of $runs)" "ms"
printf '%-40s %8d\n' "docker run --rm <agent image> true" "$docker_ms"
printf '%-40s %8d\n' "engine floor (same Docker work, CLI)" "$floor_ms"
printf '%-40s %8d\n' "engine floor, overlapped as a launch" "$overlap_ms"
printf '%-40s %8d\n' "bottle run demo -- true" "$bottle_ms"
printf '%-40s %8d\n' "bottle run demo -- true, claimed warm" "$warm_ms"
printf '%-40s %8d\n' "bottle --version" "$version_ms"
awk -v b="$bottle_ms" -v w="$warm_ms" -v d="$docker_ms" -v f="$floor_ms" -v o="$overlap_ms" 'BEGIN {
  printf "ratios: bottle-run/docker-run=%.2f warm-run/docker-run=%.2f engine-floor/docker-run=%.2f overlapped-floor/docker-run=%.2f bottle-run/engine-floor=%.2f bottle-run/overlapped-floor=%.2f\n", b/d, w/d, f/d, o/d, b/f, b/o }'

#!/usr/bin/env bash
# Launch benchmark: median wall time of a warm `bottle run demo -- true` (network, bundle, guest,
# provisioning, teardown) against `docker run --rm <agent image> true`, measured in the same run.
#
#   bench/run.sh [RUNS]      (default 5; needs a Docker engine; builds missing images first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
[ -x cli/target/bottle/bin/bottle ] || mvn -B -q -DskipTests package
export CLAUDE_BOTTLE_HOME
CLAUDE_BOTTLE_HOME=$(mktemp -d /tmp/claude-bottle-bench.XXXXXX)
trap 'rm -rf "$CLAUDE_BOTTLE_HOME"' EXIT
bottle=cli/target/bottle/bin/bottle
agent=$("$bottle" image build --agent --json 2>/dev/null | sed -n 's/.*"tag" : "\(.*\)".*/\1/p')

. bench/lib.sh

"$bottle" run demo -f examples/demo.yaml -- true >/dev/null 2>&1   # warm: images, class-data archive
docker_ms=$(median_ms "$runs" docker run --rm "$agent" true)
bottle_ms=$(median_ms "$runs" "$bottle" run demo -f examples/demo.yaml -- true)
printf '%-40s %8s\n' "command (median of $runs)" "ms"
printf '%-40s %8d\n' "docker run --rm <agent image> true" "$docker_ms"
printf '%-40s %8d\n' "bottle run demo -- true" "$bottle_ms"
awk -v b="$bottle_ms" -v d="$docker_ms" 'BEGIN { printf "ratios: bottle-run/docker-run=%.2f\n", b/d }'

#!/usr/bin/env bash
# Start-up benchmark: median wall time of `bottle --version` and `bottle plugins` over N runs,
# against a baseline measured in the same run (a bare JVM printing its version), as ratios.
#
#   bench/startup.sh [RUNS]        (default 15; build first with mvn -B package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bottle="$here/cli/target/bottle/bin/bottle"
runs=${1:-15}
[ -x "$bottle" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
export CLAUDE_BOTTLE_HOME
CLAUDE_BOTTLE_HOME=$(mktemp -d /tmp/claude-bottle-bench.XXXXXX)
trap 'rm -rf "$CLAUDE_BOTTLE_HOME"' EXIT
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

. "$here/bench/lib.sh"

CLAUDE_BOTTLE_CDS=record "$bottle" plugins >/dev/null 2>&1   # records the class-data archive
baseline=$(median_ms "$runs" "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version)
version=$(median_ms "$runs" "$bottle" --version)
plugins=$(median_ms "$runs" "$bottle" plugins)
help=$(median_ms "$runs" "$bottle" --help)
nocds=$(CLAUDE_BOTTLE_CDS=0 median_ms "$runs" "$bottle" --version)

printf '%-32s %8s\n' "command (median of $runs)" "ms"
printf '%-32s %8d\n' "java -version (baseline)" "$baseline"
printf '%-32s %8d\n' "bottle --version" "$version"
printf '%-32s %8d\n' "bottle --version (no CDS)" "$nocds"
printf '%-32s %8d\n' "bottle plugins" "$plugins"
printf '%-32s %8d\n' "bottle --help" "$help"
awk -v b="$baseline" -v v="$version" -v p="$plugins" -v n="$nocds" -v h="$help" 'BEGIN {
  printf "ratios: version/jvm=%.2f plugins/jvm=%.2f help/jvm=%.2f version-cds/version-nocds=%.2f\n", v/b, p/b, h/b, v/n }'

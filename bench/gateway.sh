#!/usr/bin/env bash
# Gateway benchmark: the same load (many small HTTPS requests over many keep-alive connections,
# and one large download) directly, through the gateway's tunnel, through the gateway intercepting
# and injecting a header, and through mitmproxy doing the same injection — all in one run, all on
# loopback. The variants take turns over several rounds; the figures are medians over the rounds.
# Last line: "ratios: intercepted/mitmproxy=X tunnel/direct=Y".
#
#   bench/gateway.sh [-c CONNECTIONS] [-s SECONDS] [-l LARGE_DOWNLOADS] [-r ROUNDS] [-w WARM_UP_REQUESTS]
#
# The gateway warms up as a bottle's does (-w 0: not at all) before the rounds start.
#
# GATEWAY_JVM="-XX:+UseSerialGC -XX:StartFlightRecording=filename=/tmp/gw.jfr" replaces the gateway
# process's JVM options (by default those of the bundle image's entry point); BENCH_JAVA_OPTS are
# the bench's own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

connections=32 seconds=3 large=40 rounds=5 warm=16000
while getopts "c:s:l:r:w:" opt; do
  case "$opt" in
    c) connections=$OPTARG ;; s) seconds=$OPTARG ;; l) large=$OPTARG ;; r) rounds=$OPTARG ;; w) warm=$OPTARG ;;
    *) echo "usage: bench/gateway.sh [-c CONNECTIONS] [-s SECONDS] [-l LARGE_DOWNLOADS] [-r ROUNDS] [-w WARM_UP_REQUESTS]" >&2; exit 2 ;;
  esac
done

if ! command -v mitmdump >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing mitmproxy (Debian package) for the comparison" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mitmproxy >/dev/null
  else
    echo "mitmdump is missing: install mitmproxy (apt-get install mitmproxy)" >&2
    exit 3
  fi
fi

echo "building the bundle and its test classes" >&2
mvn -B -q -pl bundle -am -DskipTests install >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl bundle dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2

java ${BENCH_JAVA_OPTS:-} ${GATEWAY_JVM:+"-Dbench.gateway.jvm=$GATEWAY_JVM"} -Xms512m -Xmx1g -Dsun.net.httpserver.nodelay=true -Dbench.connections="$connections" -Dbench.seconds="$seconds" -Dbench.large="$large" -Dbench.rounds="$rounds" -Dbench.warmUp="$warm" \
  -cp "bundle/target/test-classes:bundle/target/classes:$(cat "$cp_file")" \
  dev.claudebottle.bundle.gateway.GatewayBench "$(command -v mitmdump)"

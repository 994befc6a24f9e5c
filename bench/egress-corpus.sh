#!/usr/bin/env bash
# Runs the applicable cases of agent-egress-bench through a real bottle and scores them as its
# Gauntlet does (containment and false-positive rate):
#
#   bench/egress-corpus.sh CASES_DIR      (e.g. ../shared/reference/agent-egress-bench/cases)
#
# Every host a case names is a network alias of one local sink container (HTTPS and HTTP, a CA of
# its own), and the bottle allows each of them with interception, so what is measured is what the
# gateway's DLP adds; IP-literal targets are left to the allowlist and SSRF refusal. No traffic
# leaves this machine. Needs Docker; prints the scores and writes summary.json to the work dir.
set -euo pipefail
cases=$(cd "${1:?usage: bench/egress-corpus.sh CASES_DIR}" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
work=$(mktemp -d)
net=claude-bottle-bench-corpus
sink=claude-bottle-bench-corpus-sink
export CLAUDE_BOTTLE_HOME="$work/home" CLAUDE_BOTTLE_EGRESS_NETWORK="$net"
cleanup() {
  docker rm -f "$sink" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
  echo "work dir: $work" >&2
}
trap cleanup EXIT

agent=$("$root/bottle" image build --agent --json | grep -o '"tag" *: *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
docker run --rm --user "$(id -u)" -v "$cases":/cases:ro -v "$work":/out -v "$here/egress-corpus":/bench:ro "$agent" \
  node /bench/plan.js

mkdir -p "$work/certs"
sans=$(sed '/^$/d; s/^/DNS:/' "$work/hosts.txt" | paste -sd, -)
docker run --rm --user 0 --network none -v "$work/certs":/certs "$agent" sh -c "cd /certs \
  && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN=corpus sink CA' \
       -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -keyout ca.key -out ca.crt 2>/dev/null \
  && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=sink -keyout server.key -out server.csr 2>/dev/null \
  && printf 'subjectAltName=$sans\nextendedKeyUsage=serverAuth\n' > ext \
  && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext -out server.crt 2>/dev/null \
  && chmod 644 *"
cp "$work/certs/ca.crt" "$work/sink-ca.crt"

docker network inspect "$net" >/dev/null 2>&1 || docker network create "$net" >/dev/null
aliases=()
while read -r h; do [ -n "$h" ] && aliases+=(--network-alias "$h"); done < "$work/hosts.txt"
docker rm -f "$sink" >/dev/null 2>&1 || true
docker run -d --name "$sink" --network "$net" "${aliases[@]}" -v "$work/certs":/certs:ro \
  -v "$here/egress-corpus":/bench:ro "$agent" node /bench/sink.js >/dev/null

(cd "$work" && "$root/bottle" run corpus -f bottle.yaml -- node -e "$(cat "$here/egress-corpus/runner.js")" \
  < "$work/cases.json" > "$work/results.jsonl")
docker run --rm --user "$(id -u)" -v "$work":/out -v "$here/egress-corpus":/bench:ro "$agent" node /bench/score.js

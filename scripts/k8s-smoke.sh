#!/usr/bin/env bash
# Proves the kubernetes backend on a cluster you have (kind, k3d or a real one): the isolation probes
# hold, an allowed host answers, a denied host gets the gateway's 403, a route's key is injected and is
# in nothing the guest holds, and nothing of the bottle is left after stop.
#
#   scripts/k8s-smoke.sh REGISTRY
#
# REGISTRY is where the cluster pulls images from (for kind: a local registry it is wired to, such as
# localhost:5001). bottle image push builds the images on the local Docker engine, pushes them there
# and names them by digest.
# The current kubectl context is used (CLAUDE_BOTTLE_KUBE_CONTEXT picks another); every object goes
# into a namespace of its own (labelled for the guest's NET_ADMIN and SYS_PTRACE), deleted at the end.
# Needs docker, kubectl and a built distribution
# (mvn -DskipTests package). It sends two requests to public hosts, from the cluster: a HEAD to the npm
# registry, and a request to api.anthropic.com with a made-up key, which its API refuses.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
registry=${1:?usage: scripts/k8s-smoke.sh REGISTRY}
bottle=cli/target/bottle/bin/bottle
[ -x "$bottle" ] || { echo "build the distribution first: mvn -DskipTests package" >&2; exit 2; }

export CLAUDE_BOTTLE_HOME CLAUDE_BOTTLE_BACKEND=kubernetes CLAUDE_BOTTLE_KUBE_NAMESPACE
CLAUDE_BOTTLE_HOME=$(mktemp -d /tmp/claude-bottle-k8s-smoke.XXXXXX)
CLAUDE_BOTTLE_KUBE_NAMESPACE=claude-bottle-smoke-$$
slug=
cleanup() {
  rc=$?
  [ -n "$slug" ] && "$bottle" stop "$slug" >/dev/null 2>&1 || true
  kubectl delete namespace "$CLAUDE_BOTTLE_KUBE_NAMESPACE" --wait=false >/dev/null 2>&1 || true
  rm -rf "$CLAUDE_BOTTLE_HOME"
  [ $rc -eq 0 ] && echo "k8s smoke: passed" || echo "k8s smoke: FAILED" >&2
  exit $rc
}
trap cleanup EXIT INT TERM
fail() { echo "k8s smoke: $*" >&2; exit 1; }

# the images, pushed and named by the digest the registry gave them
pushed=$(CLAUDE_BOTTLE_BACKEND=docker "$bottle" image push "$registry")
export CLAUDE_BOTTLE_KUBE_AGENT_IMAGE CLAUDE_BOTTLE_KUBE_BUNDLE_IMAGE
CLAUDE_BOTTLE_KUBE_AGENT_IMAGE=$(echo "$pushed" | awk '$1 == "agent" {print $2}')
CLAUDE_BOTTLE_KUBE_BUNDLE_IMAGE=$(echo "$pushed" | awk '$1 == "bundle" {print $2}')
[ -n "$CLAUDE_BOTTLE_KUBE_AGENT_IMAGE" ] && [ -n "$CLAUDE_BOTTLE_KUBE_BUNDLE_IMAGE" ] || fail "the push named no digests"

kubectl create namespace "$CLAUDE_BOTTLE_KUBE_NAMESPACE" >/dev/null
kubectl label namespace "$CLAUDE_BOTTLE_KUBE_NAMESPACE" pod-security.kubernetes.io/enforce=privileged >/dev/null
"$bottle" doctor --backend kubernetes || fail "bottle doctor found the cluster not ready"

key="sk-ant-smoke-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
manifest="$CLAUDE_BOTTLE_HOME/smoke.yaml"
cat > "$manifest" <<'EOF'
version: 1
bottles:
  smoke:
    egress:
      presets: [npm]
      routes:
        - host: api.anthropic.com
          header: x-api-key
          value: "${SMOKE_KEY}"
agents:
  smoke:
    bottle: smoke
    command: [bash]
EOF
export SMOKE_KEY=$key

slug=$("$bottle" start smoke -f "$manifest" --detach | tail -n 1)
echo "k8s smoke: bottle $slug started"

"$bottle" verify "$slug" || fail "the fence's probes did not hold"

allowed=$("$bottle" exec "$slug" -- curl -sS -o /dev/null -w '%{http_code}' -I https://registry.npmjs.org/)
[ "$allowed" = 200 ] || fail "the allowed host answered $allowed"

denied=$("$bottle" exec "$slug" -- curl -sS -o /dev/null -w '%{http_connect}' https://example.org/ || true)
[ "$denied" = 403 ] || fail "the denied host was answered $denied, not the gateway's 403"

# with the made-up key injected, the API says the key is invalid; without one it says a key is missing
answer=$("$bottle" exec "$slug" -- curl -sS https://api.anthropic.com/v1/models)
echo "$answer" | grep -q 'invalid x-api-key' || fail "the route's key was not injected: $answer"

"$bottle" exec "$slug" -- sh -c 'env; cat /proc/*/environ 2>/dev/null | tr "\0" "\n"; grep -rs . "$HOME" /tmp 2>/dev/null' \
  | grep -qF "$key" && fail "the route's key is in the guest"

"$bottle" stop "$slug"
left=$(kubectl get pods,services,secrets,configmaps,networkpolicies -n "$CLAUDE_BOTTLE_KUBE_NAMESPACE" \
  -l "claude-bottle.slug=$slug" -o name)
slug=
[ -z "$left" ] || fail "left after stop: $left"

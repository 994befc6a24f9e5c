#!/usr/bin/env bash
# Run inside a bottle: ./bottle run demo -f examples/demo.yaml -- bash -c "$(cat examples/demo.sh)"
# shows who the agent is, that it has no resolver, that npm reads its registry through the npm
# preset, and what the gateway says about a publish and about a host the manifest does not allow
# (both are refused inside the bundle; nothing of them leaves the machine).
echo "agent user:        $(id -un)"
echo "proxy:             $HTTPS_PROXY"
if getent hosts github.com >/dev/null 2>&1; then echo "DNS:               resolves (unexpected)"; else echo "DNS:               none"; fi
echo "github.com:        $(curl -s -o /dev/null -w '%{http_connect}' https://github.com/) (403: not in the manifest; refused inside the bundle)"
echo "gateway says:      $(curl -s http://github.com/)"
echo "npm view left-pad: $(npm view left-pad version 2>&1 | tail -n 1) (the npm preset: GET and HEAD on its registry)"
echo "a publish:         $(curl -s -X PUT https://registry.npmjs.org/left-pad)"
echo "ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY:-unset} (the real key, if any, stays in the gateway)"

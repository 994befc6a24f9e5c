#!/usr/bin/env bash
# Run inside a bottle: ./bottle run demo -f examples/demo.yaml -- bash -c "$(cat examples/demo.sh)"
# shows who the agent is, that it has no resolver, and what the gateway says about a host the
# manifest does not allow (the request is refused inside the bundle; nothing leaves the machine).
echo "agent user:        $(id -un)"
echo "proxy:             $HTTPS_PROXY"
if getent hosts github.com >/dev/null 2>&1; then echo "DNS:               resolves (unexpected)"; else echo "DNS:               none"; fi
echo "github.com:        $(curl -s -o /dev/null -w '%{http_connect}' https://github.com/) (403: not in the manifest; refused inside the bundle)"
echo "gateway says:      $(curl -s http://github.com/)"
echo "ANTHROPIC_API_KEY: ${ANTHROPIC_API_KEY:-unset} (the real key, if any, stays in the gateway)"

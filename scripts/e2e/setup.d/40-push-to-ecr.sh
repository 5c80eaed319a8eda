#!/usr/bin/env bash
# The push-to-ecr tests start Debian's docker-registry (installed by setup.sh) with htpasswd
# authentication: bcrypt hashes come from Apache's htpasswd. (Python's crypt module, the fallback,
# is gone from Python 3.13.)
set -euo pipefail
if command -v htpasswd >/dev/null 2>&1; then echo "htpasswd already installed"; exit 0; fi
${SUDO:-} apt-get update -qq
${SUDO:-} apt-get install -y -qq --no-install-recommends apache2-utils >/dev/null
command -v htpasswd >/dev/null
echo "htpasswd installed"

#!/usr/bin/env bash
# Installs and starts what the end-to-end tests and `npm run demo` use: the Docker engine, a
# registry, PostgreSQL and Debian's Django. Idempotent; needs root (or sudo). Each piece is a
# script in setup.d/, run in order; a piece that fails stops the whole setup loudly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export SUDO

packages=(docker.io docker-registry postgresql python3-django python3-pytest-django python3-coverage
  python3-psycopg2 python3-pytest-xdist python3-dj-database-url mmdebstrap ca-certificates)
# A machine that already runs a Docker engine (GitHub's runners ship docker-ce) keeps it:
# installing docker.io beside it would conflict.
if docker info >/dev/null 2>&1; then packages=("${packages[@]/docker.io/}"); fi
missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for piece in "$here"/setup.d/*.sh; do
  [ -e "$piece" ] || continue
  echo "== $(basename "$piece")"
  bash "$piece"
done
echo "e2e prerequisites ready"

#!/usr/bin/env bash
# Installs and starts what the end-to-end tests and `npm run demo` use: the Docker engine, a
# registry, PostgreSQL and Debian's Django. Idempotent. Run it as root (a container, where there
# is no sudo) or as a user who may use sudo: then only the commands that need root go through
# sudo ($SUDO in the pieces), and that user is given the Docker engine (setup.d/15-docker-access.sh).
# Each piece is a script in setup.d/, run in order; a piece that fails stops the whole setup loudly.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "scripts/e2e/setup.sh installs packages and starts services: run it as root, or install sudo" >&2
    exit 1
  fi
  # sudo resets the environment: `env` hands apt the one variable it needs through it.
  SUDO="sudo env DEBIAN_FRONTEND=noninteractive"
fi
export SUDO

# black, isort, flake8, pylint and python3-bandit: the tools python-quality's e2e tests run.
packages=(docker.io docker-registry postgresql python3-django python3-pytest-django python3-coverage
  python3-psycopg2 python3-pytest-xdist python3-dj-database-url mmdebstrap ca-certificates
  black isort flake8 pylint python3-bandit)
# A machine that already runs a Docker engine (GitHub's runners ship docker-ce) keeps it:
# installing docker.io beside it would conflict.
if $SUDO docker info >/dev/null 2>&1; then packages=("${packages[@]/docker.io/}"); fi
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

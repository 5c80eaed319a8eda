#!/usr/bin/env bash
# The demo and the tests run `docker` as the user who ran setup.sh (directly, or through sudo:
# SUDO_USER). Root always may. Another user joins the docker group, which takes effect at their
# next login, and so that the very next command (`npm run demo`) works, also gets the socket by an
# ACL now (the engine recreates its socket when it restarts; running setup.sh again restores it).
# Membership of the docker group is as good as root on this machine: that is what the Docker
# engine asks of whoever uses it.
set -euo pipefail
user=${SUDO_USER:-$(id -un)}
if [ "$user" = root ]; then echo "Docker engine: used as root"; exit 0; fi
as_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}
if as_user docker info >/dev/null 2>&1; then echo "Docker engine: $user may use it"; exit 0; fi
socket=${DOCKER_SOCKET:-/var/run/docker.sock}
getent group docker >/dev/null || ${SUDO:-} groupadd --system docker
${SUDO:-} usermod -aG docker "$user"
if ! command -v setfacl >/dev/null 2>&1; then
  ${SUDO:-} apt-get update -qq
  ${SUDO:-} apt-get install -y -qq --no-install-recommends acl >/dev/null
fi
${SUDO:-} setfacl -m "u:$user:rw" "$socket"
if ! as_user docker info >/dev/null 2>&1; then
  echo "$user still cannot use the Docker engine at $socket" >&2
  exit 1
fi
echo "Docker engine: $user may use it now, and as a member of the docker group from their next login"

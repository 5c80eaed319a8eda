#!/usr/bin/env bash
# Starts the Docker engine when it is not answering (no systemd here: run dockerd directly).
# Asked as root: a user who may not use the engine yet (15-docker-access.sh) must not start a
# second one.
set -euo pipefail
if ${SUDO:-} docker info >/dev/null 2>&1; then echo "Docker engine already running"; exit 0; fi
log=${DOCKERD_LOG:-/var/log/dockerd-e2e.log}
${SUDO:-} sh -c "nohup dockerd >'$log' 2>&1 &"
for _ in $(seq 1 60); do
  if ${SUDO:-} docker info >/dev/null 2>&1; then echo "Docker engine started"; exit 0; fi
  sleep 0.5
done
echo "dockerd did not start within 30s; its log ($log) ends:" >&2
tail -20 "$log" >&2
exit 1

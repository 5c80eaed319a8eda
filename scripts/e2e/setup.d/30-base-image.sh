#!/usr/bin/env bash
# Makes the fixture app's base image without pulling anything from a registry: mmdebstrap builds a
# Debian bookworm root file system from the machine's own package sources, and `docker import`
# turns it into a local image. It carries a real tag, so the Dockerfile linter's pinning rule holds.
# Idempotent: does nothing when the image exists.
set -euo pipefail
image=${BASE_IMAGE:-devops-actions/python-django:bookworm}
if ${SUDO:-} docker image inspect "$image" >/dev/null 2>&1; then echo "Base image $image already present"; exit 0; fi
work=$(mktemp -d)
trap '${SUDO:-} rm -rf "$work"' EXIT
echo "Building $image with mmdebstrap (bookworm, python3-django, gunicorn, psycopg2)"
${SUDO:-} mmdebstrap --quiet --variant=apt \
  --include=python3-minimal,python3-django,python3-gunicorn,python3-psycopg2 \
  --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
  bookworm "$work/rootfs.tar"
${SUDO:-} docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  "$work/rootfs.tar" "$image" >/dev/null
echo "Base image $image ready ($(${SUDO:-} docker image inspect -f '{{.Size}}' "$image") bytes)"

#!/usr/bin/env bash
# What the setup-django-test end-to-end tests need beyond Django, pytest-django and coverage:
# venv and pip for Debian's python3 (the pip-install test runs in a --system-site-packages venv).
set -euo pipefail
missing=()
for p in python3-venv python3-pip; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  ${SUDO:-} apt-get update -qq
  ${SUDO:-} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/python3 -c 'import django, pytest_django, coverage, venv' && echo "Python for setup-django-test ready"

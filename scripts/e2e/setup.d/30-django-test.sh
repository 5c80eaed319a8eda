#!/usr/bin/env bash
# What the setup-django-test end-to-end tests need beyond the packages setup.sh installs
# (Django, pytest-django, pytest-xdist, coverage, dj-database-url): venv and pip for Debian's
# python3 (the pip-install tests run in a --system-site-packages venv).
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
if ! /usr/bin/python3 -c 'import django, pytest_django, xdist, dj_database_url, coverage, venv'; then
  echo "Debian's python3 lacks a package setup-django-test's end-to-end tests use" >&2
  exit 1
fi
echo "Python for setup-django-test ready"

# PostgreSQL shapes the setup-django-test end-to-end tests need beyond the devops role:
# - devops_at, whose password has an '@' (its URL spells it once raw and once as %40);
# - devops_nocreatedb, which may log in but not create the test database;
# - a password login over the Unix socket for these roles (Debian's default there is peer).
psql_as_postgres() { ${SUDO:-} runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
ensure_role() {
  if [ "$(psql_as_postgres -c "select 1 from pg_roles where rolname = '$1'")" != "1" ]; then
    psql_as_postgres -c "create role $1 login password '$2' $3"
  fi
}
ensure_role devops_at 'p@ss@word' createdb
ensure_role devops_nocreatedb devops nocreatedb
hba=$(psql_as_postgres -c 'show hba_file')
line='local all devops,devops_at,devops_nocreatedb scram-sha-256'
if ! ${SUDO:-} grep -qxF "$line" "$hba"; then
  # Before Debian's "local all all peer", which would otherwise match first.
  ${SUDO:-} sed -i "0,/^local[[:space:]]\+all[[:space:]]\+all[[:space:]]/s||$line\n&|" "$hba"
  ${SUDO:-} grep -qxF "$line" "$hba" || { echo "could not add the socket login to $hba" >&2; exit 1; }
  psql_as_postgres -c 'select pg_reload_conf()' >/dev/null
fi
echo "PostgreSQL roles and socket login for setup-django-test ready"

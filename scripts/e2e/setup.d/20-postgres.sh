#!/usr/bin/env bash
# Starts the PostgreSQL cluster and makes the role and database the tests use
# (postgres://devops:devops@127.0.0.1:5432/devops).
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v { print $2; exit }')
if [ -z "$cluster" ]; then
  ${SUDO:-} pg_createcluster "$version" main
  cluster=main
fi
if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }' | grep -q online; then
  ${SUDO:-} pg_ctlcluster "$version" "$cluster" start
fi
psql_as_postgres() { ${SUDO:-} runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
for _ in $(seq 1 30); do psql_as_postgres -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
if [ "$(psql_as_postgres -c "select 1 from pg_roles where rolname = 'devops'")" != "1" ]; then
  psql_as_postgres -c "create role devops login password 'devops' createdb"
fi
if [ "$(psql_as_postgres -c "select 1 from pg_database where datname = 'devops'")" != "1" ]; then
  psql_as_postgres -c "create database devops owner devops"
fi
echo "PostgreSQL $version ready on 127.0.0.1:5432 (role devops)"

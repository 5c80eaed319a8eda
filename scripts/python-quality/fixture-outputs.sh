#!/usr/bin/env bash
# Regenerates test/fixtures/python-quality/outputs/: the real outputs of Debian's black, isort,
# flake8, pylint and bandit on the two fixture projects (findings/, clean/), run with the argv
# python-quality uses (src/python-quality/tools.ts). The parsers' unit tests read them.
# Each project is copied to a scratch folder first; that folder's path is replaced in the outputs
# by a runner's workspace path, so the fixtures name no path of the machine they were made on.
# Usage: bash scripts/python-quality/fixture-outputs.sh [python]   (default /usr/bin/python3)
set -euo pipefail
python=${1:-/usr/bin/python3}
root=$(cd "$(dirname "$0")/../.." && pwd)
fixtures="$root/test/fixtures/python-quality"
shown=/home/runner/work/shop/shop
format=$'%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s'
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

run() { # project tool args...
  local project=$1 tool=$2 out="$fixtures/outputs/$1"
  shift 2
  mkdir -p "$out"
  set +e
  (cd "$scratch/$project" && "$python" -m "$@" >"$out/$tool.stdout" 2>"$out/$tool.stderr")
  echo $? >"$out/$tool.exit"
  set -e
  sed -i "s#$scratch/$project#$shown#g" "$out/$tool.stdout" "$out/$tool.stderr"
}

for project in findings clean; do
  rm -rf "${fixtures:?}/outputs/$project"
  cp -r "$fixtures/$project" "$scratch/$project"
  run "$project" black black --check --diff --no-color .
  run "$project" isort isort --check-only --diff .
  run "$project" flake8 flake8 --format "$format" .
  run "$project" pylint pylint --output-format=json --recursive=y .
  run "$project" bandit bandit -r . -f json -q
done
{
  for tool in black isort flake8 pylint bandit; do
    printf '%s: %s\n' "$tool" "$("$python" -m "$tool" --version 2>&1 | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -1)"
  done
  echo "made by scripts/python-quality/fixture-outputs.sh with Debian's packages"
} >"$fixtures/outputs/VERSIONS"
echo "wrote $fixtures/outputs"

#!/usr/bin/env bash
# Services for the tests, for .ci/run to `source` before `make test` (as root, on Debian).
#
# Idempotent: installs what is missing (PostgreSQL, Chromium), starts a local PostgreSQL cluster,
# creates the role and database the store tests use, and exports FLASHPOINT_TEST_PG_URL.
# Run it by hand too:  source .ci/services.sh
# It changes no shell option of the caller and ends with status 0 or a message saying what failed.

_fp_services() {
  local missing=()
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "services: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || { echo "services: apt-get update failed" >&2; return 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "services: apt-get install ${missing[*]} failed" >&2; return 1; }
  fi

  local version cluster port status
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  [ -n "$version" ] || { echo "services: no PostgreSQL server under /usr/lib/postgresql" >&2; return 1; }
  cluster="$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"')"
  if [ -z "$cluster" ]; then
    pg_createcluster "$version" main >/dev/null || { echo "services: pg_createcluster failed" >&2; return 1; }
    cluster="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"')"
  fi
  port="$(echo "$cluster" | awk '{print $3}')"
  status="$(echo "$cluster" | awk '{print $4}')"
  if [ "$status" != "online" ]; then
    pg_ctlcluster "$version" main start || { echo "services: PostgreSQL $version did not start" >&2; return 1; }
  fi
  local i
  for i in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p "$port" || { echo "services: PostgreSQL not ready on port $port" >&2; return 1; }

  local psql=(su postgres -c)
  if ! "${psql[@]}" "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'flashpoint'\"" | grep -q 1; then
    "${psql[@]}" "psql -p $port -qc \"CREATE ROLE flashpoint LOGIN PASSWORD 'flashpoint'\"" || return 1
  fi
  if ! "${psql[@]}" "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'flashpoint_test'\"" | grep -q 1; then
    "${psql[@]}" "psql -p $port -qc \"CREATE DATABASE flashpoint_test OWNER flashpoint\"" || return 1
  fi
  export FLASHPOINT_TEST_PG_URL="postgresql://flashpoint:flashpoint@127.0.0.1:${port}/flashpoint_test"
  echo "services: PostgreSQL $version on port $port; FLASHPOINT_TEST_PG_URL=$FLASHPOINT_TEST_PG_URL"
  echo "services: Chromium $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
}

_fp_services
_fp_status=$?
unset -f _fp_services
if [ "$_fp_status" -ne 0 ]; then
  unset _fp_status
  return 1 2>/dev/null || exit 1
fi
unset _fp_status

#!/usr/bin/env bash
# A real PostgreSQL restart under a serving concord (issue 20), not a cut TCP proxy: the
# server answers 503 while the database is down and 200 again once it is back, without a
# restart of its own; a web session opened before survives a restart of concord itself
# (sessions are rows of the database).
# It STOPS AND STARTS THE LOCAL POSTGRESQL CLUSTER (pg_ctlcluster): run it by hand on a
# machine of your own, never beside other tests. Uses the schema bench_restart.
# usage: bench/pg-restart.sh ; CONCORD_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pg=${CONCORD_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
cluster=$(ls /etc/postgresql | head -n 1)
cargo build --release -q -p concord-cli
bin="$root/target/release/concord"
work=$(mktemp -d)
port=8799
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; pg_ctlcluster --skip-systemctl-redirect "$cluster" main start > /dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
PGOPTIONS="-c client_min_messages=warning" psql -q -X "$pg" -c "DROP SCHEMA IF EXISTS bench_restart CASCADE; CREATE SCHEMA bench_restart" > /dev/null
db="$pg?options=-csearch_path%3Dbench_restart"
token=$("$bin" --db "$db" token create --hub | grep -o 'concord_[0-9a-f]*')
serve() { "$bin" --db "$db" serve --addr 127.0.0.1:$port >> "$work/serve.log" 2>&1 & pid=$!; sleep 2; }
objects="http://127.0.0.1:$port/taxii2/alliance/collections/365fed99-08fa-fdcd-a1b3-fb247eb41d01/objects/"
status() { curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $token" -H 'Accept: application/taxii+json;version=2.1' "$objects"; }
serve
echo "before:                  $(status)"
cookie=$(curl -s -i -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data "token=$token" "http://127.0.0.1:$port/login" \
  | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(concord_session=[0-9a-f]*\).*/\1/p')
pg_ctlcluster --skip-systemctl-redirect "$cluster" main stop
echo "PostgreSQL stopped:      $(status)"
pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
sleep 1
echo "PostgreSQL back:         $(status)"
kill "$pid"; sleep 1; serve
echo "web session after concord restarted: $(curl -s -o /dev/null -w "%{http_code}" -H "Cookie: $cookie" "http://127.0.0.1:$port/policies")"
PGOPTIONS="-c client_min_messages=warning" psql -q -X "$pg" -c "DROP SCHEMA bench_restart CASCADE" > /dev/null

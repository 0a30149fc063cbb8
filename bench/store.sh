#!/usr/bin/env bash
# The two store backends side by side (issue 20):
#   ingest     enterprise ATT&CK v18.1 into a fresh SQLite file / a fresh PostgreSQL schema
#   taxii      TAXII GET, pages of 100, at ~1.1M objects: 1 connection walking 200 pages,
#              64 connections x 50 pages (the SQLite collection is generated and ingested
#              once, cached in target/bench-taxii.db, and copied into PostgreSQL with
#              `concord migrate`, cached in schema bench_taxii), and the same pages of a
#              second collection holding every object (paged by the collection's order)
#   correlate  `concord correlate --dry-run` (bulk read + correlation) at INCIDENTS incidents
# PostgreSQL: CONCORD_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test); each part
# uses schemas of its own (bench_*), dropped unless cached.
# usage: bench/store.sh [ingest|taxii|correlate|all] ; INCIDENTS (100000), INDICATORS (2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
what=${1:-all}
pg=${CONCORD_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release -q -p concord-cli
bin="$root/target/release/concord"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
psql_() { PGOPTIONS="-c client_min_messages=warning" psql -q -X -v ON_ERROR_STOP=1 "$pg" -c "$1" > /dev/null; }
schema_url() { echo "$pg?options=-csearch_path%3D$1"; }
fresh_schema() { psql_ "DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1"; schema_url "$1"; }
secs() { /usr/bin/time -f '%e %M' -o "$work/t" "$@" > /dev/null; read -r s k < "$work/t"; printf '%6.2f s, peak RSS %4.0f MiB' "$s" "$(echo "$k/1024" | bc -l)"; }

if [ "$what" = ingest ] || [ "$what" = all ]; then
  attack=../shared/data/attack/enterprise-attack-18.1.json.gz
  if [ -f "$attack" ]; then
    echo "ingest of enterprise ATT&CK v18.1 (24,772 objects):"
    for run in 1 2 3; do
      rm -f "$work/a.db"*
      echo "  sqlite     run $run: $(secs "$bin" ingest --db "$work/a.db" "$attack")"
      url=$(fresh_schema bench_ingest)
      echo "  postgres   run $run: $(secs "$bin" ingest --db "$url" "$attack")"
    done
    psql_ "DROP SCHEMA IF EXISTS bench_ingest CASCADE"
  else
    echo "ingest: $attack is absent, skipped"
  fi
fi

if [ "$what" = taxii ] || [ "$what" = all ]; then
  cargo build --release -q -p concord-server --example load
  load="$root/target/release/examples/load"
  coll=365fed99-08fa-fdcd-a1b3-fb247eb41d01
  big="$root/target/bench-taxii.db"
  if [ ! -f "$big" ]; then
    echo "generating and ingesting ~1,000,000 objects into SQLite (once)..."
    "$bin" gen --out "$work/big" --per-file 200000 --campaigns 0 --noise 31000 --decoys 0 --indicators 15 2>/dev/null
    "$bin" ingest --db "$big" "$work/big" > /dev/null
  fi
  purl=$(schema_url bench_taxii)
  have=$(psql -X -At "$pg" -c "SELECT COUNT(*) FROM bench_taxii.objects" 2>/dev/null || echo 0)
  if [ "$have" = 0 ]; then
    echo "copying it into PostgreSQL (once): $(secs "$bin" migrate --from "$big" --to "$(fresh_schema bench_taxii)")"
  fi
  # a second collection holding every object (as if each had been posted to it), to page
  # by the collection's own order (migration 10)
  second=bench0000-0000-4000-8000-000000000002
  if [ "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM collections WHERE id = ?', (sys.argv[2],)).fetchone()[0])" "$big" "$second")" = 0 ]; then
    "$bin" --db "$big" collection list > /dev/null   # migrates an older cache first
    python3 - "$big" "$second" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO collections (id, title, members_write, hub_write, created) VALUES (?, 'bench second', 1, 1, '2026-01-01T00:00:00.000Z')", (sys.argv[2],))
c.execute("INSERT INTO collection_objects (collection, seq, added) SELECT ?, seq, date_added FROM objects ORDER BY seq", (sys.argv[2],))
c.commit()
PY
  fi
  "$bin" --db "$purl" collection list > /dev/null
  if [ "$(psql -X -At "$pg" -c "SELECT COUNT(*) FROM bench_taxii.collections WHERE id = '$second'")" = 0 ]; then
    psql_ "SET search_path = bench_taxii; INSERT INTO collections (id, title, members_write, hub_write, created) VALUES ('$second', 'bench second', 1, 1, '2026-01-01T00:00:00.000Z'); INSERT INTO collection_objects (collection, seq, added) SELECT '$second', seq, date_added FROM objects ORDER BY seq; ANALYZE"
  fi
  for backend in sqlite postgres; do
    if [ $backend = sqlite ]; then db=$big; port=8794; else db=$purl; port=8795; fi
    tok=$("$bin" token create --hub --db "$db")
    "$bin" serve --db "$db" --addr 127.0.0.1:$port 2>/dev/null & pids+=($!)
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
    # the server computes the dashboard's rift figures in the background at start: let it
    sleep 3
    url="http://127.0.0.1:$port/taxii2/alliance/collections/$coll/objects/"
    echo "$backend, collection of ~1.1M objects, pages of 100:"
    echo -n "  1 connection, 200 consecutive pages:   "; "$load" "$url" "bearer:$tok" 1 200 100
    echo -n "  64 connections, 50 pages each:         "; "$load" "$url" "bearer:$tok" 64 50 100
    url2="http://127.0.0.1:$port/taxii2/alliance/collections/$second/objects/"
    echo -n "  another collection of them, 200 pages: "; "$load" "$url2" "bearer:$tok" 1 200 100
  done
fi

if [ "$what" = correlate ] || [ "$what" = all ]; then
  n=${INCIDENTS:-100000}
  k=${INDICATORS:-2}
  campaigns=$((n * 6 / 10 / 6))
  noise=$((n - campaigns * 6))
  "$bin" gen --out "$work/bundles" --per-file 200000 --truth "$work/truth.json" \
    --campaigns "$campaigns" --noise "$noise" --decoys 0 --indicators "$k" 2>/dev/null
  url=$(fresh_schema bench_correlate)
  echo "correlate, $n incidents with $k indicators each:"
  echo "  sqlite   ingest:               $(secs "$bin" ingest --db "$work/c.db" "$work/bundles")"
  echo "  postgres ingest:               $(secs "$bin" ingest --db "$url" "$work/bundles")"
  echo "  sqlite   correlate --dry-run:  $(secs "$bin" correlate --db "$work/c.db" --json --dry-run)"
  echo "  postgres correlate --dry-run:  $(secs "$bin" correlate --db "$url" --json --dry-run)"
  psql_ "DROP SCHEMA IF EXISTS bench_correlate CASCADE"
fi

#!/usr/bin/env bash
# TAXII over loopback: concord with a collection of ~1,000,000 objects (generated and
# ingested once, cached in target/bench-taxii.db), then concord and medallion with 2,000
# objects under the same load. Needs the peers venv (../shared/peers/setup.sh target/peers-venv).
# usage: bench/taxii.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --release -q -p concord-cli
cargo build --release -q -p concord-server --example load
bin="$root/target/release/concord"
load="$root/target/release/examples/load"
venv=${CONCORD_PEERS_VENV:-$root/target/peers-venv}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
coll=365fed99-08fa-fdcd-a1b3-fb247eb41d01

big="$root/target/bench-taxii.db"
if [ ! -f "$big" ]; then
  echo "generating and ingesting ~1,000,000 objects (once)..."
  "$bin" gen --out "$work/big" --per-file 200000 --campaigns 0 --noise 31000 --decoys 0 --indicators 15 2>/dev/null
  "$bin" ingest --db "$big" "$work/big" > /dev/null
fi
objects=$(sqlite3 "$big" 'SELECT COUNT(*) FROM objects' 2>/dev/null || echo "?")
tok=$("$bin" token create --hub --db "$big")
"$bin" serve --db "$big" --addr 127.0.0.1:8791 2>/dev/null & pids+=($!)
sleep 1.5
url="http://127.0.0.1:8791/taxii2/alliance/collections/$coll/objects/"
echo "concord, collection of $objects objects, pages of 100:"
echo -n "  1 connection, 200 consecutive pages:   "; "$load" "$url" "bearer:$tok" 1 200 100
echo -n "  64 connections, 50 pages each:         "; "$load" "$url" "bearer:$tok" 64 50 100

# 2,000 objects in both servers
python3 - "$work" <<'PY'
import json, sys, shutil
work = sys.argv[1]
objs = [{"type": "indicator", "spec_version": "2.1", "id": f"indicator--{n:08x}-7777-4333-8444-555555555555",
         "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
         "pattern": f"[ipv4-addr:value = '10.0.{n // 256}.{n % 256}']", "pattern_type": "stix",
         "valid_from": "2026-03-02T00:00:00Z"} for n in range(2000)]
json.dump({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": objs}, open(f"{work}/small.json", "w"))
data = json.load(open("../shared/data/taxii/medallion/default_data.json"))
for c in data["trustgroup1"]["collections"]:
    if c["id"] == "91a7b528-80eb-42ed-a74d-c6fbd5a26116":
        c["objects"] = objs
        c["manifest"] = [{"id": o["id"], "date_added": f"2026-03-02T00:{n // 60 % 60:02d}:{n % 60:02d}.000000Z",
                          "version": o["modified"], "media_type": "application/stix+json;version=2.1"}
                         for n, o in enumerate(objs)]
json.dump(data, open(f"{work}/medallion-data.json", "w"))
json.dump({"backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
           "filename": f"{work}/medallion-data.json"}, "users": {"admin": "Password0"},
           "taxii": {"max_page_size": 100}}, open(f"{work}/medallion.json", "w"))
PY
"$bin" ingest --db "$work/small.db" "$work/small.json" > /dev/null
stok=$("$bin" token create --hub --db "$work/small.db")
"$bin" serve --db "$work/small.db" --addr 127.0.0.1:8792 2>/dev/null & pids+=($!)
"$venv/bin/medallion" --host 127.0.0.1 --port 8793 "$work/medallion.json" > /dev/null 2>&1 & pids+=($!)
sleep 3
echo "2,000 objects, 64 connections, each fetching the first page of 100:"
echo -n "  concord:   "; "$load" "http://127.0.0.1:8792/taxii2/alliance/collections/$coll/objects/" "bearer:$stok" 64 1 100
echo -n "  medallion: "; "$load" "http://127.0.0.1:8793/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/" "basic:admin:Password0" 64 1 100

#!/usr/bin/env bash
# Correlation through the store at scale: generates INCIDENTS incidents (60 % in campaigns
# of six, 40 % noise) with INDICATORS private indicators each, ingests them into a fresh
# SQLite file, then times `concord correlate` (bulk read + correlation + storing the
# campaigns) and reports peak memory and the adjusted Rand index against the ground truth.
# usage: bench/correlate.sh [INCIDENTS] [INDICATORS_PER_INCIDENT]   (default 100000 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-100000}
k=${2:-10}
cargo build --release -q -p concord-cli
bin="$root/target/release/concord"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
campaigns=$((n * 6 / 10 / 6))
noise=$((n - campaigns * 6))
/usr/bin/time -f '%e %M' -o "$work/t-gen" "$bin" gen --out "$work/bundles" --per-file 200000 \
  --truth "$work/truth.json" --campaigns "$campaigns" --noise "$noise" --decoys 0 --indicators "$k"
/usr/bin/time -f '%e %M' -o "$work/t-ingest" "$bin" ingest --db "$work/b.db" "$work/bundles" > /dev/null
/usr/bin/time -f '%e %M' -o "$work/t-corr" "$bin" correlate --db "$work/b.db" --json > "$work/out.json"
/usr/bin/time -f '%e %M' -o "$work/t-again" "$bin" correlate --db "$work/b.db" --json --dry-run > /dev/null
read -r gs gk < "$work/t-gen"
read -r is ik < "$work/t-ingest"
read -r cs ck < "$work/t-corr"
read -r as ak < "$work/t-again"
python3 - "$work/truth.json" "$work/out.json" <<'PY'
import json, sys
from collections import Counter
from math import comb
truth = json.load(open(sys.argv[1]))
out = json.load(open(sys.argv[2]))
pred = {i: "single-" + i for i in truth}
for c in out["campaigns"]:
    for i in c["incidents"]:
        pred[i] = c["id"]
ids = list(truth)
pairs = Counter((truth[i], pred[i]) for i in ids)
a = Counter(truth[i] for i in ids); b = Counter(pred[i] for i in ids)
idx = sum(comb(v, 2) for v in pairs.values())
ea = sum(comb(v, 2) for v in a.values()); eb = sum(comb(v, 2) for v in b.values())
exp = ea * eb / comb(len(ids), 2)
mx = (ea + eb) / 2
print(f"campaigns found: {len(out['campaigns'])}; adjusted Rand index {(idx - exp) / (mx - exp):.4f}")
PY
printf 'incidents %d, indicators %d, database %s\n' "$n" "$((n * k))" "$(du -h "$work/b.db" | cut -f1)"
printf 'gen       %8.1f s  peak RSS %6.0f MiB\n' "$gs" "$(echo "$gk/1024" | bc -l)"
printf 'ingest    %8.1f s  peak RSS %6.0f MiB\n' "$is" "$(echo "$ik/1024" | bc -l)"
printf 'correlate %8.1f s  peak RSS %6.0f MiB (first run: stores the campaigns)\n' "$cs" "$(echo "$ck/1024" | bc -l)"
printf 'correlate %8.1f s  peak RSS %6.0f MiB (--dry-run: read and correlate only)\n' "$as" "$(echo "$ak/1024" | bc -l)"

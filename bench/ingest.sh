#!/usr/bin/env bash
# Times `concord ingest` of a file into a fresh SQLite database and reports peak memory
# against the uncompressed size. usage: bench/ingest.sh [FILE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
file=${1:-../shared/data/attack/enterprise-attack-18.1.json.gz}
cargo build --release -q -p concord-cli
db=$(mktemp -d)/bench.db
case "$file" in *.gz) raw=$(gzip -dc "$file" | wc -c) ;; *) raw=$(stat -c %s "$file") ;; esac
/usr/bin/time -f '%e %M' -o /tmp/concord-ingest-time "$root/target/release/concord" ingest --db "$db" "$file" > /dev/null
read -r secs kb < /tmp/concord-ingest-time
printf 'ingest %s: %.2f s, peak RSS %.0f MiB = %.2fx the uncompressed size (%.1f MiB)\n' \
  "$file" "$secs" "$(echo "$kb/1024" | bc -l)" "$(echo "$kb*1024/$raw" | bc -l)" "$(echo "$raw/1048576" | bc -l)"
rm -rf "$(dirname "$db")"

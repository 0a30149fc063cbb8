#!/usr/bin/env bash
# Compares `concord validate` with the OASIS reference validator (stix2-validator, Python)
# and the Rust crate rstix (its full validator, Validator::consumer_strict) on one file,
# and prints the throughput ratios (concord and rstix: the fastest of three runs;
# stix2-validator: one run).
#
# usage: bench/compare-validators.sh [FILE]
#   default FILE: ../shared/data/attack/enterprise-attack-18.1.json.gz (stix2-validator
#   takes about 150 s on it; pass the 5-group subset for a quick comparison).
# Peers are installed outside the workspace: the Python venv under target/peers-venv
# (../shared/peers/setup.sh) and a scratch cargo project for rstix in $BENCH_DIR.
#
#   BASELINE=/path/to/older/concord bench/compare-validators.sh [FILE]
# also times this build against an older concord binary in one hyperfine invocation
# (`hyperfine -w 2 -r 10`, both under the same machine load), e.g. one built from
# another commit in a `git worktree`. SKIP_PEERS=1 leaves out rstix and stix2-validator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
file=${1:-../shared/data/attack/enterprise-attack-18.1.json.gz}
BENCH_DIR=${BENCH_DIR:-/tmp/concord-bench}
mkdir -p "$BENCH_DIR"

plain="$BENCH_DIR/input.json"
case "$file" in
  *.gz) gzip -dc "$file" > "$plain" ;;
  *) cp "$file" "$plain" ;;
esac
bytes=$(stat -c %s "$plain")

cargo build --release -q -p concord-cli

if [ -n "${BASELINE:-}" ]; then
  hyperfine -w 2 -r 10 -n baseline "$BASELINE validate $plain" \
    -n this "$root/target/release/concord validate $plain"
fi
if [ -n "${SKIP_PEERS:-}" ]; then
  exit 0
fi

# rstix: newest release that builds with this toolchain (0.23; 0.24+ need rustc 1.96)
rs="$BENCH_DIR/rstix"
mkdir -p "$rs/src"
cat > "$rs/Cargo.toml" <<'TOML'
[package]
name = "rstix-harness"
version = "0.1.0"
edition = "2021"
[workspace]
[dependencies]
rstix = { version = "=0.23.0", features = ["validate"] }
TOML
cat > "$rs/src/main.rs" <<'RS'
fn main() {
    let path = std::env::args().nth(1).expect("file");
    let text = std::fs::read_to_string(&path).expect("read");
    let report = rstix::validate::Validator::consumer_strict().validate_json_str(&text);
    println!("rstix: valid={} diagnostics={}", report.is_valid(), report.diagnostics().count());
}
RS
(cd "$rs" && cargo build --release -q)

venv=$("$root/../shared/peers/setup.sh" "$root/target/peers-venv")

secs() { # runs "$@", prints elapsed seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > /dev/null 2>&1 || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

best3() { # the fastest of three runs of "$@" (one run is at the mercy of the machine load)
  local a b c
  a=$(secs "$@"); b=$(secs "$@"); c=$(secs "$@")
  printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -g | head -1
}

c=$(best3 "$root/target/release/concord" validate "$plain")
r=$(best3 "$rs/target/release/rstix-harness" "$plain")
p=$(secs "$venv/bin/stix2_validator" "$plain")

mb=$(echo "$bytes / 1048576" | bc -l)
printf 'file: %s (%.1f MiB)\n' "$file" "$mb"
printf '%-18s %8.3f s  %7.1f MiB/s\n' concord "$c" "$(echo "$mb / $c" | bc -l)"
printf '%-18s %8.3f s  %7.1f MiB/s\n' rstix "$r" "$(echo "$mb / $r" | bc -l)"
printf '%-18s %8.3f s  %7.1f MiB/s\n' stix2-validator "$p" "$(echo "$mb / $p" | bc -l)"
printf 'concord vs rstix:           %.1fx\n' "$(echo "$r / $c" | bc -l)"
printf 'concord vs stix2-validator: %.1fx\n' "$(echo "$p / $c" | bc -l)"

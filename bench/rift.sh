#!/usr/bin/env bash
# Rift benchmarks: `concord rift --json` over the default space (process start and policy
# compilation included), then a synthetic 320-member alliance (ten times the cells) for
# scaling and peak memory. usage: bench/rift.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --release -q -p concord-cli
bin="$root/target/release/concord"
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 2 -r 10 "$bin rift --json"
fi
/usr/bin/time -f 'NATO-32: %e s, peak RSS %M KB' "$bin" rift --json > /dev/null

# synthetic alliance: 320 members (capitals spread on a grid), each taking the built-in
# position of member i mod 32
work=$(mktemp -d)
python3 - "$work" <<'PY'
import os, sys, itertools, re
work = sys.argv[1]
src = "crates/policy/policies/nato"
codes = ["".join(c) for c in itertools.product("ABCDEFGHIJKLMNOPQRSTUVWXYZ", repeat=3)][:320]
base = sorted(f for f in os.listdir(src) if f.endswith(".toml"))
nato = open("crates/policy/alliance/nato.toml").read()
rungs = nato[nato.index("[[rung]]"):]
with open(f"{work}/alliance.toml", "w") as f:
    f.write('name = "Synthetic-320"\n')
    for c in codes:
        i = codes.index(c)
        f.write(f'[[member]]\ncode = "{c}"\nname = "{c}"\nlat = {(i % 20) * 4 - 40}\nlon = {(i // 20) * 10 - 80}\n')
    f.write(rungs)
os.makedirs(f"{work}/policies")
for i, c in enumerate(codes):
    text = open(f"{src}/{base[i % len(base)]}").read()
    text = re.sub(r'member = "[A-Z]{3}"', f'member = "{c}"', text, count=1)
    open(f"{work}/policies/{c}.toml", "w").write(text)
PY
/usr/bin/time -f 'Synthetic-320 (5,529,600 cells): %e s, peak RSS %M KB' "$bin" rift --json --alliance "$work/alliance.toml" --policies "$work/policies" > /dev/null
rm -rf "$work"

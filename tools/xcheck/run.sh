#!/usr/bin/env bash
# Rerun the whole cross-check of concord against the independent reference (ref.py).
# usage: [SEED=k] run.sh BIN [REPO] [SCALE]
#   BIN    the concord binary to check
#   REPO   the checkout whose built-in alliance and policies the binary embeds
#          (default: this checkout)
#   SCALE  multiplies the number of random cases (default 1)
set -u
BIN=$(readlink -f "${1:?usage: run.sh BIN [REPO] [SCALE]}")
REPO=$(readlink -f "${2:-$(dirname "$0")/../..}")
SCALE=${3:-1}
S=${SEED:-0}   # SEED=k shifts every random seed (a different sample of cases)
HERE=$(cd "$(dirname "$0")" && pwd)
VENV="$REPO/target/xcheck-venv"
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then python3 -m venv "$VENV" && "$VENV/bin/pip" install -q numpy; fi
export XCHECK_OUT="$REPO/target/xcheck"
export CONCORD_REPO="$REPO"
cd "$HERE"
rm -rf "$XCHECK_OUT/auto"
n() { echo $(( $1 * SCALE )); }
echo "== binary $BIN, built-in set from $REPO"
echo "== 1. rejections (vectors, policy files, alliance files, priors)"
"$PY" rejects.py "$BIN"
echo "== 2. decide --json: built-in NATO set, random vectors"
"$PY" compare.py "$BIN" decide-builtin "$(n 3000)" $((11+S))
"$PY" compare.py "$BIN" decide-legal
echo "== 3. decide --json: random alliances and random policy sets"
"$PY" compare.py "$BIN" decide-random "$(n 200)" 25 $((12+S))
echo "== 4. decide --json: NATO with randomly mutated built-in policies"
"$PY" compare.py "$BIN" decide-mut "$(n 50)" 40 $((13+S))
echo "== 5. rift --json: built-in NATO set, without and with a prior"
"$PY" compare.py "$BIN" rift-builtin
"$PY" compare.py "$BIN" rift-builtin "$HERE/priors/nato-prior.toml"
echo "== 6. rift --json: random alliances (3-12 members) and policy sets, every other one with a random prior"
"$PY" compare.py "$BIN" rift-random "$(n 100)" $((14+S)) | grep -v "last bits"
echo "== 6b. rift --json: victim sets exposed (one rung per member), capitals with exact and mirror-image ties"
"$PY" compare.py "$BIN" rift-victims "$(n 60)" $((16+S)) | grep -v "last bits"
echo "== 7. rift --json: NATO-32 with mutated built-in policies, every other one with a random prior"
"$PY" compare.py "$BIN" rift-mut "$(n 16)" $((15+S)) | grep -v "last bits"
echo "== repro cases of differences: $XCHECK_OUT/auto/, rejection cases: $XCHECK_OUT/rejects/"

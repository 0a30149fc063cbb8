#!/usr/bin/env bash
# Attribution ranking on real ATT&CK: for each group with >= 20 techniques, hide a random
# half of its techniques from its profile and rank all groups using k = 5, 10, 20 of the
# hidden ones ("hidden"), or k of the ones still in the profile ("known", a sanity check).
# Top-1/3/10 accuracy of concord's model against a plain Jaccard baseline (ties counted
# against the true group), and the time to rank one observation.
# usage: bench/attribution.sh [ATTACK_BUNDLE] [SEEDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bundle=${1:-../shared/data/attack/enterprise-attack-18.1.json.gz}
cargo run --release -q -p concord-assess --example attribution_bench -- "$bundle" "${2:-5}"

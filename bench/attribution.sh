#!/usr/bin/env bash
# Attribution on real data (issues 6 and 15), three parts:
# 1. technique ranking on enterprise ATT&CK (attribution_bench): for each group with >= 20
#    techniques, hide a random half of its techniques from its profile and rank all groups
#    using k = 5, 10, 20 of the hidden ones ("hidden") or k of the kept ones ("known");
#    top-1/3/10 against a plain Jaccard baseline (ties counted against the true group);
# 2. the temporal hold-out (attribution_temporal): the knowledge base as of ATT&CK v15.1
#    (objects created before 2 May 2024), tested on what ATT&CK added later: new campaigns
#    of old groups, new techniques of old groups, new groups' sponsor states;
# 3. the real-data test set (attribution_realdata): ATT&CK plus the MISP galaxy, synthetic
#    incidents for every sponsored group with and without a B2 claim: leading state right,
#    top-1/top-3 groups, alliance members named for non-members' groups, and the time to
#    attribute one incident against the merged knowledge base (about 1,000 groups).
# usage: bench/attribution.sh [ATTACK_BUNDLE] [GALAXY] [SEEDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bundle=${1:-../shared/data/attack/enterprise-attack-18.1.json.gz}
galaxy=${2:-../shared/data/incidents/misp-galaxy/threat-actor.json}
seeds=${3:-5}
cargo build --release -q -p concord-assess --examples
echo "== technique ranking (hidden / known halves)"
target/release/examples/attribution_bench "$bundle" "$seeds"
echo "== temporal hold-out (knowledge base at ATT&CK v15.1)"
target/release/examples/attribution_temporal "$bundle"
echo "== real-data test set (ATT&CK + MISP galaxy)"
target/release/examples/attribution_realdata "$bundle" "$galaxy" "$seeds"

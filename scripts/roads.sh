#!/usr/bin/env bash
# Re-runs the README's table of the shipped roads: the baseline and every road, 50
# replications, seed 2024, into output/roads/<name>/, then prints the table
# (scripts/roads-table.py). Usage: scripts/roads.sh [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-50}"
bin=target/release/jeugdflow
cargo build --release --quiet
mkdir -p output/roads
for s in groningen fasering-big-bang fasering-gefaseerd fasering-ambulant-eerst fasering-pilot \
    demand-29pct demand-29pct-volgt; do
    "$bin" run "scenarios/$s.toml" --reps "$reps" --seed 2024 --quiet --out "output/roads/$s" >/dev/null
done
python3 scripts/roads-table.py output/roads "$reps"

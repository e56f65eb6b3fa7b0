#!/usr/bin/env python3
"""Checks that `cargo build` and `cargo test` resolve the same features for every crate they
share, so that the tests reuse what the build compiled (see the note in Cargo.toml above
`[build-dependencies]`). Prints each crate whose features differ and exits 1 if any does.

Run from the repository: `python3 scripts/same-features.py` (.ci/run does).
"""

import re
import subprocess
import sys


def features(edges):
    out = subprocess.run(
        ["cargo", "tree", "--offline", "-e", edges, "-f", "{p}|{f}", "--prefix", "none"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        package, _, feats = line.partition("|")
        # "name v1.2.3 (path) (proc-macro)" -> "name v1.2.3"
        key = " ".join(package.split()[:2])
        feats = re.sub(r"\s*\(\*\)$", "", feats)
        found.setdefault(key, set()).update(f for f in feats.split(",") if f)
    return found


build = features("normal,build")
test = features("normal,build,dev")
drift = [
    f"{k}: the tests add {sorted(test[k] - build[k])}"
    for k in sorted(build)
    if k in test and test[k] != build[k]
]
if drift:
    print("features the dev-dependencies add to crates the build shares with them")
    print("(declare them in Cargo.toml beside bitflags/either/hyper, or syn under")
    print("[build-dependencies] for proc-macros, so that `cargo test` reuses the build):")
    print("\n".join("  " + d for d in drift))
    sys.exit(1)
print(f"same features: {len(build)} crates of the build, all resolved alike for the tests")

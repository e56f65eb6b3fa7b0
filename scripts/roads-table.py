#!/usr/bin/env python3
"""The README's table of the shipped roads, from the runs scripts/roads.sh writes.

Usage: scripts/roads-table.py FOLDER [REPS] — FOLDER holds one run folder per scenario.
Reads each run's summary.csv (the mean over replications) and prints a Markdown table.
"""
import csv
import sys
from pathlib import Path

ROADS = [
    ("groningen", "baseline"),
    ("fasering-big-bang", "big bang"),
    ("fasering-gefaseerd", "gefaseerd"),
    ("fasering-ambulant-eerst", "ambulant eerst"),
    ("fasering-pilot", "pilot"),
    ("demand-29pct", "demand −29%"),
    ("demand-29pct-volgt", "−29%, capacity follows"),
]

# (label, metric, segment, service, period, scale, decimals)
ROWS = [
    ("peak waiting list (youths)", "waiting_peak", "all", "all", "total", 1, 0),
    ("mean wait, days", "wait_days_mean", "all", "all", "total", 1, 1),
    ("p90 wait, days", "wait_days_p90", "all", "all", "total", 1, 1),
    ("time to care, mean days", "time_to_care_days_mean", "all", "all", "total", 1, 1),
    ("time to care, p90 days", "time_to_care_days_p90", "all", "all", "total", 1, 1),
    ("HSJ time to care, mean days", "time_to_care_days_mean", "hsj", "all", "total", 1, 1),
    ("mean wait in 2026, days", "wait_days_mean", "all", "all", "2026", 1, 1),
    ("share over the norm (pathways)", "over_norm_share", "all", "all", "total", 1, 3),
    ("wonen over the norm", "over_norm_share", "wonen", "all", "total", 1, 3),
    ("secure care, time to care 2024–2030, mean days", "time_to_care_days_mean", "bovenregionaal", "all", "total", 1, 1),
    ("crisis wait in 2026, days", "wait_days_mean", "hsj", "crisis", "2026", 1, 1),
    ("out-of-home days 2024–2030 (thousands)", "out_of_home_days", "all", "all", "total", 1e-3, 0),
    ("crisis overflow / out of region", "overflowed", "hsj", "crisis", "total", 1, 0),
    ("gave up waiting", "reneged", "all", "all", "total", 1, 0),
    ("diverted, placed later after all", "diverted_placed", "all", "all", "total", 1, 0),
    ("matched to a family place", "matched", "all", "all", "total", 1, 0),
    ("bed-blocking days", "blocked_days", "all", "all", "total", 1, 0),
    ("max change load (segments at once)", "max_change_load", "all", "all", "total", 1, 0),
    ("aanvullend clients 2024", "clients", "aanvullend", "all", "2024", 1, 0),
    ("aanvullend clients 2030", "clients", "aanvullend", "all", "2030", 1, 0),
    ("residential youths in 2030", "occupancy_mean", "wonen", "residentieel", "2030", 1, 0),
    ("foster-care youths in 2030", "occupancy_mean", "wonen", "pleegzorg", "2030", 1, 0),
    ("idle family places 2030", "family_places_idle", "all", "all", "2030", 1, 1),
    ("intensive ambulatory places 2030", "capacity_mean", "hsj", "intensief-ambulant", "2030", 1, 0),
    ("intensive ambulatory FTE 2027", "fte", "hsj", "intensief-ambulant", "2027", 1, 1),
    ("stranded cost 2024–2030 (€M)", "cost_stranded", "all", "all", "total", 1e-6, 1),
    ("P×Q cost 2030 (€M)", "cost", "all", "all", "2030", 1e-6, 1),
    ("cost of all places paid 2030 (€M)", "cost_capacity", "all", "all", "2030", 1e-6, 1),
    ("income 2024–2030 (€M)", "income", "all", "all", "total", 1e-6, 1),
]


def read(folder):
    means = {}
    with open(folder / "summary.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["metric"], r["segment"], r["service"], r["period"])
            means[key] = r["mean"]
    return means


def cell(means, metric, seg, svc, period, scale, dec):
    v = means.get((metric, seg, svc, period))
    if v is None or v == "":
        return "–"
    x = float(v) * scale
    return f"{x:,.{dec}f}"


def main():
    root = Path(sys.argv[1])
    reps = sys.argv[2] if len(sys.argv) > 2 else "50"
    runs = [(label, read(root / name)) for name, label in ROADS if (root / name).is_dir()]
    print(f"| KPI ({reps} replications, seed 2024) | " + " | ".join(l for l, _ in runs) + " |")
    print("|---|" + "---:|" * len(runs))
    for label, metric, seg, svc, period, scale, dec in ROWS:
        cells = [cell(m, metric, seg, svc, period, scale, dec) for _, m in runs]
        if all(c == "–" for c in cells):
            continue
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

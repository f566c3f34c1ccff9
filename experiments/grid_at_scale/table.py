"""Writes the grid-at-scale table (markdown) from one compare.sh work directory.

Usage: table.py WORK CORES REPEATS OUT.md N [N ...]

For each N, WORK/N/ holds: ours_<r>.time (`/usr/bin/time -v` of each clusterbench
repeat), ours.h5 (the store of the last repeat), peer.time, peer.json and peer.npz
(bench/peers/grid_full_sklearn.py's report and labels). Prints the table and writes it
with the run's details to OUT.md.
"""
import datetime
import json
import os
import re
import sys

import h5py
import numpy as np

TARGET_WALL_RATIO = {5000: 25.0, 20000: 60.0}   # the targets, end to end
TARGET_UTILISATION = 0.90                         # CPU / (wall × cores), our run
TARGET_SILHOUETTE = 1e-3                          # top-10 max |Δ silhouette|, deterministic runs
DETERMINISTIC_SPACES = ("raw", "pca")
TOP = 10


def read_time(path):
    """Wall, user+sys CPU seconds and peak RSS (MB) from `/usr/bin/time -v` output."""
    text = open(path).read()

    def field(name):
        match = re.search(rf"^\s*{re.escape(name)}:\s*(.+)$", text, re.M)
        if not match:
            sys.exit(f"{path}: no '{name}' line (was it written by /usr/bin/time -v?)")
        return match.group(1).strip()

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60.0 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    status = int(field("Exit status"))
    if status != 0:
        sys.exit(f"{path}: the timed command exited with status {status}")
    return {"wall": wall, "cpu": cpu, "rss_mb": float(field("Maximum resident set size (kbytes)")) / 1024.0}


def read_ours(path):
    with h5py.File(path, "r") as f:
        runs = f["runs"]

        def column(name):
            data = runs[name]
            return data.asstr()[()] if data.dtype.kind == "O" else data[()]

        table = {c: column(c) for c in ("space", "algorithm", "k", "status", "silhouette", "silhouette_ref")}
        labels = f["labels"][()]
        ids = f["data/ids"].asstr()[()]
        spaces = {name: json.loads(space.attrs["values"]) | {"seconds": float(space.attrs["seconds"])}
                  for name, space in f["spaces"].items()}
        commit = f.attrs.get("git_commit", "")
        commit = commit.decode() if isinstance(commit, bytes) else str(commit)
    runs = {}
    for i, key in enumerate(zip(table["space"], table["algorithm"], table["k"])):
        runs[(str(key[0]), str(key[1]), int(key[2]))] = {
            "status": table["status"][i], "silhouette": float(table["silhouette"][i]),
            "silhouette_ref": float(table["silhouette_ref"][i]), "labels": labels[i]}
    return runs, ids, spaces, commit


def same_partition(a, b):
    """True when the two labelings are the same partition (cluster numbers aside)."""
    pairs = np.unique(np.stack([a, b]), axis=1).shape[1]
    return pairs == len(np.unique(a)) == len(np.unique(b))


def compare(ours, ours_ids, peer, peer_npz):
    """Deterministic comparison: Ward in raw/pca, K-Means and GMM there where the labels are
    the same partition. Returns the matched rows, sorted by our silhouette, best first."""
    stored = np.load(peer_npz, allow_pickle=False)
    order = {i: j for j, i in enumerate(stored["ids"])}
    align = np.array([order[i] for i in ours_ids])       # peer row of each of our points
    rows, eligible = [], 0
    for i, run in enumerate(peer["runs"]):
        key = (run["space"], run["algorithm"], int(run["k"]))
        if key[0] not in DETERMINISTIC_SPACES or key[1] not in ("hierarchical", "kmeans", "gmm"):
            continue
        eligible += 1
        mine = ours.get(key)
        if mine is None or run["silhouette"] is None or mine["status"] != "ok":
            continue
        agree = same_partition(mine["labels"], stored["labels"][i][align])
        if key[1] != "hierarchical" and not agree:
            continue
        rows.append({"key": key, "agree": agree, "silhouette": mine["silhouette"],
                     "d_silhouette": abs(mine["silhouette"] - run["silhouette"]),
                     "d_silhouette_ref": abs(mine["silhouette_ref"] - run["silhouette_ref"])})
    rows.sort(key=lambda r: -r["silhouette"])
    return rows, eligible


def fmt_seconds(s):
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def main():
    work, cores, repeats, out, ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], \
        [int(n) for n in sys.argv[5:]]
    lines = ["| n | ours wall | ours CPU | ours CPU utilisation | ours peak MB | scikit-learn wall | "
             "scikit-learn CPU | scikit-learn peak MB | wall ratio | CPU ratio | wall target | "
             "top-10 max \\|Δ silhouette\\| (runs compared) | top-10 max \\|Δ silhouette_ref\\| | all compared max \\|Δ silhouette\\| |",
             "|" + "---|" * 14]
    space_lines = ["| n | space | ours seconds (stored, embedding and trustworthiness) | scikit-learn seconds (embedding + trustworthiness) | ours trustworthiness | scikit-learn trustworthiness |",
                   "|---|---|---|---|---|---|"]
    verdicts, blas, commit = [], None, ""
    for n in ns:
        d = os.path.join(work, str(n))
        times = sorted((read_time(os.path.join(d, f"ours_{r}.time")) for r in range(1, repeats + 1)),
                       key=lambda t: t["wall"])
        ours_t = times[(len(times) - 1) // 2]                # the median-wall repeat (lower middle)
        peer_t = read_time(os.path.join(d, "peer.time"))
        peer = json.load(open(os.path.join(d, "peer.json")))
        blas = peer["threadpoolctl"]
        ours, ours_ids, ours_spaces, commit = read_ours(os.path.join(d, "ours.h5"))
        rows, eligible = compare(ours, ours_ids, peer, os.path.join(d, "peer.npz"))
        top = rows[:TOP]
        utilisation = ours_t["cpu"] / (ours_t["wall"] * cores)
        wall_ratio, cpu_ratio = peer_t["wall"] / ours_t["wall"], peer_t["cpu"] / ours_t["cpu"]
        target = TARGET_WALL_RATIO.get(n)
        top_d = max((r["d_silhouette"] for r in top), default=float("nan"))
        top_dref = max((r["d_silhouette_ref"] for r in top), default=float("nan"))
        all_d = max((r["d_silhouette"] for r in rows), default=float("nan"))
        lines.append(
            f"| {n:,} | {fmt_seconds(ours_t['wall'])} | {fmt_seconds(ours_t['cpu'])} | {100 * utilisation:.0f} % | "
            f"{ours_t['rss_mb']:.0f} | {fmt_seconds(peer_t['wall'])} | {fmt_seconds(peer_t['cpu'])} | "
            f"{peer_t['rss_mb']:.0f} | **{wall_ratio:.1f}×** | {cpu_ratio:.1f}× | "
            f"{f'≥ {target:.0f}×' if target else '—'} | {top_d:.2e} ({len(top)} of {len(rows)}) | {top_dref:.2e} | "
            f"{all_d:.2e} ({len(rows)} of {eligible} eligible) |")
        if target:
            verdicts.append(f"n = {n:,}: wall ratio {wall_ratio:.1f}× against ≥ {target:.0f}×: "
                            f"{'met' if wall_ratio >= target else 'NOT met'}")
        verdicts.append(f"n = {n:,}: CPU utilisation {100 * utilisation:.0f} % of {cores} cores against "
                        f"≥ {100 * TARGET_UTILISATION:.0f} %: {'met' if utilisation >= TARGET_UTILISATION else 'NOT met'}")
        verdicts.append(f"n = {n:,}: top-10 max |Δ silhouette| {top_d:.2e} against ≤ {TARGET_SILHOUETTE:g}: "
                        f"{'met' if len(top) == TOP and top_d <= TARGET_SILHOUETTE else 'NOT met'}"
                        + ("" if len(top) == TOP else f" (only {len(top)} runs compared)"))
        ward = [r for r in rows if r["key"][1] == "hierarchical"]
        verdicts.append(f"n = {n:,}: Ward labels identical in {sum(r['agree'] for r in ward)} of {len(ward)} "
                        f"(raw, pca) runs; K-Means/GMM compared where identical: "
                        f"{sum(r['key'][1] != 'hierarchical' for r in rows)} of "
                        f"{sum(1 for r in peer['runs'] if r['space'] in DETERMINISTIC_SPACES and r['algorithm'] in ('kmeans', 'gmm'))}")
        for name, info in peer["spaces"].items():
            mine = ours_spaces.get(name, {})
            space_lines.append(
                f"| {n:,} | {name} | {mine.get('seconds', float('nan')):.3f} | "
                f"{info['seconds'] + info.get('trustworthiness_seconds', 0.0):.3f} | "
                f"{mine.get('trustworthiness', float('nan')):.4f} | {info.get('trustworthiness', float('nan')):.4f} |"
                if name != "raw" else
                f"| {n:,} | raw | {mine.get('seconds', 0.0):.3f} | {info['seconds']:.3f} | — | — |")
    blas_line = "; ".join(" ".join(filter(None, [b["internal_api"], b.get("version")]))
                          + f" ({', '.join(filter(None, [b.get('threading_layer'), str(b.get('num_threads')) + ' threads']))})"
                          for b in blas or [])
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    header = [
        "# Grid at scale: clusterbench against scikit-learn, end to end",
        "",
        f"Written by `experiments/grid_at_scale/compare.sh {' '.join(map(str, ns))} {repeats}` on "
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; clusterbench commit "
        f"{commit or 'unknown'}; {cores} cores, load average after the run "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}.",
        f"scikit-learn BLAS (threadpoolctl): {blas_line}.",
        f"Ours: median wall of {repeats} repeat(s), whole process (read CSV, grid, write HDF5); "
        "scikit-learn: one run, whole process. CPU = user + sys; utilisation = CPU / (wall × cores).",
        "Silhouette comparison: Ward in raw and pca, K-Means and GMM there only where both sides found the same "
        "partition; top-10 by our silhouette.",
        "",
    ]
    text = "\n".join(header + lines + ["", *space_lines, "", *(f"- {v}" for v in verdicts), ""])
    with open(out, "w") as f:
        f.write(text)
    print(f"BLAS (scikit-learn, threadpoolctl): {blas_line}")
    print("\n".join(lines + [""] + space_lines + [""] + verdicts))


if __name__ == "__main__":
    main()

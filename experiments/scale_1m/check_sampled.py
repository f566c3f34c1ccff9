#!/usr/bin/env python3
"""Sampled silhouettes against exact ones: every run of a grid scored on a
sample (above scoring.exact_up_to) is scored again exactly, in its own space
and in the reference space, by clusterbench's exact kernel (all labelings of a
space in one pass), and each exact value is checked against the interval the
run recorded.

usage: PYTHONPATH=build/python check_sampled.py RESULTS.h5
Prints one row per run and the coverage; exits 1 if the highlighted run
(K-Means, k = 5, in the raw space, which is the reference space) falls outside its interval.
"""
import sys
import time

import h5py
import numpy as np

import clusterbench


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def main(path):
    f = h5py.File(path, "r")
    runs = f["runs"]
    space = np.array([text(s) for s in runs["space"][:]])
    algorithm = np.array([text(a) for a in runs["algorithm"][:]])
    k = runs["k"][:]
    labels = f["labels"]
    reference = f["spaces/raw/points"][:]
    rows = []
    for s in sorted(set(space)):
        picked = np.where((space == s) & np.isfinite(runs["silhouette"][:]))[0]
        if len(picked) == 0:
            continue
        matrix = np.stack([labels[i] for i in picked]).astype(np.int32)
        started = time.perf_counter()
        own = clusterbench.silhouette_scores(f[f"spaces/{s}/points"][:], matrix)
        ref = own if s == "raw" else clusterbench.silhouette_scores(reference, matrix)
        print(f"# {s}: {len(picked)} labelings of {matrix.shape[1]:,} points scored exactly in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        for j, i in enumerate(picked):
            rows.append((s, algorithm[i], int(k[i]), "silhouette", runs["silhouette"][i], own[j],
                         runs["silhouette_ci_low"][i], runs["silhouette_ci_high"][i]))
            if s != "raw":  # in the reference space itself the two scores are one
                rows.append((s, algorithm[i], int(k[i]), "silhouette_ref", runs["silhouette_ref"][i], ref[j],
                             runs["silhouette_ref_ci_low"][i], runs["silhouette_ref_ci_high"][i]))
    print("| space | algorithm | k | score | sampled | 95% interval | exact | inside |")
    print("|---|---|---|---|---|---|---|---|")
    inside_count = 0
    highlighted_inside = None
    for s, a, kk, score, sampled, exact, low, high in rows:
        inside = bool(low <= exact <= high)
        inside_count += inside
        if (s, a, kk, score) == ("raw", "kmeans", 5, "silhouette"):
            highlighted_inside = inside
        print(f"| {s} | {a} | {kk} | {score} | {sampled:.4f} | [{low:.4f}, {high:.4f}] | {exact:.4f} | "
              f"{'yes' if inside else '**no**'} |")
    print(f"\ncoverage: {inside_count} of {len(rows)} exact values inside their interval "
          f"({100 * inside_count / max(len(rows), 1):.1f} %; nominal 95 %)")
    print(f"highlighted run (raw = reference space, kmeans, k = 5): exact value inside the interval: {highlighted_inside}")
    return 0 if highlighted_inside else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

#!/usr/bin/env python3
"""Per-step table of a finished grid: measured seconds from the store, the plan's
estimates (CPU, memory, method), what was approximated, and the process peak.

usage: steps.py RESULTS.h5 PLAN.json TIME_V.txt
TIME_V.txt is the stderr of `/usr/bin/time -v clusterbench run ...`.
"""
import collections
import json
import re
import sys

import h5py
import numpy as np


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def main(store_path, plan_path, time_path):
    plan = json.load(open(plan_path))
    timing = open(time_path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", timing).group(1)
    parts = [float(p) for p in wall.split(":")]
    wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    user = float(re.search(r"User time \(seconds\): (\S+)", timing).group(1))
    system = float(re.search(r"System time \(seconds\): (\S+)", timing).group(1))
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))

    f = h5py.File(store_path, "r")
    runs = f["runs"]
    space = [text(s) for s in runs["space"][:]]
    algorithm = [text(a) for a in runs["algorithm"][:]]
    status = [text(s) for s in runs["status"][:]]
    fit = collections.defaultdict(float)
    score = collections.defaultdict(float)
    for i in range(len(space)):
        fit[(space[i], algorithm[i])] += float(runs["fit_seconds"][i])
        score[space[i]] += float(runs["score_seconds"][i])
    sampled = "silhouette_sample" in runs
    print(f"{len(space)} runs, {status.count('ok')} ok; points {plan['points']:,}; "
          f"wall {wall_s:.0f} s ({wall_s / 60:.1f} min), CPU {user + system:.0f} s "
          f"({100 * (user + system) / wall_s / plan['threads']:.0f} % of {plan['threads']} cores), "
          f"peak resident memory {peak_kb / 1048576:.2f} GiB")
    print(f"plan: estimated {plan['wall_seconds'] / 60:.1f} min wall, {plan['peak_bytes'] / 2**30:.2f} GiB peak\n")
    print("| space | step | what | method (plan) | measured seconds (stored) | plan est. CPU s | plan est. memory |")
    print("|---|---|---|---|---|---|---|")
    for step in plan["steps"]:
        s, kind, what = step["space"], step["kind"], step["name"]
        if kind == "embed":
            seconds = float(f["spaces"][s].attrs["seconds"]) if s in f["spaces"] else float("nan")
            values = json.loads(text(f["spaces"][s].attrs["values"])) if s in f["spaces"] else {}
            extra = "".join(f"; {k} {values[k]:.4g}" for k in ("trustworthiness", "trustworthiness_sample") if k in values)
        elif kind == "fit":
            seconds, extra = fit[(s, what)], ""
        else:
            seconds, extra = score[s], ""
        print(f"| {s} | {kind} | {what} | {step['method']}{extra} | {seconds:.1f} | {step['cpu_seconds']:.1f} | "
              f"{step['peak_bytes'] / 2**20:.0f} MiB |")
    print()
    for line in plan.get("approximations", []):
        print(f"- approximated: {line}")
    if sampled:
        width = runs["silhouette_ci_high"][:] - runs["silhouette_ci_low"][:]
        ok = np.isfinite(width)
        print(f"- sampled silhouette: {int(np.nanmedian(runs['silhouette_sample'][:]))} points per run; "
              f"median 95% interval width {np.median(width[ok]):.4f} (max {width[ok].max():.4f}) over {ok.sum()} scored runs")


if __name__ == "__main__":
    main(*sys.argv[1:4])

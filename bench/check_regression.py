#!/usr/bin/python3
"""CI speed gate: runs bench_regression, divides each case's median time by the
calibration unit (geometric mean of the scalar-FP and memory-streaming loops
measured in the same run), and compares with the committed baseline.

  bench/check_regression.py [--build build] [--repetitions 5] [--tolerance 2.0] [--update]

A case's ratio is its calibrated time over its baseline. The machine's own
drift is the median ratio over all cases: a shared or different host moves every
case together (the CI host ran all 15 cases 1.2-1.6x slower than the baseline
host while the calibration loops ran at the same speed), a code change moves the
cases it touches. Exit 1 when a case is slower than tolerance × baseline × drift
(a slowdown of that case against the rest of the suite), or slower than
machine_tolerance × baseline (the whole suite slower, e.g. lost optimisation
flags), in this run and again in a second run of just that case; so a real
slowdown fails CI while a slower machine, or a neighbour's burst during one
case, does not. --update rewrites the baseline from this run (commit it with the
change that made the code faster, and say why).
"""
import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CALIBRATION = ("BM_calibrate_flops", "BM_calibrate_memory")


def run_benchmarks(binary, repetitions, only=None):
    extra = [f"--benchmark_filter=^({'|'.join(only + list(CALIBRATION))})(/.*)?$"] if only else []
    out = subprocess.run(
        [binary, f"--benchmark_repetitions={repetitions}", "--benchmark_report_aggregates_only=true",
         "--benchmark_format=json"] + extra,
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    medians = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        medians[b["run_name"].split("/")[0]] = b["real_time"] * scale
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--baseline", default=os.path.join(ROOT, "bench", "regression_baseline.json"))
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--tolerance", type=float, default=2.0,
                        help="fail when a case is slower than this factor × its baseline × the suite's median drift")
    parser.add_argument("--machine-tolerance", type=float, default=3.0,
                        help="fail when a case is slower than this factor × its baseline (calibrated), whatever the drift")
    parser.add_argument("--update", action="store_true", help="write this run as the new baseline")
    args = parser.parse_args()

    binary = os.path.join(args.build, "bench", "bench_regression")
    if not os.access(binary, os.X_OK):
        sys.exit(f"check_regression: {binary} is missing (build with benchmarks on)")
    medians = run_benchmarks(binary, args.repetitions)
    unit = math.sqrt(medians[CALIBRATION[0]] * medians[CALIBRATION[1]])
    calibrated = {name: t / unit for name, t in medians.items() if name not in CALIBRATION}

    if args.update:
        baseline = {"note": "median seconds / calibration unit; written by bench/check_regression.py --update",
                    "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                                "calibration_seconds": {c: medians[c] for c in CALIBRATION}},
                    "cases": {name: round(v, 6) for name, v in sorted(calibrated.items())}}
        with open(args.baseline, "w") as f:
            json.dump(baseline, f, indent=2)
            f.write("\n")
        print(f"check_regression: baseline written to {args.baseline} ({len(calibrated)} cases)")
        return 0

    with open(args.baseline) as f:
        baseline = json.load(f)["cases"]
    ratios = {name: calibrated[name] / baseline[name] for name in calibrated if name in baseline}
    drift = statistics.median(ratios.values()) if ratios else 1.0
    print(f"calibration unit {unit * 1e3:.1f} ms (flops {medians[CALIBRATION[0]] * 1e3:.1f} ms, "
          f"memory {medians[CALIBRATION[1]] * 1e3:.1f} ms); medians of {args.repetitions}; suite drift x{drift:.2f}; "
          f"tolerance x{args.tolerance} of drift, x{args.machine_tolerance} absolute")
    print(f"{'case':28} {'median ms':>10} {'calibrated':>11} {'baseline':>9} {'ratio':>7} {'/drift':>7}  verdict")

    def too_slow(ratio, drift_now):
        return ratio > args.tolerance * drift_now or ratio > args.machine_tolerance

    failed = []
    for name in sorted(set(calibrated) | set(baseline)):
        if name not in calibrated:
            print(f"{name:28} {'':>10} {'':>11} {baseline[name]:9.3f} {'':>7} {'':>7}  missing from this run")
            failed.append(name)
            continue
        if name not in baseline:
            print(f"{name:28} {medians[name] * 1e3:10.1f} {calibrated[name]:11.3f} {'':>9} {'':>7} {'':>7}  new (no baseline)")
            continue
        ratio = ratios[name]
        slower = too_slow(ratio, drift)
        verdict = "SLOWER" if slower else ("faster: consider --update" if ratio < 1 / args.tolerance else "ok")
        if slower:
            failed.append(name)
        print(f"{name:28} {medians[name] * 1e3:10.1f} {calibrated[name]:11.3f} {baseline[name]:9.3f} "
              f"{ratio:7.2f} {ratio / drift:7.2f}  {verdict}")
    slower = [name for name in failed if name in calibrated]
    if slower:
        # The machine is shared: a neighbour's burst can slow one case for a whole run.
        # A slowdown counts only when an independent second run of that case confirms it
        # (against the drift of the first run: one case alone cannot measure drift).
        again = run_benchmarks(binary, args.repetitions, slower)
        unit_again = math.sqrt(again[CALIBRATION[0]] * again[CALIBRATION[1]])
        for name in slower:
            ratio = again[name] / unit_again / baseline[name]
            confirmed = too_slow(ratio, drift)
            print(f"{name:28} {again[name] * 1e3:10.1f} {again[name] / unit_again:11.3f} {baseline[name]:9.3f} "
                  f"{ratio:7.2f} {ratio / drift:7.2f}  second run: {'SLOWER (confirmed)' if confirmed else 'ok (first run was noise)'}")
            if not confirmed:
                failed.remove(name)
    if failed:
        print(f"check_regression: FAILED: {', '.join(failed)}")
        return 1
    print("check_regression: no slowdown")
    return 0


if __name__ == "__main__":
    sys.exit(main())

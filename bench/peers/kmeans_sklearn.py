#!/usr/bin/python3
"""Peer for bench_kmeans: writes the benchmark points once, and times
scikit-learn's KMeans (Lloyd) on exactly those points.

  kmeans_sklearn.py write PATH [--n N] [--d D] [--centers C] [--seed S]
  kmeans_sklearn.py time PATH --d D --k K --n-init I [--repeats R] [--random-state S]

The data file is raw little-endian float64, row-major, n × d (the C++ bench
reads the same file). `time` prints one JSON object.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def write(args):
    from sklearn.datasets import make_blobs

    x, _ = make_blobs(n_samples=args.n, n_features=args.d, centers=args.centers,
                      cluster_std=args.std, random_state=args.seed)
    np.ascontiguousarray(x, dtype="<f8").tofile(args.path)


def time_fits(args):
    import sklearn
    import threadpoolctl
    from sklearn.cluster import KMeans

    x = np.fromfile(args.path, dtype="<f8").reshape(-1, args.d)
    seconds, inertias, iters = [], [], []
    for r in range(args.repeats):
        model = KMeans(n_clusters=args.k, n_init=args.n_init, algorithm="lloyd", random_state=args.random_state + r)
        start = time.perf_counter()
        model.fit(x)
        seconds.append(time.perf_counter() - start)
        inertias.append(float(model.inertia_))
        iters.append(int(model.n_iter_))
    blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture', '')} "
            f"threads={i.get('num_threads')}" for i in threadpoolctl.threadpool_info()]
    print(json.dumps({"sklearn": sklearn.__version__, "n": x.shape[0], "d": x.shape[1], "k": args.k,
                      "n_init": args.n_init, "seconds": seconds, "median_seconds": statistics.median(seconds),
                      "inertia": inertias, "n_iter": iters, "threadpools": blas}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("path")
    w.add_argument("--n", type=int, default=1_000_000)
    w.add_argument("--d", type=int, default=8)
    w.add_argument("--centers", type=int, default=10)
    w.add_argument("--std", type=float, default=4.0)
    w.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("time")
    t.add_argument("path")
    t.add_argument("--d", type=int, default=8)
    t.add_argument("--k", type=int, default=10)
    t.add_argument("--n-init", type=int, default=3)
    t.add_argument("--repeats", type=int, default=3)
    t.add_argument("--random-state", type=int, default=0, help="random_state of the first repeat (+1 per repeat)")
    args = parser.parse_args()
    write(args) if args.command == "write" else time_fits(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

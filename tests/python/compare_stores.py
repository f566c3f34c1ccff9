"""Compares two clusterbench results files: every dataset bitwise (NaN equal
to NaN) and every attribute, except timings, timestamps and the config's path and text. Prints the
differences; exit code 1 when there are any. Also proves h5py opens both.

usage: compare_stores.py A.h5 B.h5"""
import sys

import h5py
import numpy as np

# Timings, timestamps and where the config lay: provenance of the occasion, not of the results.
TIMING = {"started_utc", "finished_utc", "threads", "config_path", "config_text"}


def is_timing(name):
    return name in TIMING or name == "seconds" or name.endswith("_seconds")


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a.view(np.uint8), b.view(np.uint8)) or np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def attributes(obj):
    return {k: v for k, v in obj.attrs.items() if not is_timing(k)}


def walk(a, b, path, problems):
    if set(a.keys()) != set(b.keys()):
        problems.append(f"{path}: members differ: {sorted(set(a.keys()) ^ set(b.keys()))}")
    ta, tb = attributes(a), attributes(b)
    if set(ta) != set(tb):
        problems.append(f"{path}: attributes differ: {sorted(set(ta) ^ set(tb))}")
    for key in set(ta) & set(tb):
        if not same(ta[key], tb[key]):
            problems.append(f"{path}@{key}: {ta[key]!r} != {tb[key]!r}"[:300])
    for key in sorted(set(a.keys()) & set(b.keys())):
        if is_timing(key):
            continue
        x, y = a[key], b[key]
        if isinstance(x, h5py.Group):
            walk(x, y, f"{path}/{key}", problems)
        elif not same(x[()], y[()]):
            problems.append(f"{path}/{key}: values differ")


def main():
    with h5py.File(sys.argv[1], "r") as a, h5py.File(sys.argv[2], "r") as b:
        problems = []
        walk(a, b, "", problems)
    for p in problems[:40]:
        print(p)
    print(f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

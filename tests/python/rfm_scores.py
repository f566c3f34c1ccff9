"""Reference RFM scores for clusterbench's tie policies.

Usage: rfm_scores.py FIXTURE_CSV N1,N2,... BINS1,BINS2,...
For every BINS and N, scores the first N rows of the fixture (columns recency,
frequency, monetary) and prints, per policy (cut_le, rank_first, r_rfm, ntile),
one line: bins n policy, then R F M of every row. Recency is reversed (bins + 1 - score).
  cut_le:     numpy.quantile (linear, type 7) at j/bins; score = 1 + #(x > q)
  rank_first: pandas.qcut(x.rank(method="first"), bins, labels=False) + 1
  r_rfm:      the R package rfm's rule, written out from its source: breaks =
              R type-7 quantile(probs = seq(0, 1, length.out = bins + 1)) without
              min and max, plus 1; lower = c(min, breaks), upper = c(breaks, max + 1);
              score i where lower_i <= x < upper_i
  ntile:      SQLite's NTILE(bins) OVER (ORDER BY x, row number)
"""
import math
import sqlite3
import sys

import numpy as np
import pandas as pd

path = sys.argv[1]
sizes = [int(v) for v in sys.argv[2].split(",")]
all_bins = [int(v) for v in sys.argv[3].split(",")]


def cut_le(x):
    q = np.quantile(x, np.arange(1, bins) / bins)
    return [1 + int(np.sum(v > q)) for v in x]


def rank_first(x):
    return list(pd.qcut(pd.Series(x).rank(method="first"), bins, labels=False) + 1)


def r_quantile7(sorted_x, p):
    # R's stats::quantile type 7 arithmetic
    m = len(sorted_x)
    index = 1 + (m - 1) * p
    lo = math.floor(index)
    hi = math.ceil(index)
    q = sorted_x[lo - 1]
    if index > lo and sorted_x[hi - 1] != q:
        h = index - lo
        q = (1 - h) * q + h * sorted_x[hi - 1]
    return q


def r_rfm(x):
    s = sorted(x)
    by = 1.0 / bins  # seq(0, 1, length.out = bins + 1) is from + (0:bins) * by
    probs = [j * by for j in range(bins + 1)]
    breaks = [r_quantile7(s, p) + 1 for p in probs[1:-1]]
    lower = [min(x)] + breaks
    upper = breaks + [max(x) + 1]
    out = [None] * len(x)
    for i in range(bins):
        for k, v in enumerate(x):
            if lower[i] <= v < upper[i]:
                out[k] = i + 1
    return out


def ntile(x):
    con = sqlite3.connect(":memory:")
    con.execute("create table t(k integer, v real)")
    con.executemany("insert into t values (?, ?)", list(enumerate(x)))
    rows = con.execute(f"select k, ntile({bins}) over (order by v, k) from t").fetchall()
    out = [0] * len(x)
    for k, s in rows:
        out[k] = s
    return out


for bins in all_bins:
    for n in sizes:
        df = pd.read_csv(path).head(n)
        for name, f in [("cut_le", cut_le), ("rank_first", rank_first), ("r_rfm", r_rfm), ("ntile", ntile)]:
            r = [bins + 1 - s for s in f(list(df.recency.astype(float)))]
            fr = f(list(df.frequency.astype(float)))
            m = f(list(df.monetary.astype(float)))
            print(bins, n, name, " ".join(f"{a} {b} {c}" for a, b, c in zip(r, fr, m)))

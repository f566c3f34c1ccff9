"""Synthetic customers for the grid-at-scale experiment, heavy-tailed like real RFM data.

Usage: customers.py N SEED OUT.csv

Writes a CSV with a header: id, recency, frequency, monetary, average_ticket,
distinct_products, returns. Customers come from a few latent segments (loyal
big spenders, regulars, occasional buyers, lapsed one-off buyers, wholesalers);
within a segment recency (days since the last purchase) is exponential,
frequency (invoices) is 1 + negative binomial with a log-normal rate, the
average ticket is log-normal with a Pareto tail, monetary = frequency × average
ticket, distinct products grow sub-linearly with frequency, and returns
(returned invoices) are 0 for most customers. The output depends only on N and
SEED (numpy's PCG64 via default_rng).
"""
import sys

import numpy as np

# name, share, mean recency (days), median frequency, median ticket, Pareto share, return rate
SEGMENTS = [
    ("champions", 0.10, 12.0, 18.0, 420.0, 0.15, 0.030),
    ("regulars", 0.25, 40.0, 6.0, 260.0, 0.05, 0.020),
    ("occasional", 0.30, 110.0, 2.0, 180.0, 0.03, 0.015),
    ("lapsed", 0.30, 260.0, 1.0, 150.0, 0.02, 0.010),
    ("wholesale", 0.05, 25.0, 10.0, 2500.0, 0.25, 0.050),
]


def generate(n, seed):
    rng = np.random.default_rng(seed)
    shares = np.array([s[1] for s in SEGMENTS])
    segment = rng.choice(len(SEGMENTS), size=n, p=shares / shares.sum())
    mean_recency = np.array([s[2] for s in SEGMENTS])[segment]
    median_frequency = np.array([s[3] for s in SEGMENTS])[segment]
    median_ticket = np.array([s[4] for s in SEGMENTS])[segment]
    pareto_share = np.array([s[5] for s in SEGMENTS])[segment]
    return_rate = np.array([s[6] for s in SEGMENTS])[segment]

    # Recency: exponential within a segment, at most a year (the log window), at least 1 day.
    recency = np.clip(np.ceil(rng.exponential(mean_recency)), 1, 373)
    # Frequency: 1 + Poisson with a log-normal rate (a negative-binomial-like heavy tail).
    rate = median_frequency * rng.lognormal(0.0, 0.8, size=n)
    frequency = 1 + rng.poisson(np.maximum(rate - 1.0, 0.0))
    # Average ticket: log-normal body, a Pareto (alpha 1.6) tail for a share of customers.
    ticket = median_ticket * rng.lognormal(0.0, 0.6, size=n)
    tail = rng.random(n) < pareto_share
    ticket[tail] *= 1.0 + rng.pareto(1.6, size=tail.sum())
    ticket = np.round(ticket, 2)
    monetary = np.round(frequency * ticket * rng.lognormal(0.0, 0.1, size=n), 2)
    average_ticket = np.round(monetary / frequency, 2)
    # Distinct products: sub-linear in the number of invoices, log-normal noise.
    distinct = np.maximum(1, np.round(3.0 * frequency ** 0.7 * rng.lognormal(0.0, 0.5, size=n)))
    # Returns: returned invoices, zero for most customers (zero-inflated Poisson).
    returner = rng.random(n) < 1.0 - np.exp(-return_rate * frequency * 4.0)
    returns = np.where(returner, 1 + rng.poisson(0.05 * frequency), 0)

    ids = 10000 + rng.permutation(n)
    return ids, np.column_stack([recency, frequency, monetary, average_ticket, distinct, returns])


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: customers.py N SEED OUT.csv")
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    ids, x = generate(n, seed)
    with open(out, "w") as f:
        f.write("id,recency,frequency,monetary,average_ticket,distinct_products,returns\n")
        for i, row in zip(ids, x):
            f.write(f"{i},{int(row[0])},{int(row[1])},{row[2]:.2f},{row[3]:.2f},{int(row[4])},{int(row[5])}\n")


if __name__ == "__main__":
    main()
